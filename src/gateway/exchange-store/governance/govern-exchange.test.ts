import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPromptAnalyzer, storedPromptFeatures } from '../../../detect/prompt/index.js';
import type { Exchange } from '../../../log/exchange.js';
import { createExchangeGovernor, keepsBodies } from './govern-exchange.js';
import type { BodiesPolicy } from './governance-config.js';

const PROMPT = 'Explain step by step why 221 is not prime. Reply to ana@example.org.';
const ANSWER = 'Because 221 = 13 x 17. Card 4111 1111 1111 1111 on file.';

function exchange(index: number, account = `acct-${index % 200}`): Exchange {
  return {
    id: `ex-${index}`,
    ts: new Date(Date.UTC(2026, 2, 2, 0, 0, index)).toISOString(),
    account_id: account,
    api_key_id: 'key-1',
    ip: '198.51.100.7',
    user_agent: 'OpenAI/Python 1.54.0',
    endpoint: 'chat.completions',
    model: 'gpt-4o',
    request: {
      model: 'gpt-4o',
      max_tokens: 300,
      temperature: 0.2,
      system: 'You are a maths tutor.',
      messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }],
      tools: [{ type: 'function', function: { name: 'lookup', description: 'find a number' } }],
    },
    response: { text: ANSWER, input_tokens: 20, output_tokens: 12, stop_reason: 'stop' },
    status: 200,
    latency_ms: 900,
  };
}

const policy = (overrides: Partial<BodiesPolicy>): BodiesPolicy => ({
  sample_rate: 1,
  sample_by: 'exchange',
  redact: [],
  redact_patterns: [],
  ...overrides,
});

describe('body sampling', () => {
  for (const rate of [0.01, 0.1, 0.5]) {
    test(`by exchange at ${rate}: the kept share of 20,000 is within 4 standard deviations`, () => {
      const count = 20_000;
      let kept = 0;
      for (let index = 0; index < count; index += 1) {
        if (keepsBodies(exchange(index), { sample_rate: rate, sample_by: 'exchange' })) kept += 1;
      }
      const deviation = 4 * Math.sqrt((rate * (1 - rate)) / count);
      assert.ok(Math.abs(kept / count - rate) <= deviation, `${kept / count} vs ${rate}`);
    });
  }

  test('by account: an account is kept whole or not at all, about rate of the accounts', () => {
    const rate = 0.2;
    const decisions = new Map<string, Set<boolean>>();
    for (let index = 0; index < 20_000; index += 1) {
      const item = exchange(index, `acct-${index % 2000}`);
      const keep = keepsBodies(item, { sample_rate: rate, sample_by: 'account' });
      const seen = decisions.get(item.account_id) ?? new Set<boolean>();
      seen.add(keep);
      decisions.set(item.account_id, seen);
    }
    for (const seen of decisions.values()) assert.equal(seen.size, 1);
    const keptAccounts = [...decisions.values()].filter((seen) => seen.has(true)).length;
    const deviation = 4 * Math.sqrt((rate * (1 - rate)) / 2000);
    assert.ok(Math.abs(keptAccounts / 2000 - rate) <= deviation, `${keptAccounts / 2000}`);
  });

  test('deterministic: the same exchange is decided the same way by a new governor', () => {
    const first = createExchangeGovernor(policy({ sample_rate: 0.3 }));
    const second = createExchangeGovernor(policy({ sample_rate: 0.3 }));
    for (let index = 0; index < 500; index += 1) {
      assert.deepEqual(first(exchange(index)), second(exchange(index)));
    }
  });
});

describe('dropped bodies', () => {
  const analyzer = createPromptAnalyzer();
  const original = exchange(7);
  const governed = createExchangeGovernor(policy({ sample_rate: 0 }))(original);

  test('no prompt or answer text is stored, metadata is kept whole', () => {
    const stored = JSON.stringify(governed);
    for (const secret of [
      '221 is not prime',
      'ana@example.org',
      'maths tutor',
      '13 x 17',
      'lookup',
    ]) {
      assert.ok(!stored.includes(secret), secret);
    }
    const { request: _request, response: _response, ...metadata } = governed;
    const { request: _r, response: _s, ...originalMetadata } = original;
    assert.deepEqual(metadata, originalMetadata);
    assert.deepEqual(governed.response, {
      input_tokens: 20,
      output_tokens: 12,
      stop_reason: 'stop',
    });
    assert.equal(governed.request.max_tokens, 300);
    assert.equal(governed.request.x_body_dropped, true);
  });

  test("the engine's fingerprints survive: stored features equal the analysed ones", () => {
    const analysed = analyzer.analyze(original.request, original.endpoint);
    const stored = storedPromptFeatures(governed.request);
    assert.ok(stored);
    assert.deepEqual(
      { ...stored, minhash: [] },
      { ...analysed, minhash: [], lshKeys: analysed.lshKeys.slice(0, 1) },
    );
    assert.ok(analysed.reasoningElicitation > 0, 'the fixture prompt carries a reasoning cue');
  });

  test('the original record is not changed', () => {
    assert.deepEqual(original, exchange(7));
  });
});

describe('redaction', () => {
  test('removes the patterns from the prompt and the answer and keeps the rest', () => {
    const governed = createExchangeGovernor(policy({ redact: ['email', 'card_number'] }))(
      exchange(3),
    );
    const content = governed.request.messages?.[0]?.content as { type: string; text: string }[];
    assert.equal(
      content[0]?.text,
      'Explain step by step why 221 is not prime. Reply to [redacted:email].',
    );
    assert.equal(content[0]?.type, 'text');
    assert.equal(
      governed.response?.text,
      'Because 221 = 13 x 17. Card [redacted:card_number] on file.',
    );
    assert.equal(governed.request.system, 'You are a maths tutor.');
    assert.deepEqual(governed.request.tools, exchange(3).request.tools);
  });
});
