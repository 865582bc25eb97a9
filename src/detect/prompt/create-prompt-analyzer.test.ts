import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, ExchangeRequest } from '../../log/exchange.js';
import { createPromptAnalyzer } from './index.js';

const QUESTION =
  'Solve the following problem and think step by step: how many primes are below 30?';
const tool = (name: string) => ({
  type: 'function',
  function: { name, parameters: { type: 'object', properties: { query: {} } } },
});

/**
 * [case, first request, second request]: the second shares the first's user text (so it finds
 * the first's cached result) but may differ in what else the features depend on.
 */
type Row = readonly [string, ExchangeRequest, ExchangeRequest, Endpoint?];
const ROWS: readonly Row[] = [
  [
    'exact repeat',
    { messages: [{ role: 'user', content: QUESTION }] },
    { messages: [{ role: 'user', content: QUESTION }] },
  ],
  [
    'another system prompt',
    { messages: [{ role: 'user', content: QUESTION }] },
    {
      messages: [
        { role: 'system', content: 'You are a strict grader. Output only the score from 1 to 10.' },
        { role: 'user', content: QUESTION },
      ],
    },
  ],
  [
    'other tools',
    { messages: [{ role: 'user', content: QUESTION }], tools: [tool('search')] },
    { messages: [{ role: 'user', content: QUESTION }], tools: [tool('browse')] },
  ],
  [
    'an image beside the same text',
    { messages: [{ role: 'user', content: QUESTION }] },
    {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: QUESTION },
            { type: 'image_url', image_url: { url: 'x' } },
          ],
        },
      ],
    },
  ],
  [
    'same joined text, other turns',
    { messages: [{ role: 'user', content: `Bonjour.\n\n${QUESTION}` }] },
    {
      messages: [
        { role: 'user', content: 'Bonjour.' },
        { role: 'assistant', content: 'Bonjour !' },
        { role: 'user', content: QUESTION },
      ],
    },
  ],
  [
    'tool traffic',
    { input: QUESTION },
    {
      input: [
        { role: 'user', content: QUESTION },
        { type: 'function_call_output', output: '1' },
      ],
    },
    'responses',
  ],
];

describe('createPromptAnalyzer result cache', () => {
  for (const [name, first, second, endpoint = 'chat.completions'] of ROWS) {
    it(`answers a repeat as a fresh analyser would: ${name}`, () => {
      const cached = createPromptAnalyzer();
      const firstFeatures = cached.analyze(first, endpoint);
      const secondFeatures = cached.analyze(second, endpoint);
      assert.deepEqual(secondFeatures, createPromptAnalyzer().analyze(second, endpoint));
      assert.deepEqual(firstFeatures, createPromptAnalyzer().analyze(first, endpoint));
      // The first answer is still what it was after the second was computed.
      assert.deepEqual(cached.analyze(first, endpoint), firstFeatures);
    });
  }

  it('tells apart requests that differ only outside the user text', () => {
    const analyzer = createPromptAnalyzer();
    const plain = analyzer.analyze(ROWS[1]![1], 'chat.completions');
    const withSystem = analyzer.analyze(ROWS[1]![2], 'chat.completions');
    assert.equal(plain.systemPromptHash, null);
    assert.notEqual(withSystem.systemPromptHash, null);
    assert.ok(withSystem.rubricGrading > plain.rubricGrading);
  });
});

/** Distinct prompts long enough for LSH keys (eight shingles or more). */
const prompt = (index: number) =>
  `Question ${index}: explain the history of the city number ${index * 7} and its ${index % 13} bridges in detail.`;

describe('createPromptAnalyzer lean features', () => {
  const rows: readonly [string, ExchangeRequest][] = [
    ...ROWS.map(([name, first]) => [name, first] as [string, ExchangeRequest]),
    ['a greeting (no band keys)', { messages: [{ role: 'user', content: 'hi' }] }],
    ['no user text', { messages: [] }],
    ['a long prompt', { messages: [{ role: 'user', content: prompt(3).repeat(40) }] }],
  ];
  for (const [name, request] of rows) {
    it(`are the full features without the signature and bands after the first: ${name}`, () => {
      const full = createPromptAnalyzer().analyze(request, 'chat.completions');
      const lean = createPromptAnalyzer({ lean: true });
      const expected = { ...full, minhash: new Uint32Array(0), lshKeys: full.lshKeys.slice(0, 1) };
      assert.deepEqual(lean.analyze(request, 'chat.completions'), expected);
      // And again from its cache.
      assert.deepEqual(lean.analyze(request, 'chat.completions'), expected);
    });
  }
});

describe('createPromptAnalyzer cached signatures', () => {
  it('answers a prompt that outlived a cache generation with its own copy of the signature', () => {
    const analyzer = createPromptAnalyzer();
    const request = (index: number): ExchangeRequest => ({
      messages: [{ role: 'user', content: prompt(index) }],
    });
    const first = analyzer.analyze(request(0), 'chat.completions');
    const signature = [...first.minhash];
    // Fill one generation (32,768 results, a few more for 30-bit key collisions) and part of the
    // next, so that the first prompt is in the older one.
    for (let index = 1; index <= 40_000; index++) {
      analyzer.analyze(request(index), 'chat.completions');
    }
    const again = analyzer.analyze(request(0), 'chat.completions');
    assert.deepEqual([...again.minhash], signature);
    assert.deepEqual(again, createPromptAnalyzer().analyze(request(0), 'chat.completions'));
    // A copy that owns its buffer, not a view into a slab shared with 255 other prompts.
    assert.equal(again.minhash.buffer.byteLength, again.minhash.byteLength);
    assert.notEqual(first.minhash.buffer.byteLength, first.minhash.byteLength);
  });
});
