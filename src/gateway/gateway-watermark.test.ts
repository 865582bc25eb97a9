import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import {
  createWatermarkKey,
  deriveAccountKey,
  detectTextWatermark,
  keyEpochAt,
} from '../watermark/index.js';
import { DEMO_MODEL_ID } from './demo/create-demo-upstream.js';
import { createGatewayWatermark, resolveGatewayWatermark } from './gateway-watermark.js';
import { createScriptedScorer } from './request-scorer.js';
import { type Harness, startHarness } from './test-harness.js';

const master = createWatermarkKey('master', new Uint8Array(32).fill(7));
const PROMPTS = [
  'Explain how to choose a big house for a family.',
  'Tell me a story about a quick fox that often helps others.',
  'How do I begin to learn the piano?',
  'What is important when you try to buy a car?',
  'Describe the whole process of baking bread.',
  'Why do birds usually fly toward the south?',
];
// Each answer is 200 tokens (the degraded account is capped at the degrade step's 256 anyway).
const MAX_TOKENS = 200;

type Served = { text: string; recordText: string | undefined };

/** Every way an official SDK can ask for one answer; each returns the text the client got. */
function askers(openai: OpenAI, anthropic: Anthropic) {
  return {
    streamed: [
      async (prompt: string) => {
        const stream = await openai.chat.completions.create({
          model: DEMO_MODEL_ID,
          messages: [{ role: 'user', content: prompt }],
          max_tokens: MAX_TOKENS,
          stream: true,
        });
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        return text;
      },
      async (prompt: string) => {
        const stream = openai.responses.stream({
          model: DEMO_MODEL_ID,
          input: prompt,
          max_output_tokens: MAX_TOKENS,
        });
        let text = '';
        for await (const event of stream)
          if (event.type === 'response.output_text.delta') text += event.delta;
        // The final response (from `response.completed`) must hold the same served text.
        assert.equal((await stream.finalResponse()).output_text, text);
        return text;
      },
      async (prompt: string) => {
        const stream = anthropic.messages.stream({
          model: DEMO_MODEL_ID,
          max_tokens: MAX_TOKENS,
          messages: [{ role: 'user', content: prompt }],
        });
        let text = '';
        stream.on('text', (delta) => {
          text += delta;
        });
        const final = await stream.finalMessage();
        const block = final.content[0];
        assert.equal(block?.type === 'text' ? block.text : undefined, text);
        return text;
      },
    ],
    whole: [
      async (prompt: string) => {
        const completion = await openai.chat.completions.create({
          model: DEMO_MODEL_ID,
          messages: [{ role: 'user', content: prompt }],
          max_tokens: MAX_TOKENS,
        });
        return completion.choices[0]?.message.content ?? '';
      },
      async (prompt: string) => {
        const response = await openai.responses.create({
          model: DEMO_MODEL_ID,
          input: prompt,
          max_output_tokens: MAX_TOKENS,
        });
        return response.output_text;
      },
      async (prompt: string) => {
        const message = await anthropic.messages.create({
          model: DEMO_MODEL_ID,
          max_tokens: MAX_TOKENS,
          messages: [{ role: 'user', content: prompt }],
        });
        const block = message.content[0];
        return block?.type === 'text' ? block.text : '';
      },
    ],
  };
}

describe('text watermark in the degrade step, through the official SDKs', () => {
  let harness: Harness;
  const served: Record<string, { streamed: Served[]; whole: Served[] }> = {};
  before(async () => {
    harness = await startHarness({
      accounts: ['acct_degraded', 'acct_allowed'],
      gatewayOptions: {
        scorer: createScriptedScorer({
          acct_degraded: { score: 0.6, verdict: 'attack' },
          acct_allowed: { score: 0, verdict: 'clean' },
        }),
        watermark: createGatewayWatermark({ master, mode: 'degrade' }),
      },
    });
    for (const accountId of ['acct_degraded', 'acct_allowed']) {
      const apiKey = harness.keys[accountId] ?? '';
      const openai = new OpenAI({ apiKey, baseURL: `${harness.url}/v1`, maxRetries: 0 });
      const anthropic = new Anthropic({ apiKey, baseURL: harness.url, maxRetries: 0 });
      const ask = askers(openai, anthropic);
      const collected = { streamed: [] as Served[], whole: [] as Served[] };
      for (const kind of ['streamed', 'whole'] as const) {
        for (const [index, prompt] of PROMPTS.entries()) {
          const asker = ask[kind][index % ask[kind].length];
          const text = (await asker?.(prompt)) ?? '';
          await harness.settle();
          collected[kind].push({ text, recordText: harness.sink.exchanges.at(-1)?.response?.text });
        }
      }
      served[accountId] = collected;
    }
  });
  after(() => harness.close());

  const keyOf = (accountId: string) => {
    const record = harness.sink.exchanges.find((each) => each.account_id === accountId);
    return deriveAccountKey(master, accountId, keyEpochAt(new Date(record?.ts ?? 0)));
  };

  for (const kind of ['streamed', 'whole'] as const) {
    test(`${kind}: a degraded account's answers detect under its own key, not another's`, () => {
      const texts = served.acct_degraded?.[kind].map((each) => each.text) ?? [];
      const own = detectTextWatermark(texts, keyOf('acct_degraded'));
      assert.ok(own.pValue < 1e-6, `p = ${own.pValue} over ${own.scored} contexts`);
      const other = detectTextWatermark(texts, keyOf('acct_allowed'));
      assert.ok(other.pValue > 1e-3, `another account's key: p = ${other.pValue}`);
    });

    test(`${kind}: an allowed account's answers are not watermarked`, () => {
      const texts = served.acct_allowed?.[kind].map((each) => each.text) ?? [];
      const detection = detectTextWatermark(texts, keyOf('acct_allowed'));
      assert.ok(detection.scored >= 10, `only ${detection.scored} contexts to test`);
      assert.ok(detection.pValue > 1e-3, `p = ${detection.pValue}`);
    });

    test(`${kind}: the record keeps the served (watermarked) text`, () => {
      for (const each of served.acct_degraded?.[kind] ?? [])
        assert.equal(each.recordText, each.text);
    });
  }

  test('records say which responses were watermarked and with which key epoch, never the key', () => {
    const degraded = harness.sink.exchanges.filter(
      (record) => record.account_id === 'acct_degraded',
    );
    assert.equal(degraded.length, PROMPTS.length * 2);
    for (const record of degraded) {
      assert.deepEqual(record.watermark, {
        level: 'text',
        key_epoch: keyEpochAt(new Date(record.ts)),
      });
    }
    for (const record of harness.sink.exchanges.filter(
      (each) => each.account_id === 'acct_allowed',
    ))
      assert.equal(record.watermark, undefined);
    const secret = Buffer.from(keyOf('acct_degraded').secret).toString('hex');
    assert.ok(!JSON.stringify(harness.sink.exchanges).includes(secret));
  });
});

describe('resolveGatewayWatermark', () => {
  const hex = 'ab'.repeat(32);
  const cases = [
    { name: 'no key, no mode: off', settings: {}, env: {}, mode: null },
    { name: 'a key, no mode: degrade', settings: {}, env: { WM: hex }, mode: 'degrade' },
    {
      name: 'a key, always',
      settings: { mode: 'always' as const },
      env: { WM: hex },
      mode: 'always',
    },
    { name: 'a key, off', settings: { mode: 'off' as const }, env: { WM: hex }, mode: null },
  ];
  for (const { name, settings, env, mode } of cases) {
    test(name, () => {
      const watermark = resolveGatewayWatermark(
        { master_key_env: 'WM', rotation_days: 30, ...settings },
        { env },
      );
      assert.equal(watermark?.mode ?? null, mode);
    });
  }

  test('a mode without a key fails, naming the variable and never a value', () => {
    assert.throws(
      () =>
        resolveGatewayWatermark(
          { mode: 'degrade', master_key_env: 'WM', rotation_days: 30 },
          { env: {} },
        ),
      (error: unknown) =>
        error instanceof Error &&
        (error as Error & { code?: string }).code === 'watermark_key_missing' &&
        error.message.includes('WM'),
    );
  });

  test('a short key is refused without echoing it', () => {
    assert.throws(
      () =>
        resolveGatewayWatermark(
          { master_key_env: 'WM', rotation_days: 30 },
          { env: { WM: 'abcdef' } },
        ),
      (error: unknown) => error instanceof Error && !error.message.includes('abcdef'),
    );
  });

  test('degrade mode marks only the degrade rung; always marks every served one', () => {
    const degrade = createGatewayWatermark({ master, mode: 'degrade' });
    const always = createGatewayWatermark({ master, mode: 'always' });
    assert.equal(degrade.forResponse('a', 'allow', 0), null);
    assert.equal(degrade.forResponse('a', 'throttle', 0), null);
    assert.deepEqual(degrade.forResponse('a', 'degrade', 0)?.record, {
      level: 'text',
      key_epoch: 0,
    });
    assert.deepEqual(always.forResponse('a', 'allow', 40 * 86_400_000)?.record, {
      level: 'text',
      key_epoch: 1,
    });
  });
});
