// The Chinese interface in a real browser: the language from the browser's languages, a
// #lang= link and the remembered choice; every lesson in 中文 at the projector size with no
// missing glyph and nothing cut (a screenshot of each, build output); Chinese typed through
// Chromium's input-method path (CDP Input.imeSetComposition, then Input.insertText) into a
// lesson's text field, and Chinese pasted into one, on both page builds.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { useSiteAndBrowser, withPage, ensureShotsDir, TEST_TIMEOUT_MS } from './harness.mjs';

const env = useSiteAndBrowser({ before, after });
const plain = useSiteAndBrowser({ before, after }, { isolation: false });  // the single-thread build

const hasCjk = (s) => /[\u3000-\u9fff\uff00-\uffef]/.test(s);

test('language: the browser\'s, a #lang= link, then the remembered choice', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url);
    let st = await s.state();
    assert.equal(st.lang, 'zh', 'a zh-CN browser gets 中文');
    assert.ok(st.lessons.every((l) => hasCjk(l.title) || l.id === 'word2vec'), JSON.stringify(st.lessons));
    assert.ok(st.lessons.every((l) => hasCjk(l.group)));
    // Chosen in the app: remembered over the browser's language.
    assert.equal((await s.command('lang en')).ok, true);
    await s.load(env.url);
    assert.equal((await s.state()).lang, 'en');
    // A link's language wins for the visit; with the lesson too.
    await s.load(env.url, { hash: '#lang=zh&lesson=bayes' });
    st = await s.state();
    assert.equal(st.lang, 'zh');
    assert.equal(st.active, 'bayes');
    // An unknown language is refused with the list.
    const r = await s.command('lang fr');
    assert.equal(r.ok, false);
    assert.match(r.message, /en, zh/);
  }, { locale: 'zh-CN' });
  await withPage(env.browser, async (s) => {
    await s.load(env.url);
    assert.equal((await s.state()).lang, 'en', 'an en-US browser gets English');
  }, { locale: 'en-US' });
});

test('every lesson in 中文 at the projector size: no missing glyph, nothing cut; screenshots', { timeout: 4 * TEST_TIMEOUT_MS }, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url, { hash: '#lang=zh' });
    const dir = path.join(ensureShotsDir(), 'zh');
    mkdirSync(dir, { recursive: true });
    const rooms = [{ name: '1280x720@2', w: 1280, h: 720, font: 2, presenter: true }, { name: '1920x1080@1', w: 1920, h: 1080, font: 1, presenter: false }];
    const problems = [];
    const ids = (await s.state()).lessons.map((l) => l.id);
    for (const room of rooms) {
      await s.page.setViewportSize({ width: room.w, height: room.h });
      assert.equal((await s.command(`font ${room.font}`)).ok, true);
      assert.equal((await s.command(`presenter ${room.presenter ? 'on' : 'off'}`)).ok, true);
      for (const id of ids) {
        assert.equal(await s.open(id), true);
        await s.waitFrames(6);
        const st = await s.state();
        await s.page.screenshot({ path: path.join(dir, `${id}-${room.name}.png`) });
        const l = st.layout;
        if (l.cut_text || l.overlapping_text || l.overflowing_windows) problems.push(`${id} at ${room.name}: ${JSON.stringify(l)}`);
        if (st.missing_glyphs !== 0) problems.push(`${id} at ${room.name}: missing_glyphs ${st.missing_glyphs}`);
      }
    }
    assert.deepEqual(problems, [], problems.join('\n'));
    const st = await s.state();
    console.log(`atlas in 中文: ${st.glyphs.in_atlas} glyphs, ${st.glyphs.atlas_width}x${st.glyphs.atlas_height}, ` +
      `${(st.glyphs.atlas_bytes / 1048576).toFixed(1)} MB RGBA, last build ${st.glyphs.last_build_ms.toFixed(0)} ms`);
  }, { viewport: { width: 1280, height: 720 } });
});

// ImGui 1.86 reads keys as held or not once a frame: a key pressed and released within one
// frame is never seen, so keys are held for a few frames.
async function holdKeys(s, keys) {
  for (const k of keys) await s.page.keyboard.down(k);
  await s.waitFrames(2);
  for (const k of [...keys].reverse()) await s.page.keyboard.up(k);
  await s.waitFrames(2);
}

// Clicks the text field whose label (drawn right of the field) is `label`.
async function clickFieldLabelled(s, label) {
  const where = await s.command(`where ${label}`);
  assert.equal(where.ok, true, where.message);
  const [x0, y0, , y1] = where.message.split(' ').map(Number);
  await s.page.mouse.click(x0 - 30, (y0 + y1) / 2);
  await s.waitFrames(3);
}

for (const [name, build] of [['threaded', () => env], ['single-thread', () => plain]]) {
  test(`typing Chinese through the input method and pasting it (${name} page)`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const e = build();
    await withPage(e.browser, async (s) => {
      await s.load(e.url, { hash: '#lesson=word2vec&lang=en' });
      await s.waitState((st) => st.lesson.pretrained && st.lesson.pretrained.words > 0, null, { timeout: 60_000, what: 'the pretrained vectors' });
      await s.waitFrames(3);
      await clickFieldLabelled(s, 'nearest to');
      const focused = await s.page.evaluate(() => document.activeElement && document.activeElement.id);
      assert.equal(focused, 'text-input', 'the text area at the caret has the focus');
      await holdKeys(s, ['Control', 'a']);
      await holdKeys(s, ['Backspace']);
      await s.waitState((st) => st.lesson.nearest.word === '', null, { what: 'an empty field' });

      // Composition: shown at the caret by the page, nothing committed yet.
      const cdp = await s.context.newCDPSession(s.page);
      await cdp.send('Input.imeSetComposition', { text: 'guo', selectionStart: 3, selectionEnd: 3 });
      await cdp.send('Input.imeSetComposition', { text: '国', selectionStart: 1, selectionEnd: 1 });
      assert.equal(await s.page.evaluate(() => document.getElementById('text-input').classList.contains('composing')), true);
      await s.page.screenshot({ path: path.join(ensureShotsDir(), `ime-composing-${name}.png`) });
      assert.equal((await s.state()).lesson.nearest.word, '');
      await cdp.send('Input.insertText', { text: '国王' });
      await s.waitState((st) => st.lesson.nearest.word === '国王', null, { what: 'the committed 国王 in the field' });
      await s.waitFrames(3);
      let st = await s.state();
      assert.equal(st.missing_glyphs, 0);
      assert.equal(await s.page.evaluate(() => document.getElementById('text-input').value), '');

      // Paste: the page's paste event hands the text over.
      await s.page.evaluate(() => {
        const data = new DataTransfer();
        data.setData('text/plain', '女王');
        document.getElementById('text-input').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      });
      await s.waitState((st) => st.lesson.nearest.word === '国王女王', null, { what: 'the pasted 女王' });
      await s.waitFrames(3);
      st = await s.state();
      assert.equal(st.missing_glyphs, 0);
      // Leaving the field gives the keyboard back to the canvas: shortcuts work again.
      await holdKeys(s, ['Escape']);
      await s.waitFrames(3);
      assert.equal(await s.page.evaluate(() => document.activeElement && document.activeElement.id), 'canvas');
    });
  });
}
