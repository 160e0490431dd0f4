// Chinese text in the word lessons, in a real browser on both page builds: in 中文 the word2vec
// lesson starts on the Chinese prose and the Chinese pretrained vectors (fetched when the lesson
// opens) and answers a query typed in Chinese, then trains on the prose by words (词); the
// language model starts on the Tang poems and samples quatrains of 7-character lines; one-hot
// shows 西雅图 酒店 vs 西雅图 汽车旅馆 orthogonal. Screenshots in build/screenshots/zh-text/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { useSiteAndBrowser, withPage, ensureShotsDir, TEST_TIMEOUT_MS } from './harness.mjs';

const threaded = useSiteAndBrowser({ before, after });
const plain = useSiteAndBrowser({ before, after }, { isolation: false });  // the single-thread build

async function ok(s, text) {
  const r = await s.command(text);
  assert.equal(r.ok, true, `'${text}': ${r.message}`);
  return r;
}

function shotsDir() {
  const dir = path.join(ensureShotsDir(), 'zh-text');
  mkdirSync(dir, { recursive: true });
  return dir;
}

for (const [name, env] of [['threaded', threaded], ['single-thread', plain]]) {
  test(`word lessons in Chinese (${name} page)`, { timeout: 3 * TEST_TIMEOUT_MS }, async () => {
    await withPage(env.browser, async (s) => {
      await s.load(env.url, { hash: '#lang=zh&lesson=word2vec' });
      const build = (await s.state()).build;
      assert.equal(build, name === 'threaded' ? 'mt' : 'st');
      await s.waitState((st) => st.lesson.pretrained_zh.status === 'loaded' && st.lesson.zh_prose === 'loaded', null,
        { timeout: 60_000, what: 'Chinese vectors and prose fetched' });
      let l = (await s.state()).lesson;
      assert.equal(l.corpus, 'Chinese prose');
      assert.equal(l.vectors.set, 'pretrained-zh');
      assert.equal(l.default_corpus, 'not requested', 'the English corpus is not fetched in 中文');
      await ok(s, 'w2v nearest 目录');
      l = (await s.state()).lesson;
      const near = l.nearest.neighbours.map((n) => n.word);
      assert.ok(near.includes('子目录'), `nearest to 目录: ${near.join(' ')}`);
      await s.waitFrames(4);
      assert.equal((await s.state()).missing_glyphs, 0);
      await s.page.screenshot({ path: path.join(shotsDir(), `word2vec-${build}.png`) });

      // Train on the prose by words: one epoch, then the trained vectors answer in Chinese.
      for (const c of ['w2v tokens space', 'w2v set epochs 1', 'w2v set min-count 5', 'w2v train']) await ok(s, c);
      await s.waitState((st) => st.lesson.finished === true, null, { timeout: 150_000, what: 'one epoch on the prose' });
      l = (await s.state()).lesson;
      assert.equal(l.trained_corpus, 'Chinese prose');
      assert.ok(l.corpus_tokens > 600_000, `prose tokens ${l.corpus_tokens}`);
      assert.ok(l.vocab > 5000, `vocabulary ${l.vocab}`);
      assert.equal(l.vectors.set, 'trained');
      await ok(s, 'w2v nearest 文件');
      l = (await s.state()).lesson;
      assert.equal(l.nearest.neighbours.length > 0, true, l.nearest.problem);
      console.log(`${name}: one epoch over ${l.corpus_tokens} Chinese tokens (${l.vocab} words) in ` +
                  `${l.epoch_seconds.toFixed(2)} s; nearest to 文件: ` +
                  l.nearest.neighbours.slice(0, 5).map((n) => n.word).join(' '));

      // The language model starts on the Tang poems and samples 7-character quatrains.
      assert.equal(await s.open('language-model'), true);
      await s.waitFrames(3);
      l = (await s.state()).lesson;
      assert.equal(l.corpus, 'tang');
      assert.equal(l.poems, 313);
      await ok(s, 'lm sample');
      l = (await s.state()).lesson;
      assert.ok(l.samples.length > 0);
      for (const poem of l.samples) {
        const lines = poem.split(/[，。]/).filter((x) => x.length);
        assert.ok(lines.length >= 4 && lines.every((x) => [...x].length === 7), `sample: ${poem}`);
      }
      await s.waitFrames(4);
      assert.equal((await s.state()).missing_glyphs, 0);
      await s.page.screenshot({ path: path.join(shotsDir(), `language-model-${build}.png`) });

      // One-hot: the Chinese passage, 西雅图 酒店 vs 西雅图 汽车旅馆.
      assert.equal(await s.open('one-hot-vs-distributed'), true);
      await s.waitFrames(3);
      l = (await s.state()).lesson;
      assert.equal(l.example, 'passage-zh');
      assert.equal(l.one_hot_dot, 0);
      await s.page.screenshot({ path: path.join(shotsDir(), `one-hot-${build}.png`) });
    }, { locale: 'zh-CN' });
  });
}
