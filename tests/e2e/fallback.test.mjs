// The page on a plain static host (no cross-origin isolation headers): the loader must
// fall back to the single-thread build, and the app must still work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useSiteAndBrowser, withPage, sleep, TEST_TIMEOUT_MS } from './harness.mjs';

const env = useSiteAndBrowser({ before, after }, { isolation: false });
const T = { timeout: TEST_TIMEOUT_MS };
const GD = 'gradient-descent';

test('without isolation headers the single-thread build loads', T, async () => {
  await withPage(env.browser, async (s) => {
    const resp = await s.load(env.url);
    const h = resp.headers();
    assert.equal(h['cross-origin-opener-policy'], undefined, 'no COOP header');
    assert.equal(h['cross-origin-embedder-policy'], undefined, 'no COEP header');
    assert.equal(await s.page.evaluate(() => self.crossOriginIsolated), false, 'crossOriginIsolated');
    const st = await s.state();
    assert.equal(st.build, 'st', 'fallback build');
    assert.ok(st.lessons.some((l) => l.id === GD), 'gradient-descent listed');
    assert.equal(st.active, 'welcome');
    assert.equal(await s.page.locator('#error').isVisible(), false, '#error hidden');
  });
});

test('single-thread build: lessons open, training steps and runs, page stays responsive', T, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url, { hash: `#lesson=${GD}` });
    await s.waitState((st, id) => st.active === id, GD, { what: `active = ${GD}` });

    const step0 = (await s.state()).training[GD].step;
    let r = await s.command('train step');
    assert.equal(r.ok, true, r.message);
    await s.waitState((st, [id, b]) => st.training[id].step === b + 1, [GD, step0], { what: 'one step' });

    r = await s.command('train start');
    assert.equal(r.ok, true, r.message);
    await s.waitState((st, id) => st.training[id].running, GD, { what: 'running' });
    const a = await s.state();
    const raf = await s.rafCount(1500);
    const b = await s.state();
    assert.ok(b.training[GD].step > a.training[GD].step, `step rose: ${a.training[GD].step} -> ${b.training[GD].step}`);
    assert.ok(Number.isFinite(b.training[GD].loss), `loss finite: ${b.training[GD].loss}`);
    assert.ok(raf >= 5, `page animation frames while training: ${raf} in 1.5 s`);
    assert.ok(b.frame - a.frame >= 5, `app frames while training: ${b.frame - a.frame} in 1.5 s`);

    r = await s.command('train stop');
    assert.equal(r.ok, true, r.message);
    await s.waitState((st, id) => !st.training[id].running, GD, { what: 'stopped' });
    await s.waitFrames(2);
    const c = (await s.state()).training[GD].step;
    await sleep(500);
    await s.waitFrames(3);
    assert.equal((await s.state()).training[GD].step, c, 'no steps after stop');
  });
});
