// The layout in a real browser window: every lesson at a projector's 1280×720 with the font at
// 2× in the presenter view, and at 1920×1080 with 1.75×, checked through state().layout (no cut
// or overlapping text, the main figure fully on screen) with a screenshot of each (build
// output); taps and finger drags through Chromium's touch emulation; the key F and full screen;
// a window far below the minimum.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { useSiteAndBrowser, withPage, ensureShotsDir, decodePng, TEST_TIMEOUT_MS } from './harness.mjs';

const env = useSiteAndBrowser({ before, after });

const ROOMS = [
  { name: 'presenter-1280x720@2', width: 1280, height: 720, font: 2, presenter: true },
  { name: '1920x1080@1.75', width: 1920, height: 1080, font: 1.75, presenter: false },
];

async function settle(s, frames = 6) {
  await s.waitFrames(frames);
}

test('every lesson fits the projector rooms; screenshots of each', { timeout: 4 * TEST_TIMEOUT_MS }, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url);
    const lessons = (await s.state()).lessons.map((l) => l.id);
    const problems = [];
    for (const room of ROOMS) {
      const dir = path.join(ensureShotsDir(), 'layout', room.name);
      mkdirSync(dir, { recursive: true });
      await s.page.setViewportSize({ width: room.width, height: room.height });
      assert.equal((await s.command(`font ${room.font}`)).ok, true);
      assert.equal((await s.command(`presenter ${room.presenter ? 'on' : 'off'}`)).ok, true);
      for (const id of lessons) {
        assert.equal(await s.open(id), true);
        await settle(s);
        const st = await s.state();
        const l = st.layout;
        assert.equal(st.presenter, room.presenter);
        assert.equal(st.font_scale, room.font);
        await s.page.screenshot({ path: path.join(dir, `${id}.png`) });
        const bad = l.cut_text || l.overlapping_text || l.overflowing_windows || !l.main_figure ||
          (room.presenter && !(l.main_figure_visible && l.main_figure_share >= 0.2));
        if (bad) problems.push(`${id} at ${room.name}: ${JSON.stringify(l)}`);
        if (st.missing_glyphs !== 0) problems.push(`${id} at ${room.name}: missing_glyphs ${st.missing_glyphs}`);
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
  }, { viewport: { width: 1280, height: 720 } });
});

// The region of a screenshot (as decoded RGBA) that differs between two shots, in pixels.
function changedPixels(a, b, box) {
  let n = 0;
  for (let y = box.y0; y < box.y1; y++)
    for (let x = box.x0; x < box.x1; x++) {
      const i = (y * a.width + x) * a.channels;
      if (a.pixels[i] !== b.pixels[i] || a.pixels[i + 1] !== b.pixels[i + 1] || a.pixels[i + 2] !== b.pixels[i + 2]) n++;
    }
  return n;
}

test('touch: a tap presses a button, a finger drag scrolls the controls and changes no setting', { timeout: TEST_TIMEOUT_MS }, async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 720 }, hasTouch: true });
  const page = await context.newPage();
  try {
    await page.goto(`${env.url}/index.html#lesson=gradient-descent`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.latentlab && window.latentlab.isReady === true, null, { timeout: 90_000 });
    const state = () => page.evaluate(() => window.latentlab.state());
    const frames = async (n) => {
      const f0 = (await state()).frame;
      await page.waitForFunction((t) => window.latentlab.state().frame >= t, f0 + n, { polling: 50 });
    };
    await page.evaluate(() => { window.latentlab.command('font 2.5'); window.latentlab.command('presenter off'); });
    await frames(6);
    assert.equal((await state()).list_shown, false, 'at 2.5× the list folds away by itself');
    // The list button, the first thing on the top bar.
    const em = 17 * 2.5;
    await page.touchscreen.tap(em * 0.6, em * 0.6);
    await frames(6);
    assert.equal((await state()).list_shown, true, 'a tap on ≡ showed the lesson list');
    await page.touchscreen.tap(em * 0.6, em * 0.6);
    await frames(6);
    assert.equal((await state()).list_shown, false);

    const before = await state();
    const shot0 = decodePng(await page.screenshot());
    // A finger on the lesson's first line of text (the controls column), dragged 250 px up.
    const cdp = await context.newCDPSession(page);
    const x = em, y0 = em * 2.6;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y: y0 }] });
    for (let i = 1; i <= 10; i++) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x, y: y0 - 25 * i }] });
      await frames(1);
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await frames(6);
    const shot1 = decodePng(await page.screenshot());
    const after = await state();
    const column = { x0: 0, x1: Math.floor(em * 12), y0: Math.floor(em * 1.5), y1: 700 };
    assert.ok(changedPixels(shot0, shot1, column) > 5000, 'the controls column scrolled');
    assert.deepEqual(after.lesson.start, before.lesson.start, 'the drag placed no start point');
    assert.equal(after.lesson.lr, before.lesson.lr, 'the drag moved no slider');
  } finally {
    await context.close();
  }
});

test('keys P, L and F: presenter view, lesson list, full screen', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url, { hash: '#lesson=gmm' });
    await s.page.click('canvas');
    await s.page.keyboard.press('p');
    await s.waitState((st) => st.presenter === true && st.list_shown === false, null, { what: 'presenter view' });
    await s.page.keyboard.press('l');
    await s.waitState((st) => st.list_shown === true, null, { what: 'the list shown' });
    await s.page.keyboard.press('f');
    await s.waitState((st) => st.fullscreen === true, null, { what: 'full screen' });
    await s.page.keyboard.press('f');
    await s.waitState((st) => st.fullscreen === false, null, { what: 'full screen left' });
    await s.page.keyboard.press('p');
    await s.waitState((st) => st.presenter === false, null, { what: 'presenter view off' });
  });
});

test('a window far below the minimum asks for more room, and the lab comes back', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url, { hash: '#lesson=vae' });
    for (const font of [1, 2.5]) {
      await s.command(`font ${font}`);
      await s.page.setViewportSize({ width: 320, height: 240 });
      await s.waitFrames(4);
      const small = await s.state();
      assert.equal(small.layout.main_figure, '', 'no lesson is drawn');
      assert.ok(small.layout.text_runs > 0, 'the message is drawn');
    }
    await s.command('font 1');
    await s.page.setViewportSize({ width: 1280, height: 800 });
    await s.waitFrames(4);
    const back = await s.state();
    assert.notEqual(back.layout.main_figure, '');
    assert.equal(back.active, 'vae');
  });
});
