// Browser against native, paired in one run: one word2vec epoch over the default corpus
// with 2 threads in the threaded page (headless Chromium, the lesson drawing all along),
// then the native CLI with the lesson's exact settings, in turn, ROUNDS times. Prints each
// pair, their ratio, the median ratio (target ≤ 1.5) and the page's frame rate during training.
// Training starts once the page has settled: both assets loaded and the training code warmed
// up (the lesson does that by itself while it is idle), as when a user reads before training.
//
// usage: node bench-browser.mjs NATIVE_LATENTLAB [ROUNDS]      (./lab bench browser runs it)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { SITE, startServer, launchBrowser, withPage, assertSiteBuilt } from './harness.mjs';

const cli = process.argv[2];
const rounds = Number(process.argv[3] || 3);
if (!cli || !(rounds >= 1)) {
  console.error('usage: node bench-browser.mjs NATIVE_LATENTLAB [ROUNDS]');
  process.exit(2);
}
const corpus = path.join(SITE, 'assets', 'wordnet-glosses.txt');

async function ok(s, text) {
  const r = await s.command(text);
  if (!r.ok) throw new Error(`'${text}': ${r.message}`);
}

// One native epoch with the page's settings; its training seconds, as the page counts them.
function nativeEpoch(config) {
  const args = ['word2vec', 'train', '--corpus', corpus, '--out', '/dev/null', '--arch', config.arch, '--loss', config.loss,
    '--dim', config.dim, '--window', config.window, '--negative', config.negative, '--epochs', 1,
    '--min-count', config.min_count, '--lr', config.lr, '--sample', config.sample, '--threads', config.threads];
  const run = spawnSync(cli, args.map(String), { encoding: 'utf8' });
  const m = /trained (\d+) words in ([\d.]+) s/.exec(run.stdout || '');
  if (run.status !== 0 || !m) throw new Error(`native run failed: ${run.stderr || run.stdout}`);
  return { words: Number(m[1]), seconds: Number(m[2]) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

assertSiteBuilt();
const server = await startServer({ isolation: true });
const browser = await launchBrowser();
try {
  const ratios = [];
  const fps = [];
  let config = null;
  console.log('round  browser s  native s  ratio  page fps while training');
  for (let r = 1; r <= rounds; ++r) {
    // A fresh page each round, closed before the native run so that it draws nothing then.
    let page = null;
    await withPage(browser, async (s) => {
      await s.load(server.url, { hash: '#lesson=word2vec' });
      await s.waitState((st) => st.lesson.default_corpus === 'loaded' && st.lesson.pretrained.status === 'loaded' &&
                                st.lesson.training_code_warm, null, { timeout: 60_000, what: 'assets loaded, code warm' });
      for (const c of ['w2v corpus wordnet', 'w2v set epochs 1', 'w2v set threads 2', 'w2v train']) await ok(s, c);
      fps.push(await s.rafCount(500) * 2);
      // The page times the epoch itself; polling it seldom keeps the harness off the CPU.
      await s.waitState((st) => st.lesson.finished === true && !st.lesson.running, null,
        { timeout: 120_000, what: 'one epoch finished', polling: 250 });
      const st = await s.state();
      page = st.lesson;
      config = st.lesson.config;
    });
    const native = nativeEpoch(config);
    if (native.words !== page.corpus_tokens) throw new Error(`native trained ${native.words} words, the page ${page.corpus_tokens}`);
    ratios.push(page.epoch_seconds / native.seconds);
    console.log(`${String(r).padStart(5)}  ${page.epoch_seconds.toFixed(3).padStart(9)}  ${native.seconds.toFixed(3).padStart(8)}` +
                `  ${ratios.at(-1).toFixed(2).padStart(5)}  ${fps.at(-1)}`);
  }
  console.log(`browser/native epoch time, median of ${rounds}: ${median(ratios).toFixed(2)} (target <= 1.5); ` +
              `${config.threads} threads, ${config.arch} ${config.loss}, dim ${config.dim}; ` +
              `median page fps while training: ${median(fps)}`);
} finally {
  await browser.close().catch(() => {});
  await server.stop();
}
