// Training in the gradient-descent lesson (threaded build): start/stop/step commands,
// determinism under a fixed seed, and the keyboard shortcuts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useSiteAndBrowser, withPage, sleep, TEST_TIMEOUT_MS } from './harness.mjs';

const env = useSiteAndBrowser({ before, after }, { isolation: true });
const T = { timeout: TEST_TIMEOUT_MS };
const GD = 'gradient-descent';

const gd = async (s) => (await s.state()).training[GD];

async function openGd(s) {
  await s.load(env.url, { hash: `#lesson=${GD}` });
  await s.waitState((st, id) => st.active === id, GD, { what: `active = ${GD}` });
}

async function ok(s, text) {
  const r = await s.command(text);
  assert.equal(r.ok, true, `'${text}': ${r.message}`);
  return r;
}

/** One `train step`, waiting until the step counter moves; returns {step, loss} a couple of frames later. */
async function stepOnce(s) {
  const before = (await gd(s)).step;
  await ok(s, 'train step');
  await s.waitState((st, [id, b]) => st.training[id].step >= b + 1, [GD, before], { what: `step > ${before}` });
  await s.waitFrames(2);
  const t = await gd(s);
  assert.equal(t.step, before + 1, `train step moved ${before} -> ${t.step}`);
  return { step: t.step, loss: t.loss };
}

test('train start makes the step count rise with a finite loss', T, async () => {
  await withPage(env.browser, async (s) => {
    await openGd(s);
    const t0 = await gd(s);
    assert.equal(t0.running, false);
    await ok(s, 'train start');
    await s.waitState((st, id) => st.training[id].running === true, GD, { what: 'running' });
    const a = await gd(s);
    await sleep(1000);
    const b = await gd(s);
    assert.ok(b.step > a.step, `step rose over 1 s: ${a.step} -> ${b.step}`);
    assert.ok(Number.isFinite(b.loss), `loss finite: ${b.loss}`);
    await ok(s, 'train stop');
  });
});

test('train stop halts training', T, async () => {
  await withPage(env.browser, async (s) => {
    await openGd(s);
    await ok(s, 'train start');
    await s.waitState((st, id) => st.training[id].step >= 3, GD, { what: 'a few steps' });
    await ok(s, 'train stop');
    await s.waitState((st, id) => st.training[id].running === false, GD, { what: 'running = false' });
    await s.waitFrames(2); // a step already under way may still land
    const a = await gd(s);
    await sleep(800);
    await s.waitFrames(5);
    const b = await gd(s);
    assert.equal(b.running, false);
    assert.equal(b.step, a.step, `step moved after stop: ${a.step} -> ${b.step}`);
    assert.ok(Number.isFinite(b.loss), `loss finite: ${b.loss}`);
  });
});

test('train step advances exactly one step', T, async () => {
  await withPage(env.browser, async (s) => {
    await openGd(s);
    const first = await stepOnce(s);
    assert.ok(Number.isFinite(first.loss), `loss finite after one step: ${first.loss}`);
    await stepOnce(s);
    await stepOnce(s);
    await sleep(300);
    await s.waitFrames(3);
    const t = await gd(s);
    assert.equal(t.step, first.step + 2, 'no extra steps after train step');
    assert.equal(t.running, false, 'train step does not start running');
  });
});

test('the same seed gives the same losses at the same steps', T, async () => {
  const run = async () => {
    let result;
    await withPage(env.browser, async (s) => {
      await openGd(s);
      await ok(s, 'seed 1');
      await s.waitState((st) => st.seed === 1, null, { what: 'seed 1' });
      await s.waitFrames(2);
      const losses = new Map();
      for (let i = 0; i < 10; i++) {
        const { step, loss } = await stepOnce(s);
        assert.ok(Number.isFinite(loss), `loss at step ${step}: ${loss}`);
        losses.set(step, loss);
      }
      // Then run freely for a while and stop; keep the last reading too.
      await ok(s, 'train start');
      await s.waitState((st, id) => st.training[id].step >= 40, GD, { what: 'step >= 40', timeout: 60_000 });
      await ok(s, 'train stop');
      await s.waitState((st, id) => !st.training[id].running, GD, { what: 'stopped' });
      await s.waitFrames(3);
      const end = await gd(s);
      result = { losses, end };
    });
    return result;
  };
  const a = await run();
  const b = await run();
  const common = [...a.losses.keys()].filter((k) => b.losses.has(k));
  assert.ok(common.length >= 10, `steps in common: ${common}`);
  for (const k of common) {
    assert.equal(b.losses.get(k), a.losses.get(k), `loss at step ${k} differs between two runs with seed 1`);
  }
  assert.ok(Number.isFinite(a.end.loss) && Number.isFinite(b.end.loss), 'final losses finite');
  if (a.end.step === b.end.step) {
    assert.equal(b.end.loss, a.end.loss, `loss at step ${a.end.step} after running differs`);
  }
});

test('keyboard: Space toggles training, "." does one step', T, async () => {
  await withPage(env.browser, async (s) => {
    await openGd(s);
    await s.page.focus('#canvas');
    assert.equal(await s.page.evaluate(() => document.activeElement?.id), 'canvas', 'canvas takes focus');

    await s.page.keyboard.press('Space');
    await s.waitState((st, id) => st.training[id].running === true, GD, { what: 'Space starts training' });
    await s.waitState((st, id) => st.training[id].step >= 2, GD, { what: 'steps while running' });
    await s.page.keyboard.press('Space');
    await s.waitState((st, id) => st.training[id].running === false, GD, { what: 'Space pauses training' });

    await s.waitFrames(3);
    const before = (await gd(s)).step;
    await s.page.keyboard.press('.');
    await s.waitState((st, [id, b]) => st.training[id].step >= b + 1, [GD, before], { what: '"." steps' });
    await sleep(300);
    await s.waitFrames(3);
    const t = await gd(s);
    assert.equal(t.step, before + 1, `"." moved ${before} -> ${t.step}`);
    assert.equal(t.running, false, '"." does not start running');
  });
});
