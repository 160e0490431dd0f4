// The VAE trained live on the threaded page: an epoch over the 8000 train digits at latent 2 is
// timed by the lesson (the ≤ 4 s target is reported here, not asserted: machines are noisy), the
// held-out −ELBO after 30 s of training is reported, and the page keeps drawing meanwhile.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useSiteAndBrowser, withPage, sleep, TEST_TIMEOUT_MS } from './harness.mjs';

const env = useSiteAndBrowser({ before, after }, { isolation: true });

test('mt build: a VAE epoch at latent 2 is timed, the held-out loss falls within 30 s', { timeout: 2 * TEST_TIMEOUT_MS },
  async () => {
    await withPage(env.browser, async (s) => {
      await s.load(env.url, { hash: '#lesson=vae' });
      await s.waitState((st) => st.lesson.data === 'loaded', null, { timeout: 60_000, what: 'digits loaded' });
      assert.equal((await s.state()).lesson.latent, 2);
      const frame0 = (await s.state()).frame;
      const r = await s.command('train start');
      assert.equal(r.ok, true, r.message);
      await sleep(30_000);
      const after30 = (await s.state()).lesson;
      assert.ok(after30.epoch >= 1, `at least one epoch in 30 s: ${after30.epoch}`);
      assert.ok(Number.isFinite(after30.heldout_neg_elbo), 'held-out −ELBO measured');
      assert.ok(after30.heldout_neg_elbo < 250, `held-out −ELBO after 30 s: ${after30.heldout_neg_elbo}`);
      await s.waitState((st) => st.lesson.last_epoch_seconds !== undefined, null,
        { timeout: 120_000, what: 'an epoch timed' });
      const st = await s.state();
      // Not a frame rate (headless Chromium renders WebGL on the CPU, beside the trainer): the
      // page is not frozen.
      assert.ok(st.frame - frame0 > 30, `the page kept drawing: ${st.frame - frame0} frames`);
      console.log(`# mt build: ${st.frame - frame0} frames drawn while the VAE trained`);
      console.log(`# mt build: VAE latent 2 epoch over 8000 digits in ${st.lesson.last_epoch_seconds.toFixed(2)} s; ` +
                  `after 30 s: epoch ${after30.epoch}, held-out -ELBO ${after30.heldout_neg_elbo.toFixed(1)} nats`);
      await s.command('train stop');
    });
  });
