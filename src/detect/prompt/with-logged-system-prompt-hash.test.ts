import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromGlasswallyEvent } from '../../log/adapters/glasswally.js';
import type { ExchangeRequest } from '../../log/exchange.js';
import { createPromptAnalyzer } from './index.js';

const QUESTION =
  'Solve the following problem and think step by step: how many primes are below 30?';
const SYSTEM = 'You are a strict grader. Output only the score from 1 to 10.';
const user = (content: string) => ({ role: 'user' as const, content });

test('a logged system-prompt hash is the fingerprint when the text is absent', () => {
  // One analyser for every row: the second request of each pair shares the first's user text,
  // so it is answered from the result cache, which must not carry the other's logged hash.
  const analyzer = createPromptAnalyzer();
  const hashOf = (request: ExchangeRequest) =>
    analyzer.analyze(request, 'chat.completions').systemPromptHash;
  const withText = hashOf({ messages: [{ role: 'system', content: SYSTEM }, user(QUESTION)] });
  const rows: [string, ExchangeRequest, ExchangeRequest, 'same' | 'different'][] = [
    [
      'same logged hash, other prompts',
      { messages: [user(QUESTION)], x_system_prompt_hash: 'gw-1' },
      { messages: [user('Another question entirely.')], x_system_prompt_hash: 'gw-1' },
      'same',
    ],
    [
      'other logged hash, same prompt (cached)',
      { messages: [user(QUESTION)], x_system_prompt_hash: 'gw-1' },
      { messages: [user(QUESTION)], x_system_prompt_hash: 'gw-2' },
      'different',
    ],
    [
      'logged hash against no hash',
      { messages: [user(QUESTION)], x_system_prompt_hash: 'gw-1' },
      { messages: [user(QUESTION)] },
      'different',
    ],
  ];
  for (const [name, first, second, expected] of rows) {
    const a = hashOf(first);
    const b = hashOf(second);
    assert.match(a ?? '', /^[0-9a-f]{16}$/, name);
    assert.equal(a === b, expected === 'same', name);
    assert.notEqual(a, withText, name);
  }
  assert.equal(hashOf({ messages: [user(QUESTION)] }), null);
  assert.equal(hashOf({ messages: [user(QUESTION)], x_system_prompt_hash: '' }), null);
  // With text, the text's fingerprint stands whatever hash is logged beside it.
  const both = { messages: [{ role: 'system' as const, content: SYSTEM }, user(QUESTION)] };
  assert.equal(hashOf({ ...both, x_system_prompt_hash: 'gw-9' }), withText);
});

test('Glasswally events with only system_prompt_hash share a fingerprint', () => {
  const analyzer = createPromptAnalyzer();
  const event = (account: string, prompt: string) => ({
    request_id: `r-${account}`,
    timestamp: '2026-02-01T00:00:00Z',
    account_id: account,
    prompt,
    ip_address: '198.51.100.7',
    system_prompt_hash: 'a1b2c3',
  });
  const fingerprints = [event('acct-1', QUESTION), event('acct-2', 'Translate this.')].map(
    (value) => {
      const parsed = fromGlasswallyEvent(value);
      assert.ok(parsed.success, JSON.stringify(parsed));
      return analyzer.analyze(parsed.value.request, parsed.value.endpoint).systemPromptHash;
    },
  );
  assert.notEqual(fingerprints[0], null);
  assert.equal(fingerprints[0], fingerprints[1]);
});
