// Browsers without WebAssembly or WebGL2 get a readable message in #error, not a blank canvas.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useSiteAndBrowser, withPage, sleep, TEST_TIMEOUT_MS } from './harness.mjs';

const env = useSiteAndBrowser({ before, after }, { isolation: true });
const T = { timeout: TEST_TIMEOUT_MS };

async function expectErrorPage(s, mentions) {
  await s.load(env.url, { ready: false });
  const box = s.page.locator('#error');
  await box.waitFor({ state: 'visible', timeout: 30_000 });
  const text = (await box.innerText()).trim();
  assert.ok(text.length >= 20, `#error has a readable message: '${text}'`);
  assert.match(text, mentions, `#error names what is missing: '${text}'`);
  const bb = await box.boundingBox();
  assert.ok(bb && bb.width > 50 && bb.height > 20, `#error has a visible size: ${JSON.stringify(bb)}`);
  await sleep(500);
  assert.notEqual(await s.page.evaluate(() => window.latentlab && window.latentlab.isReady), true,
    'the app does not report ready');
  assert.ok(await box.isVisible(), '#error still visible');
}

test('without WebAssembly the page shows a message instead of a blank canvas', T, async () => {
  await withPage(env.browser, async (s) => {
    await expectErrorPage(s, /WebAssembly|WASM/i);
  }, { initScript: () => { delete globalThis.WebAssembly; } });
});

test('without WebGL2 the page shows a message instead of a blank canvas', T, async () => {
  await withPage(env.browser, async (s) => {
    await expectErrorPage(s, /WebGL/i);
  }, {
    initScript: () => {
      for (const C of [globalThis.HTMLCanvasElement, globalThis.OffscreenCanvas]) {
        if (!C) continue;
        const orig = C.prototype.getContext;
        C.prototype.getContext = function (type, ...rest) {
          return type === 'webgl2' ? null : orig.call(this, type, ...rest);
        };
      }
    },
  });
});
