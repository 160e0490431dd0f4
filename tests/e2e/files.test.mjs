// Files from the page: the VAE lesson's model is offered as a safetensors download.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useSiteAndBrowser, withPage, TEST_TIMEOUT_MS } from './harness.mjs';

const env = useSiteAndBrowser({ before, after }, { isolation: true });

test('vae save offers the model as a safetensors download', { timeout: TEST_TIMEOUT_MS }, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url, { hash: '#lesson=vae' });
    await s.waitState((st) => st.active === 'vae', null, { what: 'vae lesson open' });
    const download = s.page.waitForEvent('download', { timeout: 60_000 });
    const r = await s.command('vae save');
    assert.equal(r.ok, true, r.message);
    const file = await download;
    assert.match(file.suggestedFilename(), /\.safetensors$/);
    const bytes = readFileSync(await file.path());
    // safetensors: an 8-byte little-endian header length, then a JSON header.
    const headerLength = Number(bytes.readBigUInt64LE(0));
    assert.ok(headerLength > 2 && 8 + headerLength <= bytes.length, `header length ${headerLength} of ${bytes.length}`);
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
    assert.ok(header.__metadata__, 'metadata in the header');
    const tensors = Object.keys(header).filter((k) => k !== '__metadata__');
    assert.ok(tensors.length >= 4, `tensors: ${tensors.join(', ')}`);
  });
});
