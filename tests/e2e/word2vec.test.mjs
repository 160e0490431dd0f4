// The word2vec lesson in the browser (threaded build): the default corpus and the pretrained
// vectors arrive as fetched assets, one epoch over the default corpus is timed with 2 threads,
// the current vectors download in the word2vec text format, and a text file uploaded through
// the page's file picker becomes the corpus (a large one read while the page keeps drawing).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useSiteAndBrowser, withPage, TEST_TIMEOUT_MS } from './harness.mjs';

const env = useSiteAndBrowser({ before, after }, { isolation: true });
const T = { timeout: TEST_TIMEOUT_MS };

async function ok(s, text) {
  const r = await s.command(text);
  assert.equal(r.ok, true, `'${text}': ${r.message}`);
  return r;
}

async function openWord2vec(s) {
  await s.load(env.url, { hash: '#lesson=word2vec' });
  await s.waitState((st) => st.active === 'word2vec', null, { what: 'word2vec lesson open' });
  await s.waitState((st) => st.lesson.pretrained.status === 'loaded' && st.lesson.default_corpus === 'loaded', null,
    { timeout: 60_000, what: 'pretrained vectors and default corpus fetched' });
}

test('word2vec: pretrained vectors answer as soon as the lesson opens', T, async () => {
  await withPage(env.browser, async (s) => {
    await openWord2vec(s);
    const st = await s.state();
    assert.equal(st.lesson.vectors.set, 'pretrained');
    assert.equal(st.lesson.pretrained.words, 19500);
    await ok(s, 'w2v analogy man king woman');
    const answers = (await s.state()).lesson.analogy.answers.map((a) => a.word);
    assert.equal(answers[0], 'queen', `man : king :: woman : ${answers.join(', ')}`);
    // While idle, the lesson trains a throwaway model so that V8 optimizes the training code;
    // the user's vectors and settings are untouched.
    await s.waitState((st) => st.lesson.training_code_warm === true, null,
      { timeout: 30_000, what: 'training code warmed up while idle' });
    const after = (await s.state()).lesson;
    assert.equal(after.vectors.set, 'pretrained');
    assert.equal(after.words_done, undefined, 'no training of the lesson\'s own model');
  });
});

test('word2vec: one epoch over the default corpus with 2 threads, page still drawing', T, async () => {
  await withPage(env.browser, async (s) => {
    await openWord2vec(s);
    await s.waitState((st) => st.lesson.training_code_warm === true, null, { timeout: 30_000, what: 'code warm' });
    for (const c of ['w2v corpus wordnet', 'w2v set epochs 1', 'w2v set threads 2', 'w2v train']) await ok(s, c);
    const raf = await s.rafCount(1000);
    await s.waitState((st) => st.lesson.finished === true, null, { timeout: 120_000, what: 'one epoch finished' });
    const l = (await s.state()).lesson;
    assert.equal(l.trained_corpus, 'WordNet glosses');
    assert.equal(l.threads, 2);
    assert.ok(l.corpus_tokens > 400_000, `corpus tokens ${l.corpus_tokens}`);
    assert.ok(l.epoch_seconds > 0, `epoch seconds ${l.epoch_seconds}`);
    assert.ok(raf >= 5, `page frames in the first second of training: ${raf}`);
    console.log(`browser epoch: ${l.epoch_seconds.toFixed(2)} s over ${l.corpus_tokens} tokens, ` +
                `${l.threads} shards on ${l.worker_threads} threads (${Math.round(l.words_per_second)} words/s)`);
    assert.equal(l.vectors.set, 'trained');
  });
});

test('word2vec: the current vectors download as word2vec text', T, async () => {
  await withPage(env.browser, async (s) => {
    await openWord2vec(s);
    const download = s.page.waitForEvent('download', { timeout: 60_000 });
    await ok(s, 'w2v save vec');
    const file = await download;
    assert.equal(file.suggestedFilename(), 'word2vec-pretrained.vec');
    const text = readFileSync(await file.path(), 'utf8');
    const lines = text.split('\n');
    assert.equal(lines[0], '19500 100');
    assert.equal(lines[1].split(' ').length, 101);
  });
});

async function uploadCorpus(s, name, buffer) {
  const chooser = s.page.waitForEvent('filechooser', { timeout: 10_000 });
  await ok(s, 'w2v corpus upload');
  await (await chooser).setFiles({ name, mimeType: 'text/plain', buffer });
}

test('word2vec: a text file uploaded as the corpus trains; a binary one is explained and changes nothing', T, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url, { hash: '#lesson=word2vec' });
    await s.waitState((st) => st.active === 'word2vec', null, { what: 'word2vec lesson open' });
    const upload = (name, buffer) => uploadCorpus(s, name, buffer);
    const lines = [];
    for (let i = 0; i < 400; ++i) lines.push(i % 2 ? 'the cat chased the mouse' : 'the car passed the bus');
    await upload('story.txt', Buffer.from(lines.join('\n')));
    await s.waitState((st) => st.lesson.corpus_file.name === 'story.txt', null, { what: 'story.txt taken as the corpus' });
    assert.equal((await s.state()).lesson.corpus, 'Your file');

    await upload('photo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    await s.waitState((st) => st.lesson.corpus_message.includes('photo.png'), null, { what: 'photo.png explained' });
    let l = (await s.state()).lesson;
    assert.match(l.corpus_message, /NUL byte.*the corpus is still story\.txt/);
    assert.equal(l.corpus_file.name, 'story.txt');

    for (const c of ['w2v set min-count 1', 'w2v set epochs 1', 'w2v train']) await ok(s, c);
    await s.waitState((st) => st.lesson.finished === true, null, { timeout: 60_000, what: 'the uploaded corpus trained' });
    l = (await s.state()).lesson;
    assert.equal(l.trained_corpus, 'Your file');
    assert.equal(l.vocab, 7);
    assert.equal(l.corpus_tokens, 2000);
  });
});

test('word2vec: a 24 MB corpus file is read into word ids while the page keeps drawing', T, async () => {
  await withPage(env.browser, async (s) => {
    await s.load(env.url, { hash: '#lesson=word2vec' });
    await s.waitState((st) => st.active === 'word2vec', null, { what: 'word2vec lesson open' });
    const line = 'the quick brown fox jumps over the lazy dog while the cat sleeps on the warm mat\n';
    const text = Buffer.from(line.repeat(Math.ceil(24e6 / line.length)));
    await uploadCorpus(s, 'large.txt', text);
    await s.waitState((st, n) => st.lesson.corpus_file.bytes === n, text.length, { timeout: 60_000, what: 'large.txt taken' });
    for (const c of ['w2v set min-count 1', 'w2v set epochs 1']) await ok(s, c);
    const started = performance.now();
    const train = await ok(s, 'w2v train');
    const commandMs = performance.now() - started;
    assert.match(train.message, /when the corpus has been read/);
    const frames = await s.rafCount(500);
    const reading = (await s.state()).lesson.reading_corpus;
    console.log(`24 MB corpus: Train answered in ${commandMs.toFixed(0)} ms; ${frames} frames in the next 0.5 s` +
                `${reading ? ', still reading' : ''}`);
    assert.ok(frames >= 10, `page frames in the 0.5 s after Train: ${frames}`);
    await s.waitState((st) => st.lesson.running === true || st.lesson.finished === true, null,
      { timeout: 60_000, what: 'the run started once the text was read' });
    await ok(s, 'w2v stop');
    const l = (await s.state()).lesson;
    assert.equal(l.trained_corpus, 'Your file');
    assert.equal(l.corpus_tokens, 17 * Math.ceil(24e6 / line.length));
  });
});
