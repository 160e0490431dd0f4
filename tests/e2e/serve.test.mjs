// web/serve.py on its own (no browser): headers, MIME types, --no-isolation, clean exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { spawn } from 'node:child_process';
import net from 'node:net';
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

// One raw request (fetch would normalise '/../' away); resolves with the status line and body.
function rawRequest(url, bytes) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(bytes));
    const chunks = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: text.split('\r\n', 1)[0], body: text });
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')));
  });
}

test('serve.py serves only the site folder: traversal, encoded dots and symlinks out of it are 404', async () => {
  const outer = mkdtempSync(path.join(tmpdir(), 'latentlab-serve-outer-'));
  const dir = path.join(outer, 'site');
  mkdirSync(path.join(dir, 'mt'), { recursive: true });
  mkdirSync(path.join(outer, 'other'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(path.join(outer, 'secret.txt'), 'SECRET');
  writeFileSync(path.join(outer, 'other', 'x.txt'), 'SECRET');
  symlinkSync(path.join(outer, 'secret.txt'), path.join(dir, 'file-link.txt'));
  symlinkSync(path.join(outer, 'other'), path.join(dir, 'dir-link'));
  const srv = await startServer({ dir });
  try {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E/secret.txt', '/mt/../../secret.txt',
      '/mt/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2f%2e%2e%2fsecret.txt', '//../secret.txt',
      '/file-link.txt', '/dir-link/x.txt', '/dir-link/', '/mt/', '/a%00b', '/%zz']) {
      const r = await rawRequest(srv.url, `GET ${p} HTTP/1.0\r\n\r\n`);
      assert.match(r.status, /^HTTP\/1\.[01] 404/, `${p}: ${r.status}`);
      assert.doesNotMatch(r.body, /SECRET/, p);
    }
    const ok = await rawRequest(srv.url, 'GET /index.html HTTP/1.0\r\n\r\n');
    assert.match(ok.status, /^HTTP\/1\.[01] 200/);
    assert.doesNotMatch(srv.output(), /Traceback/, srv.output());
  } finally {
    await srv.stop();
    rmSync(outer, { recursive: true, force: true });
  }
});

test('serve.py answers malformed requests with an error and keeps serving', async () => {
  await withServer({}, async (srv) => {
    const bad = [
      Buffer.from([0, 1, 2, 0x67, 0x61, 0x72, 0x62, 0x61, 0x67, 0x65, 13, 10, 13, 10]),
      'GET\r\n\r\n',
      'BREW /index.html HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /index.html HTTP/9.9\r\n\r\n',
      `GET /${'a'.repeat(70000)} HTTP/1.0\r\n\r\n`,
      `GET / HTTP/1.1\r\n${'X-A: b\r\n'.repeat(200)}\r\n`,
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\nConnection: close\r\n\r\n',
      Buffer.from('GET /\u00e9\u00ff HTTP/1.0\r\n\r\n', 'latin1'),
      'GET / HTTP/1.1\r\nHost',  // cut off
    ];
    for (const b of bad) await rawRequest(srv.url, b).catch(() => {});
    const r = await fetch(srv.url + '/index.html');
    assert.equal(r.status, 200);
    await r.arrayBuffer();
    assert.doesNotMatch(srv.output(), /Traceback/, srv.output());
  });
});

test('serve.py binds 127.0.0.1 unless --host says otherwise', async () => {
  const dir = tempSite();
  const proc = spawn('python3', [path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'web', 'serve.py'),
    '--dir', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let err = '';
    proc.stderr.on('data', (d) => { err += d; });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${err}`)), 10_000);
      proc.stderr.on('data', () => { if (/bound to/.test(err)) { clearTimeout(timer); resolve(); } });
    });
    assert.match(err, /bound to 127\.0\.0\.1;/);
  } finally {
    proc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('serve.py --lan binds every interface and prints the address to give the class', async () => {
  const dir = tempSite();
  const proc = spawn('python3', [path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'web', 'serve.py'),
    '--dir', dir, '--port', '0', '--lan'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let out = '', err = '';
    proc.stdout.on('data', (d) => { out += d; });
    proc.stderr.on('data', (d) => { err += d; });
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no LAN line: ${out} ${err}`)), 10_000);
      const check = () => { if (/on the local network: http:\/\//.test(out) && /bound to/.test(err)) { clearTimeout(timer); resolve(); } };
      proc.stdout.on('data', check);
      proc.stderr.on('data', check);
    });
    assert.match(err, /bound to 0\.0\.0\.0;/);
    assert.match(out, /^serving http:\/\/localhost:\d+/m);
  } finally {
    proc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
});
