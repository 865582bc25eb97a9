import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { DEMO_MODEL_ID } from './demo/create-demo-upstream.js';
import { type Harness, startHarness } from './test-harness.js';

describe('gateway with the official SDKs against the demo upstream', () => {
  let harness: Harness;
  let openai: OpenAI;
  let anthropic: Anthropic;
  before(async () => {
    harness = await startHarness({ accounts: ['acct_sdk', 'acct_revoked'] });
    openai = new OpenAI({
      apiKey: harness.keys.acct_sdk,
      baseURL: `${harness.url}/v1`,
      maxRetries: 0,
    });
    anthropic = new Anthropic({
      apiKey: harness.keys.acct_sdk,
      baseURL: harness.url,
      maxRetries: 0,
    });
  });
  after(() => harness.close());

  test('OpenAI chat completion, non-streaming', async () => {
    const completion = await openai.chat.completions.create({
      model: DEMO_MODEL_ID,
      messages: [{ role: 'user', content: 'Tell me about the weather in spring.' }],
      max_tokens: 12,
    });
    const text = completion.choices[0]?.message.content ?? '';
    assert.ok(text.length > 0);
    assert.equal(completion.usage?.completion_tokens, 12);
  });

  test('OpenAI chat completion, streaming, text matches the record', async () => {
    const stream = await openai.chat.completions.create({
      model: DEMO_MODEL_ID,
      messages: [{ role: 'user', content: 'Write a short story.' }],
      max_tokens: 20,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    await harness.settle();
    const record = harness.sink.exchanges.at(-1);
    assert.equal(record?.response?.text, text);
    assert.equal(record?.status, 200);
    assert.equal(record?.account_id, 'acct_sdk');
    assert.equal(record?.request.stream, true);
  });

  test('OpenAI tools are passed through and a tool call comes back', async () => {
    const completion = await openai.chat.completions.create({
      model: DEMO_MODEL_ID,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'lookup', parameters: { type: 'object', properties: {} } },
        },
      ],
      tool_choice: 'required',
      max_tokens: 8,
    });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    assert.equal(call?.type === 'function' ? call.function.name : undefined, 'lookup');
    await harness.settle();
    const record = harness.sink.exchanges.at(-1);
    assert.deepEqual(record?.request.tools, [
      {
        type: 'function',
        function: { name: 'lookup', parameters: { type: 'object', properties: {} } },
      },
    ]);
    assert.match(JSON.stringify(record?.request.messages), /image_url/);
  });

  test('OpenAI responses API, streaming and not', async () => {
    const response = await openai.responses.create({
      model: DEMO_MODEL_ID,
      input: 'Say something.',
      max_output_tokens: 10,
    });
    assert.ok(response.output_text.length > 0);
    const stream = await openai.responses.create({
      model: DEMO_MODEL_ID,
      input: 'Say more.',
      max_output_tokens: 200,
      stream: true,
    });
    let text = '';
    for await (const event of stream)
      if (event.type === 'response.output_text.delta') text += event.delta;
    assert.ok(text.length > 0);
  });

  test('OpenAI models list', async () => {
    const models = await openai.models.list();
    assert.deepEqual(
      models.data.map((model) => model.id),
      [DEMO_MODEL_ID],
    );
  });

  test('Anthropic messages, non-streaming and streaming', async () => {
    const message = await anthropic.messages.create({
      model: DEMO_MODEL_ID,
      max_tokens: 16,
      messages: [{ role: 'user', content: 'Hello there' }],
    });
    assert.equal(message.type, 'message');
    assert.equal(message.usage.output_tokens, 16);
    const stream = anthropic.messages.stream({
      model: DEMO_MODEL_ID,
      max_tokens: 16,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const final = await stream.finalMessage();
    const block = final.content[0];
    assert.equal(block?.type === 'text' ? block.text : undefined, text);
  });

  test('Anthropic tool use round trip', async () => {
    const message = await anthropic.messages.create({
      model: DEMO_MODEL_ID,
      max_tokens: 16,
      tools: [
        {
          name: 'get_weather',
          description: 'weather',
          input_schema: { type: 'object', properties: {} },
        },
      ],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
    });
    assert.equal(message.stop_reason, 'tool_use');
    assert.equal(message.content[0]?.type, 'tool_use');
  });

  const errorCases = [
    { name: 'unknown key', key: 'dg-not-a-key', code: 'invalid_api_key' },
    { name: 'revoked key', key: 'revoked', code: 'revoked_api_key' },
  ];
  for (const { name, key, code } of errorCases) {
    test(`${name}: OpenAI AuthenticationError with code ${code}; Anthropic authentication_error`, async () => {
      const apiKey = key === 'revoked' ? (harness.keys.acct_revoked ?? '') : key;
      if (key === 'revoked')
        harness.gateway.directory.revokeKey(
          harness.keyIds.acct_revoked ?? '',
          new Date().toISOString(),
        );
      const client = new OpenAI({ apiKey, baseURL: `${harness.url}/v1`, maxRetries: 0 });
      await assert.rejects(
        client.chat.completions.create({
          model: DEMO_MODEL_ID,
          messages: [{ role: 'user', content: 'x' }],
        }),
        (error: unknown) =>
          error instanceof OpenAI.AuthenticationError &&
          error.status === 401 &&
          error.code === code,
      );
      const other = new Anthropic({ apiKey, baseURL: harness.url, maxRetries: 0 });
      await assert.rejects(
        other.messages.create({
          model: DEMO_MODEL_ID,
          max_tokens: 4,
          messages: [{ role: 'user', content: 'x' }],
        }),
        (error: unknown) =>
          error instanceof Anthropic.AuthenticationError &&
          (error.error as { error?: { type?: string } }).error?.type === 'authentication_error',
      );
    });
  }

  test('exactly one exchange record per proxied request', async () => {
    await harness.settle();
    // models.list is not an exchange; every other call above is one (the error cases two each).
    assert.equal(harness.sink.exchanges.length, harness.gateway.accepted);
    assert.equal(
      new Set(harness.sink.exchanges.map((record) => record.id)).size,
      harness.sink.exchanges.length,
    );
  });
});

describe('SDK retry on 429', () => {
  test('both SDKs wait for retry-after-ms and succeed on the retry', async () => {
    const harness = await startHarness({
      accounts: ['acct_burst'],
      gatewayOptions: {
        policy: {
          ...(await import('./ladder.js')).DEFAULT_LADDER_POLICY,
          limits: {
            ...(await import('./ladder.js')).DEFAULT_LADDER_POLICY.limits,
            allow: {
              requests: { capacity: 1, refillPerSecond: 4 },
              outputTokens: { capacity: 100_000, refillPerSecond: 1000 },
            },
          },
        },
      },
    });
    try {
      const openai = new OpenAI({
        apiKey: harness.keys.acct_burst,
        baseURL: `${harness.url}/v1`,
        maxRetries: 2,
      });
      await openai.chat.completions.create({
        model: DEMO_MODEL_ID,
        messages: [{ role: 'user', content: 'a' }],
        max_tokens: 2,
      });
      const { data, response } = await openai.chat.completions
        .create({ model: DEMO_MODEL_ID, messages: [{ role: 'user', content: 'b' }], max_tokens: 2 })
        .withResponse();
      assert.ok(data.choices.length > 0);
      assert.equal(response.headers.get('x-ratelimit-limit-requests'), '1');
      const anthropic = new Anthropic({
        apiKey: harness.keys.acct_burst,
        baseURL: harness.url,
        maxRetries: 2,
      });
      await anthropic.messages.create({
        model: DEMO_MODEL_ID,
        max_tokens: 2,
        messages: [{ role: 'user', content: 'c' }],
      });
      await harness.settle();
      const statuses = harness.sink.exchanges.map((record) => record.status);
      assert.ok(statuses.filter((status) => status === 429).length >= 2, `statuses ${statuses}`);
      assert.equal(statuses.filter((status) => status === 200).length, 3);
      const refused = harness.sink.exchanges.find((record) => record.status === 429);
      assert.equal(refused?.response, undefined);
    } finally {
      await harness.close();
    }
  });
});
