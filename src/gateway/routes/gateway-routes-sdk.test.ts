import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { createWatermarkKey } from '../../watermark/index.js';
import { createDemoUpstream, DEMO_MODEL_ID } from '../demo/create-demo-upstream.js';
import { createGatewayWatermark } from '../gateway-watermark.js';
import { DEFAULT_LADDER_POLICY } from '../ladder.js';
import { createScriptedScorer } from '../request-scorer.js';
import { type Harness, startHarness } from '../test-harness.js';

const clients = (harness: Harness, accountId: string) => ({
  openai: new OpenAI({
    apiKey: harness.keys[accountId],
    baseURL: `${harness.url}/v1`,
    maxRetries: 0,
  }),
  anthropic: new Anthropic({
    apiKey: harness.keys[accountId],
    baseURL: harness.url,
    maxRetries: 0,
  }),
});

const _batchFile = (prompts: string[]) =>
  prompts
    .map((prompt, index) =>
      JSON.stringify({
        custom_id: `line-${index}`,
        method: 'POST',
        url: '/v1/chat/completions',
        body: {
          model: DEMO_MODEL_ID,
          messages: [{ role: 'user', content: prompt }],
          max_tokens: 6,
        },
      }),
    )
    .join('\n');

describe('new routes with the official SDKs against the demo upstream', () => {
  let harness: Harness;
  let openai: OpenAI;
  let anthropic: Anthropic;
  before(async () => {
    harness = await startHarness({ accounts: ['acct_routes', 'acct_other'] });
    ({ openai, anthropic } = clients(harness, 'acct_routes'));
  });
  after(() => harness.close());

  test('embeddings: vectors come back; recorded as completions + operation embeddings, no text', async () => {
    const result = await openai.embeddings.create({
      model: DEMO_MODEL_ID,
      input: ['the first text to embed', 'the second one'],
    });
    assert.equal(result.data.length, 2);
    assert.equal(result.data[0]?.embedding.length, 8);
    assert.ok((result.usage.prompt_tokens ?? 0) > 0);
    await harness.settle();
    const record = harness.sink.exchanges.at(-1);
    assert.equal(record?.endpoint, 'completions');
    assert.equal(record?.operation, 'embeddings');
    assert.equal(record?.account_id, 'acct_routes');
    assert.deepEqual(record?.request.input, ['the first text to embed', 'the second one']);
    assert.equal(record?.response?.input_tokens, result.usage.prompt_tokens);
    assert.equal(record?.response?.output_tokens, 0);
    assert.equal(record?.response?.text, undefined);
  });

  test('legacy completions, whole and streamed: the record keeps the served text', async () => {
    const completion = await openai.completions.create({
      model: DEMO_MODEL_ID,
      prompt: 'Once upon a time',
      max_tokens: 9,
    });
    assert.equal(completion.object, 'text_completion');
    assert.equal(completion.usage?.completion_tokens, 9);
    await harness.settle();
    assert.equal(harness.sink.exchanges.at(-1)?.response?.text, completion.choices[0]?.text);
    const stream = await openai.completions.create({
      model: DEMO_MODEL_ID,
      prompt: 'Tell a story',
      max_tokens: 7,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    assert.ok(text.length > 0);
    await harness.settle();
    const record = harness.sink.exchanges.at(-1);
    assert.equal(record?.endpoint, 'completions');
    assert.equal(record?.operation, undefined);
    assert.equal(record?.response?.text, text);
    assert.equal(record?.request.prompt, 'Tell a story');
  });

  test('count_tokens: a count comes back; recorded as messages + operation count_tokens', async () => {
    const count = await anthropic.messages.countTokens({
      model: DEMO_MODEL_ID,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'How many tokens is this prompt?' }],
    });
    assert.ok(count.input_tokens > 0);
    await harness.settle();
    const record = harness.sink.exchanges.at(-1);
    assert.equal(record?.endpoint, 'messages');
    assert.equal(record?.operation, 'count_tokens');
    assert.equal(record?.response?.input_tokens, count.input_tokens);
    assert.equal(record?.response?.output_tokens, 0);
  });

  test("new routes refuse a bad key in each SDK's error shape", async () => {
    const bad = new OpenAI({ apiKey: 'dg-nope', baseURL: `${harness.url}/v1`, maxRetries: 0 });
    await assert.rejects(
      bad.embeddings.create({ model: DEMO_MODEL_ID, input: 'x' }),
      (error: unknown) =>
        error instanceof OpenAI.AuthenticationError && error.code === 'invalid_api_key',
    );
    await assert.rejects(
      bad.batches.list(),
      (error: unknown) => error instanceof OpenAI.AuthenticationError,
    );
    const badAnthropic = new Anthropic({ apiKey: 'dg-nope', baseURL: harness.url, maxRetries: 0 });
    await assert.rejects(
      badAnthropic.messages.countTokens({
        model: DEMO_MODEL_ID,
        messages: [{ role: 'user', content: 'x' }],
      }),
      (error: unknown) => error instanceof Anthropic.AuthenticationError,
    );
    await assert.rejects(
      badAnthropic.messages.batches.list(),
      (error: unknown) => error instanceof Anthropic.AuthenticationError,
    );
  });
});

describe('the degrade rung on the new routes', () => {
  test('completions are capped and watermarked; embeddings and count_tokens are forwarded unchanged', async () => {
    const demo = createDemoUpstream();
    const forwarded: { path: string; body: Record<string, unknown> }[] = [];
    const scorer = createScriptedScorer({ acct_degraded: { score: 0.5, verdict: 'attack' } });
    const harness = await startHarness({
      accounts: ['acct_degraded'],
      upstream: {
        fetch(request, context) {
          forwarded.push({
            path: new URL(request.url).pathname,
            body: JSON.parse(context.body?.toString('utf8') ?? '{}') as Record<string, unknown>,
          });
          return demo.fetch(request, context);
        },
      },
      gatewayOptions: {
        scorer,
        policy: {
          ...DEFAULT_LADDER_POLICY,
          degrade: { maxOutputTokens: 5, reasoning: 'withhold' },
        },
        watermark: createGatewayWatermark({
          master: createWatermarkKey('master', new Uint8Array(32).fill(7)),
          mode: 'degrade',
        }),
      },
    });
    try {
      const { openai, anthropic } = clients(harness, 'acct_degraded');
      const { data, response } = await openai.completions
        .create({ model: DEMO_MODEL_ID, prompt: 'Write at length', max_tokens: 50 })
        .withResponse();
      assert.equal(response.headers.get('x-distillguard-action'), 'degrade');
      assert.equal(data.usage?.completion_tokens, 5);
      await openai.embeddings.create({ model: DEMO_MODEL_ID, input: 'embed me' });
      await anthropic.messages.countTokens({
        model: DEMO_MODEL_ID,
        messages: [{ role: 'user', content: 'count me' }],
      });
      assert.deepEqual(
        forwarded.map(({ path, body }) => [path, body.max_tokens]),
        [
          ['/v1/completions', 5],
          ['/v1/embeddings', undefined],
          ['/v1/messages/count_tokens', undefined],
        ],
      );
      await harness.settle();
      const [completion, embeddings, count] = harness.sink.exchanges;
      assert.equal(completion?.watermark?.level, 'text');
      assert.equal(embeddings?.watermark, undefined);
      assert.equal(count?.watermark, undefined);
      assert.equal(embeddings?.enforcement?.action, 'degrade');
    } finally {
      await harness.close();
    }
  });
});
