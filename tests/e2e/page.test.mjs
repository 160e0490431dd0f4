// The page served with cross-origin isolation: threaded build, lessons, navigation,
// commands, frame rate and a screenshot of every lesson.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  useSiteAndBrowser, withPage, decodePng, colourStats, ensureShotsDir, sleep, TEST_TIMEOUT_MS,
} from './harness.mjs';

const env = useSiteAndBrowser({ before, after }, { isolation: true });
const T = { timeout: TEST_TIMEOUT_MS };
const GD = 'gradient-descent';

test('loads cross-origin isolated: threaded build, lessons listed', T, async () => {
  await withPage(env.browser, async (s) => {
    const resp = await s.load(env.url);
    const h = resp.headers();
    assert.equal(h['cross-origin-opener-policy'], 'same-origin');
    assert.equal(h['cross-origin-embedder-policy'], 'require-corp');
    assert.equal(await s.page.evaluate(() => self.crossOriginIsolated), true, 'crossOriginIsolated');

    const st = await s.state();
    assert.equal(st.build, 'mt', 'build with isolation headers');
    assert.ok(Number.isInteger(st.threads) && st.threads >= 1, `threads = ${st.threads}`);
    assert.ok(Array.isArray(st.lessons) && st.lessons.length >= 2, 'lessons listed');
    for (const l of st.lessons) {
      assert.equal(typeof l.id, 'string', 'lesson id');
      assert.match(l.id, /^[A-Za-z0-9_-]+$/, 'lesson id usable in #lesson=');
      assert.ok(typeof l.title === 'string' && l.title.length > 0, `title of ${l.id}`);
    }
    const ids = st.lessons.map((l) => l.id);
    assert.equal(new Set(ids).size, ids.length, `lesson ids unique: ${ids}`);
    assert.ok(ids.includes('welcome'), 'welcome lesson present');
    assert.ok(ids.includes(GD), 'gradient-descent lesson present');
    assert.equal(st.active, 'welcome', 'default lesson without a hash');
    assert.ok(st.theme === 'dark' || st.theme === 'light', `theme = ${st.theme}`);
    assert.ok(st.font_scale >= 1 && st.font_scale <= 2.5, `font_scale = ${st.font_scale}`);
    assert.ok(Number.isInteger(st.seed), `seed = ${st.seed}`);
    assert.ok(st.training && typeof st.training === 'object', 'training object');
    assert.ok(st.training[GD], 'training state for gradient-descent');
    for (const k of ['running', 'step', 'loss']) assert.ok(k in st.training[GD], `training.${GD}.${k}`);
    assert.equal(st.training[GD].running, false, 'not training at start');

    const visible = await s.page.locator('#canvas').isVisible();
    assert.ok(visible, 'canvas visible');
    assert.equal(await s.page.locator('#error').isVisible(), false, '#error hidden');
    // ready is a Promise, and it has resolved.
    assert.equal(await s.page.evaluate(() => window.latentlab.ready instanceof Promise), true, 'ready is a Promise');
    assert.equal(await s.page.evaluate(() => Promise.race([
      window.latentlab.ready.then(() => 'resolved'),
      new Promise((r) => setTimeout(() => r('pending'), 2000)),
    ])), 'resolved', 'ready resolved');
  });
});

test('deep link #lesson=gradient-descent opens that lesson', T, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url, { hash: `#lesson=${GD}` });
    await s.waitState((st, id) => st.active === id, GD, { what: `active = ${GD}` });
    assert.equal(await s.page.evaluate(() => location.hash), `#lesson=${GD}`);
  });
});

test('open() switches lesson and sets the hash; changing the hash switches back', T, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url);
    assert.equal(await s.open(GD), true, `open(${GD})`);
    await s.waitState((st, id) => st.active === id, GD, { what: `active = ${GD}` });
    assert.equal(await s.page.evaluate(() => location.hash), `#lesson=${GD}`);

    await s.page.evaluate(() => { location.hash = '#lesson=welcome'; });
    await s.waitState((st) => st.active === 'welcome', null, { what: 'hash change to open welcome' });

    const r = await s.command(`open ${GD}`);
    assert.equal(r.ok, true, `open command: ${r.message}`);
    await s.waitState((st, id) => st.active === id, GD, { what: `command open ${GD}` });
    await s.page.waitForFunction((id) => location.hash === `#lesson=${id}`, GD, { timeout: 5000 });
  });
});

test('open() of an unknown lesson returns false and keeps the active one', T, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url, { hash: `#lesson=${GD}` });
    await s.waitState((st, id) => st.active === id, GD, { what: `active = ${GD}` });
    assert.equal(await s.open('no-such-lesson'), false);
    const r = await s.command('open no-such-lesson');
    assert.equal(r.ok, false, 'open command with unknown id');
    assert.ok(typeof r.message === 'string' && r.message.length > 0, 'message for unknown lesson');
    await s.waitFrames(3);
    assert.equal((await s.state()).active, GD);
    assert.equal(await s.page.evaluate(() => location.hash), `#lesson=${GD}`);
  });
});

test('unknown command is rejected with a message naming it', T, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url);
    const r = await s.command('frobnicate 3');
    assert.equal(r.ok, false);
    assert.match(r.message, /frobnicate/, `message: ${r.message}`);
    const e = await s.command('');
    assert.equal(typeof e.ok, 'boolean', 'empty command answered');
  });
});

test('theme command switches between dark and light', T, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url);
    let r = await s.command('theme light');
    assert.equal(r.ok, true, r.message);
    await s.waitState((st) => st.theme === 'light', null, { what: 'theme light' });
    r = await s.command('theme dark');
    assert.equal(r.ok, true, r.message);
    await s.waitState((st) => st.theme === 'dark', null, { what: 'theme dark' });
  });
});

test('font command sets the scale and rejects out-of-range values', T, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url);
    let r = await s.command('font 1.5');
    assert.equal(r.ok, true, r.message);
    await s.waitState((st) => Math.abs(st.font_scale - 1.5) < 1e-6, null, { what: 'font_scale 1.5' });
    for (const bad of ['font 3', 'font 0.5', 'font abc', 'font']) {
      r = await s.command(bad);
      assert.equal(r.ok, false, `'${bad}' rejected`);
      assert.ok(typeof r.message === 'string' && r.message.length > 0, `message for '${bad}'`);
    }
    await s.waitFrames(2);
    assert.ok(Math.abs((await s.state()).font_scale - 1.5) < 1e-6, 'rejected values leave the scale alone');
    r = await s.command('font 2.5');
    assert.equal(r.ok, true, `upper bound accepted: ${r.message}`);
    r = await s.command('font 1');
    assert.equal(r.ok, true, `lower bound accepted: ${r.message}`);
    await s.waitState((st) => Math.abs(st.font_scale - 1) < 1e-6, null, { what: 'font_scale 1' });
  });
});

test('seed command sets the seed', T, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url);
    const r = await s.command('seed 1234');
    assert.equal(r.ok, true, r.message);
    await s.waitState((st) => st.seed === 1234, null, { what: 'seed 1234' });
  });
});

test('frame rate above 5 fps, and frames keep coming while training', T, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url);
    await sleep(2000);
    await s.waitState((st) => st.fps > 5, null, { timeout: 15_000, what: 'fps > 5' });

    assert.equal(await s.open(GD), true);
    const r = await s.command('train start');
    assert.equal(r.ok, true, r.message);
    await s.waitState((st, id) => st.training[id].running, GD, { what: 'training running' });
    const f0 = (await s.state()).frame;
    const t0 = Date.now();
    const raf = await s.rafCount(2000);
    const st = await s.state();
    const secs = (Date.now() - t0) / 1000;
    assert.ok(st.training[GD].running, 'still training');
    assert.ok(raf >= 6, `page animation frames while training: ${raf} in 2 s`);
    assert.ok(st.frame - f0 >= 6, `app frames while training: ${st.frame - f0} in ${secs.toFixed(1)} s`);
    // The main thread answers quickly while training runs.
    const t1 = Date.now();
    await s.state();
    assert.ok(Date.now() - t1 < 1000, `state() round trip took ${Date.now() - t1} ms while training`);
    await s.command('train stop');
  });
});

test('an unchanged page is not drawn again, a change is drawn at once', T, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url);
    await sleep(1500);
    const s0 = await s.state();
    await sleep(2000);
    const s1 = await s.state();
    const frames = s1.frame - s0.frame, drawn = s1.drawn_frames - s0.drawn_frames;
    assert.ok(frames >= 20, `app frames in 2 s: ${frames}`);
    assert.ok(drawn * 4 < frames, `an idle page drew ${drawn} of its ${frames} frames`);
    const r = await s.command('theme light');
    assert.equal(r.ok, true, r.message);
    await s.waitState((st, d) => st.drawn_frames > d, s1.drawn_frames, { what: 'the new theme drawn' });
  });
});

// Waits until the app has drawn nothing for `quiet` ms; the state then.
async function settle(s, quiet = 400) {
  let last = await s.state();
  for (let t0 = Date.now(); Date.now() - t0 < 20_000;) {
    await sleep(quiet);
    const st = await s.state();
    if (st.drawn_frames === last.drawn_frames) return st;
    last = st;
  }
  throw new Error(`the page kept drawing for 20 s: ${last.drawn_frames} frames drawn`);
}

test('a frame redraws only the region that changed, and the canvas matches a whole redraw', T, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url, { hash: '#lesson=cooccurrence' });
    const s0 = await settle(s);
    // Hover down the lesson list and back: each frame changes one or two highlighted rows.
    for (const y of [140, 180, 220, 260, 300, 200, 120]) {
      await s.page.mouse.move(90, y);
      await sleep(120);
    }
    await s.page.mouse.move(640, 790);
    const s1 = await settle(s, 400);
    const drawn = s1.drawn_frames - s0.drawn_frames, partial = s1.partial_frames - s0.partial_frames;
    assert.ok(drawn >= 5, `frames drawn while hovering: ${drawn}`);
    assert.ok(partial * 2 >= drawn, `${partial} of the ${drawn} frames drawn redrew only what changed`);
    // A screenshot of the patched canvas, then one of a whole redraw with no other frame in
    // between (the menu bar's fps figure may change at any second: then try again).
    let patchedPng = null, wholePng = null;
    for (let attempt = 0; attempt < 5 && !wholePng; ++attempt) {
      const before = await settle(s, 400);
      patchedPng = await s.page.screenshot();
      const mid = await s.state();
      if (mid.drawn_frames !== before.drawn_frames) continue;
      await s.page.evaluate(() => window.latentlab.redraw());
      await s.waitState((st, d) => st.drawn_frames > d, mid.drawn_frames, { what: 'a whole redraw' });
      const shot = await s.page.screenshot();
      const after = await s.state();
      if (after.drawn_frames !== mid.drawn_frames + 1) continue;
      assert.equal(after.partial_frames, mid.partial_frames, 'the requested redraw covered the whole canvas');
      wholePng = shot;
    }
    assert.ok(wholePng, 'the page kept drawing new frames between screenshots');
    const patched = decodePng(patchedPng);
    const whole = decodePng(wholePng);
    assert.deepEqual([patched.width, patched.height], [whole.width, whole.height]);
    let differing = 0;
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    for (let i = 0; i < whole.pixels.length; ++i) {
      if (whole.pixels[i] === patched.pixels[i]) continue;
      ++differing;
      const p = Math.floor(i / whole.channels), x = p % whole.width, y = Math.floor(p / whole.width);
      box[0] = Math.min(box[0], x), box[1] = Math.min(box[1], y), box[2] = Math.max(box[2], x), box[3] = Math.max(box[3], y);
    }
    if (differing) {
      const dir = ensureShotsDir();
      writeFileSync(path.join(dir, 'redraw-patched.png'), patchedPng);
      writeFileSync(path.join(dir, 'redraw-whole.png'), wholePng);
    }
    assert.equal(differing, 0, `bytes that differ between the patched canvas and a whole redraw, within x ${box[0]}–${box[2]}, ` +
                               `y ${box[1]}–${box[3]} (both screenshots saved as redraw-*.png)`);
    assert.ok(colourStats(whole).distinct > 8, 'the screenshot shows a drawn page');
  });
});

test('screenshot of every lesson shows a rendered picture', T, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url);
    const dir = ensureShotsDir();
    const { lessons } = await s.state();
    assert.ok(lessons.some((l) => l.id === GD), 'gradient-descent listed');
    const images = new Map();
    for (const { id } of lessons) {
      assert.equal(await s.open(id), true, `open(${id})`);
      await s.waitState((st, want) => st.active === want, id, { what: `active = ${id}` });
      await s.waitFrames(5);
      const png = await s.page.screenshot({ type: 'png' });
      writeFileSync(path.join(dir, `${id}.png`), png);
      const img = decodePng(png);
      const stats = colourStats(img);
      assert.ok(stats.distinct >= 16 && stats.dominantShare < 0.97,
        `${id}.png looks blank: ${stats.distinct} colours, ${(stats.dominantShare * 100).toFixed(1)}% one colour`);
      images.set(id, img);
    }
    // Opening a lesson changes what is drawn: each differs from the welcome screen.
    const welcome = images.get('welcome');
    for (const [id, img] of images) {
      if (id === 'welcome' || !welcome) continue;
      let diff = 0;
      const n = img.width * img.height;
      for (let i = 0; i < n; i++) {
        const o = i * img.channels;
        if (Math.abs(img.pixels[o] - welcome.pixels[o]) + Math.abs(img.pixels[o + 1] - welcome.pixels[o + 1])
            + Math.abs(img.pixels[o + 2] - welcome.pixels[o + 2]) > 24) diff++;
      }
      assert.ok(diff / n > 0.005, `${id}.png is nearly the same as welcome.png (${diff} pixels differ)`);
    }
  });
});
