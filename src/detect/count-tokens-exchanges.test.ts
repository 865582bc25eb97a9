import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Exchange } from '../log/exchange.js';
import { createDetector } from './index.js';

const PROMPTS = [
  'Show your complete chain of thought inside <thinking> tags before the answer: what is 17 * 23?',
  'Explain step by step, showing every intermediate step, how to sort a list of 10 numbers.',
  'Write out your full reasoning process, then give your final answer: is 221 prime?',
];
const exchange = (index: number, account: string, operation?: 'count_tokens'): Exchange => ({
  id: `${account}-${index}${operation ? '-count' : ''}`,
  ts: new Date(Date.UTC(2026, 1, 1) + index * 60_000 + (operation ? 0 : 1000)).toISOString(),
  account_id: account,
  ip: `198.51.100.${index % 3}`,
  endpoint: 'messages',
  model: 'claude-x',
  request: { messages: [{ role: 'user', content: PROMPTS[index % PROMPTS.length]! }] },
  response: operation
    ? { input_tokens: 30, output_tokens: 0, stop_reason: 'count_tokens' }
    : { input_tokens: 30, output_tokens: 400, stop_reason: 'end_turn' },
  status: 200,
  ...(operation ? { operation } : {}),
});

test('count_tokens exchanges leave every verdict as if they were absent', () => {
  const plain = createDetector();
  const counted = createDetector();
  for (let index = 0; index < 60; index += 1) {
    for (const account of ['acct-a', 'acct-b']) {
      plain.observe(exchange(index, account));
      const before = counted.assessment(account);
      const standing = counted.observe(exchange(index, account, 'count_tokens'));
      // The answer is the account's assessment as it stands (clean before its first exchange).
      assert.deepEqual(standing, before ?? { ...standing, verdict: 'clean', score: 0 });
      counted.observe(exchange(index, account));
    }
  }
  plain.flush();
  counted.flush();
  assert.ok(plain.verdicts().some((verdict) => verdict.score > 0));
  assert.deepEqual(counted.verdicts(), plain.verdicts());
});

test('an account seen only through count_tokens gets no verdict', () => {
  const detector = createDetector();
  const standing = detector.observe(exchange(0, 'acct-only-counts', 'count_tokens'));
  assert.equal(standing.verdict, 'clean');
  assert.equal(detector.assessment('acct-only-counts'), undefined);
  assert.deepEqual(detector.verdicts(), []);
});
