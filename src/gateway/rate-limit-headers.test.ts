import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rateLimitHeaders } from './rate-limit-headers.js';

const rule = { capacity: 600, refillPerSecond: 10 };
const tokenRule = { capacity: 400_000, refillPerSecond: 5_000 };
const snapshot = (resetMs: number, remaining = 599.4) => ({
  requests: { rule, outcome: { allowed: true, remaining, retryAfterMs: 0, resetMs } },
  tokens: {
    rule: tokenRule,
    outcome: { allowed: true, remaining: 123_456.7, retryAfterMs: 0, resetMs: resetMs * 2 },
  },
});

// OpenAI's reset durations: seconds with up to three decimals, trailing zeros and point dropped.
const durations: [number, string, string][] = [
  [0, '0s', '0s'],
  [-5, '0s', '0s'],
  [1, '0.001s', '0.002s'],
  [60.4, '0.06s', '0.121s'],
  [500, '0.5s', '1s'],
  [1500, '1.5s', '3s'],
  [2000, '2s', '4s'],
  [100_000, '100s', '200s'],
  [1234.5678, '1.235s', '2.469s'],
];
for (const [resetMs, requests, tokens] of durations) {
  test(`rate-limit headers: reset of ${resetMs} ms reads ${requests}`, () => {
    const headers = rateLimitHeaders('openai', snapshot(resetMs), 0);
    assert.equal(headers['x-ratelimit-reset-requests'], requests);
    assert.equal(headers['x-ratelimit-reset-tokens'], tokens);
    assert.equal(headers['x-ratelimit-remaining-requests'], '599');
    assert.equal(headers['x-ratelimit-limit-tokens'], '400000');
    assert.equal(
      headers['ratelimit-policy'],
      '"requests";q=600;w=60, "output-tokens";q=400000;w=80',
    );
  });
}

test('rate-limit headers: Anthropic resets are ISO times, as Date#toISOString writes them', () => {
  const now = Date.UTC(2026, 11, 7, 17, 59, 59, 999);
  for (const resetMs of [0, 1, 999.6, 60_000, 86_400_000]) {
    const headers = rateLimitHeaders('anthropic', snapshot(resetMs), now);
    assert.equal(
      headers['anthropic-ratelimit-requests-reset'],
      new Date(now + resetMs).toISOString(),
    );
    assert.equal(
      headers['anthropic-ratelimit-output-tokens-reset'],
      new Date(now + resetMs * 2).toISOString(),
    );
    assert.equal(headers['anthropic-ratelimit-requests-remaining'], '599');
  }
});
