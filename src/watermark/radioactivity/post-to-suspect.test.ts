import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { postToSuspect } from './post-to-suspect.js';
import { querySuspect } from './query-suspect.js';

/** A fetch that throws like undici on a reset socket `failures` times, then answers `status`. */
function flakyFetch(failures: number, status = 200) {
  const calls: string[] = [];
  const fetch: typeof globalThis.fetch = async (_url, init) => {
    calls.push(String(init?.body));
    if (calls.length <= failures) throw new TypeError('fetch failed');
    const body = { choices: [{ message: { content: 'an answer' } }] };
    return new Response(JSON.stringify(body), { status });
  };
  return { fetch, calls };
}

const endpoint = 'http://user:hunter2@suspect.test/v1/chat/completions';
const shown = 'http://suspect.test/v1/chat/completions';

for (const { failures, retries, status, outcome } of [
  { failures: 0, retries: 2, status: 200, outcome: 'answer' },
  { failures: 2, retries: 2, status: 200, outcome: 'answer' },
  { failures: 3, retries: 2, status: 200, outcome: 'unreachable' },
  { failures: 1, retries: 0, status: 200, outcome: 'unreachable' },
  { failures: 0, retries: 2, status: 503, outcome: 'answer' },
] as const) {
  test(`${failures} transport failure(s), ${retries} retries, HTTP ${status}: ${outcome}`, async () => {
    const { fetch, calls } = flakyFetch(failures, status);
    const request = postToSuspect({ endpoint, shown, fetch, retries }, { prompt: 'p' });
    if (outcome === 'answer') {
      const response = await request;
      assert.equal(response.status, status);
      // An HTTP error is the caller's to explain, never retried.
      assert.equal(calls.length, failures + 1);
    } else {
      await assert.rejects(request, (error: unknown) => {
        assert.ok(DistillguardError.is(error));
        assert.equal(error.code, 'suspect_unreachable');
        assert.ok(!error.message.includes('hunter2'));
        return true;
      });
      assert.equal(calls.length, retries + 1);
    }
    assert.ok(calls.every((body) => body === '{"prompt":"p"}'));
  });
}

test('the closed audit rides out a reset connection', async () => {
  const { fetch, calls } = flakyFetch(1);
  const texts = await querySuspect(['one', 'two'], { url: shown, fetch, concurrency: 1 });
  assert.deepEqual(texts, ['an answer', 'an answer']);
  assert.equal(calls.length, 3);
});
