// web/serve.py on its own (no browser): headers, MIME types, --no-isolation, clean exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './harness.mjs';

function tempSite() {
  const dir = mkdtempSync(path.join(tmpdir(), 'latentlab-serve-'));
  mkdirSync(path.join(dir, 'mt'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(dir, 'loader.js'), 'console.log(1);');
  writeFileSync(path.join(dir, 'mt', 'latentlab_web.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(path.join(dir, 'mt', 'latentlab_web.worker.js'), '');
  return dir;
}

async function withServer(opts, fn) {
  const dir = tempSite();
  const srv = await startServer({ dir, ...opts });
  try { await fn(srv); } finally { await srv.stop(); rmSync(dir, { recursive: true, force: true }); }
}

test('serve.py: isolation headers, MIME types and no-cache on every response', async () => {
  await withServer({}, async ({ url }) => {
    for (const [file, type] of [['/', 'text/html'], ['/index.html', 'text/html'], ['/loader.js', 'javascript'],
      ['/mt/latentlab_web.wasm', 'application/wasm'], ['/mt/latentlab_web.worker.js', 'javascript']]) {
      const r = await fetch(url + file);
      assert.equal(r.status, 200, file);
      assert.ok((r.headers.get('content-type') || '').includes(type), `${file}: ${r.headers.get('content-type')}`);
      assert.equal(r.headers.get('cross-origin-opener-policy'), 'same-origin', file);
      assert.equal(r.headers.get('cross-origin-embedder-policy'), 'require-corp', file);
      assert.equal(r.headers.get('cross-origin-resource-policy'), 'same-origin', file);
      assert.equal(r.headers.get('cache-control'), 'no-cache', file);
      await r.arrayBuffer();
    }
    const wasm = Buffer.from(await (await fetch(url + '/mt/latentlab_web.wasm')).arrayBuffer());
    assert.deepEqual([...wasm.subarray(0, 4)], [0, 0x61, 0x73, 0x6d], 'wasm bytes served as is');
    const missing = await fetch(url + '/nope.js');
    assert.equal(missing.status, 404);
    await missing.arrayBuffer();
  });
});

test('serve.py --no-isolation sends no cross-origin isolation headers', async () => {
  await withServer({ isolation: false }, async ({ url }) => {
    const r = await fetch(url + '/index.html');
    assert.equal(r.status, 200);
    for (const h of ['cross-origin-opener-policy', 'cross-origin-embedder-policy', 'cross-origin-resource-policy']) {
      assert.equal(r.headers.get(h), null, h);
    }
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    await r.arrayBuffer();
  });
});

test('serve.py exits with status 0 on SIGINT and prints nothing per request by default', async () => {
  const dir = tempSite();
  try {
    const srv = await startServer({ dir });
    await (await fetch(srv.url + '/index.html')).arrayBuffer();
    srv.proc.kill('SIGINT');
    const { code } = await srv.exited;
    assert.equal(code, 0, srv.output());
    assert.doesNotMatch(srv.output(), /GET \/index\.html/, 'no access log without --verbose');
    assert.doesNotMatch(srv.output(), /Traceback/, srv.output());
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
