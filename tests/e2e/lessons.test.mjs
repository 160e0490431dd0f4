// Every lesson that trains, on both builds: the threaded one (cross-origin isolated) and the
// single-thread fallback of a plain static host. Steps rise, the page keeps drawing, stop stops.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useSiteAndBrowser, withPage, exerciseTraining, TEST_TIMEOUT_MS } from './harness.mjs';

for (const isolation of [true, false]) {
  const build = isolation ? 'mt' : 'st';
  const env = useSiteAndBrowser({ before, after }, { isolation });
  test(`${build} build: every training lesson trains and stops`, { timeout: 6 * TEST_TIMEOUT_MS }, async () => {
    await withPage(env.browser, async (s) => {
      await s.load(env.url);
      const st = await s.state();
      assert.equal(st.build, build);
      const trainable = Object.keys(st.training);
      assert.ok(trainable.length >= 1, 'at least one lesson trains');
      for (const id of trainable) await exerciseTraining(s, id, assert);
    });
  });
}
