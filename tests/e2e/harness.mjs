// Shared helpers for the browser end-to-end tests: the static server (web/serve.py),
// headless Chromium (Debian's, through playwright-core), a page wrapper that collects
// console output and page errors, and a minimal PNG decoder for screenshot checks.
//
// Environment:
//   LATENTLAB_SITE   the built site (index.html, loader.js, mt/, st/); default <repo>/build/site
//   LATENTLAB_SHOTS  where screenshots go; default <repo>/build/screenshots
//   LATENTLAB_CHROMIUM  browser binary; default /usr/bin/chromium
//
// Only 127.0.0.1 is ever contacted.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '..', '..');
export const SITE = path.resolve(process.env.LATENTLAB_SITE || path.join(REPO, 'build', 'site'));
export const SHOTS = path.resolve(process.env.LATENTLAB_SHOTS || path.join(REPO, 'build', 'screenshots'));
export const CHROMIUM = process.env.LATENTLAB_CHROMIUM || '/usr/bin/chromium';

// Verified to give WebGL2 (SwiftShader) in headless mode on this machine.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const READY_TIMEOUT_MS = 90_000; // compiling the WASM under a slow CPU takes a while
export const TEST_TIMEOUT_MS = 180_000;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function assertSiteBuilt(site = SITE) {
  const needed = ['index.html', 'loader.js'];
  const missing = needed.filter((f) => !existsSync(path.join(site, f)));
  if (missing.length) {
    throw new Error(`site not built: ${missing.join(', ')} missing in ${site} (run ./lab build, or set LATENTLAB_SITE)`);
  }
}

// ------------------------------------------------------------------ server

/**
 * Starts web/serve.py on a free port (127.0.0.1 only).
 * @returns {Promise<{url: string, port: number, stop: () => Promise<void>, output: () => string}>}
 */
export function startServer({ dir = SITE, isolation = true, verbose = false } = {}) {
  const args = [path.join(REPO, 'web', 'serve.py'), '--dir', dir, '--port', '0', '--host', '127.0.0.1'];
  if (!isolation) args.push('--no-isolation');
  if (verbose) args.push('--verbose');
  const proc = spawn('python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });

  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`serve.py printed no URL within 10 s\nstdout: ${out}\nstderr: ${err}`));
    }, 10_000);
    proc.once('error', (e) => { clearTimeout(timer); reject(new Error(`cannot start python3: ${e.message}`)); });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`serve.py exited early (code ${code}, signal ${signal})\nstdout: ${out}\nstderr: ${err}`));
    });
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /serving http:\/\/localhost:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        const port = Number(m[1]);
        resolve({ url: `http://127.0.0.1:${port}`, port, stop, exited, output: () => out + err, proc });
      }
    });
  });
}

// ------------------------------------------------------------------ browser

export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found (apt-get install chromium, or set LATENTLAB_CHROMIUM)`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * One test's page: a fresh browser context, its console and page errors collected.
 * Use through withPage(), which closes it and checks for page errors.
 */
export class Session {
  constructor(context, page) {
    this.context = context;
    this.page = page;
    this.console = [];     // "type: text"
    this.pageErrors = [];  // uncaught exceptions / unhandled rejections in the page
    this.badResponses = []; // "status url" for responses >= 400
    page.on('console', (msg) => this.console.push(`${msg.type()}: ${msg.text()}`));
    page.on('pageerror', (e) => this.pageErrors.push(e.stack || String(e)));
    page.on('crash', () => this.pageErrors.push('page crashed'));
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) this.badResponses.push(`${r.status()} ${r.url()}`);
    });
    page.on('requestfailed', (r) => {
      if (!r.url().endsWith('/favicon.ico')) this.badResponses.push(`failed (${r.failure()?.errorText}) ${r.url()}`);
    });
  }

  /** Loads the site (optionally with a hash such as '#lesson=x') and, unless ready:false, waits for the app. */
  async load(baseUrl, { hash = '', ready = true } = {}) {
    const resp = await this.page.goto(`${baseUrl}/index.html${hash}`, { waitUntil: 'load' });
    this.mainResponse = resp;
    if (ready) await this.waitReady();
    return resp;
  }

  async waitReady(timeout = READY_TIMEOUT_MS) {
    try {
      await this.page.waitForFunction(() => window.latentlab && window.latentlab.isReady === true, null,
        { timeout, polling: 100 });
    } catch (e) {
      const errorText = await this.page.evaluate(() => document.getElementById('error')?.innerText || '')
        .catch(() => '');
      throw new Error(`app not ready within ${timeout} ms${errorText ? `; #error says: ${errorText}` : ''}: ${e.message}`);
    }
  }

  state() { return this.page.evaluate(() => window.latentlab.state()); }
  command(text) { return this.page.evaluate((t) => window.latentlab.command(t), text); }
  open(id) { return this.page.evaluate((t) => window.latentlab.open(t), id); }

  /** Waits until state() satisfies the predicate (a function of the state, run in the page). */
  async waitState(predicateSource, arg, { timeout = 15_000, what = 'state condition' } = {}) {
    try {
      await this.page.waitForFunction(
        ([src, a]) => (0, eval)(`(${src})`)(window.latentlab.state(), a),
        [predicateSource.toString(), arg], { timeout, polling: 50 });
    } catch (e) {
      const s = await this.state().catch((err) => `state() failed: ${err.message}`);
      const why = /Timeout/i.test(e.message) ? `timed out after ${timeout} ms` : `failed (${e.message.split('\n')[0]})`;
      throw new Error(`${why} waiting for ${what}; state now: ${JSON.stringify(s)}`);
    }
  }

  /** Waits until the app has drawn at least n more frames (by state().frame). */
  async waitFrames(n, timeout = 20_000) {
    const f0 = (await this.state()).frame;
    await this.waitState((s, target) => s.frame >= target, f0 + n, { timeout, what: `${n} more frames after ${f0}` });
  }

  /** Counts requestAnimationFrame callbacks in the page for ms milliseconds (page responsiveness). */
  rafCount(ms) {
    return this.page.evaluate((dur) => new Promise((resolve) => {
      let n = 0;
      const t0 = performance.now();
      const tick = () => { n++; if (performance.now() - t0 < dur) requestAnimationFrame(tick); else resolve(n); };
      requestAnimationFrame(tick);
    }), ms);
  }

  /** Text for a failure message: the page's console and errors. */
  report() {
    const lines = [];
    if (this.pageErrors.length) lines.push('page errors:', ...this.pageErrors.map((e) => `  ${e}`));
    if (this.badResponses.length) lines.push('failed requests:', ...this.badResponses.map((e) => `  ${e}`));
    const tail = this.console.slice(-40);
    if (tail.length) lines.push(`console (last ${tail.length} of ${this.console.length}):`, ...tail.map((l) => `  ${l}`));
    return lines.join('\n');
  }
}

/**
 * Runs fn(session) on a fresh page of `browser`, then fails if the page threw.
 * Any failure carries the page's console output.
 */
export async function withPage(browser, fn, { initScript, viewport = { width: 1280, height: 800 }, locale } = {}) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, acceptDownloads: true, ...(locale ? { locale } : {}) });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  if (initScript) await page.addInitScript(initScript);
  const session = new Session(context, page);
  try {
    await fn(session);
    if (session.pageErrors.length) throw new Error('the page threw an uncaught error');
    if (session.badResponses.length) throw new Error('a request for the site failed');
  } catch (e) {
    const extra = session.report();
    if (extra) e.message += `\n--- page output ---\n${extra}`;
    throw e;
  } finally {
    await context.close().catch(() => {});
  }
}

/**
 * Per-file fixture for node:test: a server and a browser shared by the file's tests.
 * Call inside a describe()/at top level: returns an object whose .url / .browser are set in before().
 */
export function useSiteAndBrowser({ before, after }, { isolation = true } = {}) {
  const env = { url: null, browser: null, server: null };
  before(async () => {
    assertSiteBuilt();
    env.server = await startServer({ isolation });
    env.url = env.server.url;
    env.browser = await launchBrowser();
  });
  after(async () => {
    if (env.browser) await env.browser.close().catch(() => {});
    if (env.server) await env.server.stop();
  });
  return env;
}

export function ensureShotsDir() {
  mkdirSync(SHOTS, { recursive: true });
  return SHOTS;
}

// ------------------------------------------------------------------ PNG

/**
 * Decodes a non-interlaced 8-bit PNG (grey, grey+alpha, RGB, RGBA, as Chromium writes them)
 * into {width, height, channels, pixels}. Enough to check a screenshot is not blank.
 */
export function decodePng(buf) {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (sig.some((b, i) => buf[i] !== b)) throw new Error('not a PNG');
  let off = 8;
  let width = 0, height = 0, bitDepth = 0, colorType = 0, interlace = 0;
  const idat = [];
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4);
      bitDepth = data[8]; colorType = data[9]; interlace = data[12];
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType];
  if (bitDepth !== 8 || !channels || interlace) {
    throw new Error(`unsupported PNG: depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}`);
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : null;
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? out[x - channels] : 0;
      const b = prev ? prev[x] : 0;
      const c = prev && x >= channels ? prev[x - channels] : 0;
      let v = line[x];
      switch (filter) {
        case 0: break;
        case 1: v += a; break;
        case 2: v += b; break;
        case 3: v += (a + b) >> 1; break;
        case 4: {
          const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
          v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: throw new Error(`bad PNG filter ${filter} on row ${y}`);
      }
      out[x] = v & 255;
    }
  }
  return { width, height, channels, pixels };
}

/** Colour statistics of a decoded image: distinct colours and the share of the most common one. */
export function colourStats({ width, height, channels, pixels }) {
  const counts = new Map();
  const n = width * height;
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    let key = 0;
    for (let c = 0; c < Math.min(channels, 3); c++) key = key * 256 + pixels[o + c];
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  let top = 0;
  for (const v of counts.values()) top = Math.max(top, v);
  return { distinct: counts.size, dominantShare: n ? top / n : 1, pixels: n };
}

// ------------------------------------------------------------------ every lesson

/**
 * Opens a lesson that reports training, starts it and checks that steps rise, the loss is
 * finite (or null for lessons without one), the page keeps drawing frames, and stop stops.
 */
export async function exerciseTraining(s, id, assert, { seconds = 2 } = {}) {
  assert.equal(await s.open(id), true, `open(${id})`);
  await s.waitState((st, want) => st.active === want, id, { what: `active = ${id}` });
  const started = await s.command('train start');
  assert.equal(started.ok, true, `${id}: train start: ${started.message}`);
  await s.waitState((st, want) => st.training[want].running === true, id, { what: `${id} running` });
  const a = await s.state();
  await s.waitState((st, [want, step]) => st.training[want].step > step, [id, a.training[id].step],
    { timeout: 30_000, what: `${id}: step rises while training` });
  const raf = await s.rafCount(seconds * 1000);
  const b = await s.state();
  const t = b.training[id];
  assert.ok(t.loss === null || Number.isFinite(t.loss), `${id}: loss is finite or null, got ${t.loss}`);
  assert.ok(raf >= 2 * seconds, `${id}: page kept drawing while training (${raf} frames in ${seconds} s)`);
  assert.ok(b.frame - a.frame >= 2 * seconds, `${id}: app frames while training: ${b.frame - a.frame}`);
  const stopped = await s.command('train stop');
  assert.equal(stopped.ok, true, `${id}: train stop: ${stopped.message}`);
  await s.waitState((st, want) => st.training[want].running === false, id, { what: `${id} stopped` });
}
