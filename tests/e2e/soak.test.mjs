// A class's worth of use in one tab: cycles through every lesson, starts and stops training,
// starts and cancels a DDPM chain, samples the GAN, switches seeds, font scale, theme and the
// presenter view, and uploads a file that is not text. At the end the WASM heap, the JS heap and
// the number of pthread workers must be within a bound of their values after the first cycle,
// the page must still draw at its usual pace, and no error may have reached the console.
//
// LATENTLAB_SOAK_SECONDS sets the length (default 60: the short version that `./lab test`
// runs; `./lab soak [MINUTES]` runs it for 10 minutes or as asked).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { assertSiteBuilt, startServer, CHROMIUM, CHROMIUM_ARGS, Session, sleep } from './harness.mjs';

const SECONDS = Number(process.env.LATENTLAB_SOAK_SECONDS || 60);
const MB = 1024 * 1024;
// Bounds after the first cycle (every lesson has allocated its models by then).
const WASM_HEAP_GROWTH = 32 * MB;  // bytes malloc has handed out (state().wasm_heap.used)
const JS_HEAP_FACTOR = 1.5, JS_HEAP_SLACK = 16 * MB;

async function measure(s) {
  return s.page.evaluate(() => {
    if (window.gc) window.gc();
    const heap = window.latentlab.state().wasm_heap;
    const pt = typeof PThread !== 'undefined' ? PThread : null;
    return {
      wasm_heap: heap.used,
      wasm_memory: heap.size,
      js_heap: performance.memory ? performance.memory.usedJSHeapSize : 0,
      workers: pt ? pt.runningWorkers.length + pt.unusedWorkers.length : 0,
      running_workers: pt ? pt.runningWorkers.length : 0,
    };
  });
}

async function uploadNotText(s) {
  const chooser = s.page.waitForEvent('filechooser', { timeout: 10_000 });
  assert.equal((await s.command('w2v corpus upload')).ok, true);
  await (await chooser).setFiles({ name: 'photo.png', mimeType: 'image/png',
    buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xfe]) });
  await s.waitState((st) => st.lesson.corpus_message.includes('photo.png'), null, { what: 'the bad upload explained' });
}

async function cycle(s, n, lessons, trainable) {
  await s.command(`seed ${n + 1}`);
  await s.command(`font ${n % 2 ? 1.5 : 1}`);
  await s.command(`theme ${n % 2 ? 'light' : 'dark'}`);
  await s.command(`presenter ${n % 3 === 1 ? 'on' : 'off'}`);
  for (const id of lessons) {
    assert.equal(await s.open(id), true);
    await s.waitFrames(2);
    if (trainable.includes(id)) {
      await s.command('train start');
      await sleep(300);
      await s.command('train stop');
    }
    if (id === 'diffusion') {
      await s.command('diffusion chain ddim 10');
      await sleep(200);
      await s.command('diffusion chain-cancel');
    }
    if (id === 'gan') await s.command(`gan sample ${n + 3}`);
    if (id === 'word2vec' && n % 2 === 0) await uploadNotText(s);
  }
}

test(`soak: ${SECONDS} s of lessons, training, chains, seeds, scales and bad files; memory and workers stay bounded`,
  { timeout: (SECONDS + 240) * 1000 }, async () => {
    assertSiteBuilt();
    const server = await startServer();
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
      args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const s = new Session(context, await context.newPage());
    try {
      await s.load(server.url);
      const st = await s.state();
      const lessons = st.lessons.map((l) => l.id);
      const trainable = Object.keys(st.training);
      const t0 = Date.now();
      await cycle(s, 0, lessons, trainable);
      await s.command('open welcome');
      await s.waitFrames(10);
      const first = await measure(s);
      const fps0 = (await s.state()).fps;
      let cycles = 1;
      while (Date.now() - t0 < SECONDS * 1000) await cycle(s, cycles++, lessons, trainable);
      await s.command('open welcome');
      await s.command('font 1');
      await s.waitFrames(60);  // the frame rate settles over a second of ImGui's average
      const last = await measure(s);
      const fps1 = (await s.state()).fps;
      const summary = `soak: ${cycles} cycles in ${((Date.now() - t0) / 1000).toFixed(0)} s; ` +
        `WASM heap in use ${(first.wasm_heap / MB).toFixed(0)} → ${(last.wasm_heap / MB).toFixed(0)} MB ` +
        `(memory ${(first.wasm_memory / MB).toFixed(0)} → ${(last.wasm_memory / MB).toFixed(0)} MB), ` +
        `JS heap ${(first.js_heap / MB).toFixed(1)} → ${(last.js_heap / MB).toFixed(1)} MB, ` +
        `workers ${first.workers} (${first.running_workers} running) → ${last.workers} (${last.running_workers} running), ` +
        `fps ${fps0.toFixed(0)} → ${fps1.toFixed(0)}`;
      console.log(summary);
      assert.ok(cycles >= 2, 'at least two cycles');
      assert.ok(last.wasm_heap <= first.wasm_heap + WASM_HEAP_GROWTH, `WASM heap grew too much: ${summary}`);
      assert.ok(last.js_heap <= first.js_heap * JS_HEAP_FACTOR + JS_HEAP_SLACK, `JS heap grew too much: ${summary}`);
      assert.ok(last.workers <= first.workers, `pthread workers grew: ${summary}`);
      assert.ok(fps1 >= Math.min(20, fps0 * 0.5), `the page slowed down: ${summary}`);
      const errors = s.console.filter((l) => l.startsWith('error:'));
      assert.deepEqual(errors, [], `console errors:\n${errors.join('\n')}`);
      assert.deepEqual(s.pageErrors, [], s.report());
    } finally {
      await browser.close().catch(() => {});
      await server.stop();
    }
  });
