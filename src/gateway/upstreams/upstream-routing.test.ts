import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { createDemoUpstream } from '../demo/create-demo-upstream.js';
import { type ServedHandler, serveFetchHandler } from '../node/serve-gateway.js';
import { type Harness, startHarness } from '../test-harness.js';
import { openUpstreams } from './open-upstreams.js';
import { upstreamsConfigSchema } from './upstreams-config.js';

type Mode = 'ok' | '503' | '400' | 'slow' | 'cut_stream';

/** A real local upstream: the demo model, or a fault chosen by `mode`; counts what it received. */
async function startUpstream(name: string) {
  const demo = createDemoUpstream();
  const state = { mode: 'ok' as Mode, hits: [] as { model: string; key: string | null }[] };
  const served = await serveFetchHandler({
    async fetch(request, context) {
      const text = context.body?.toString('utf8') ?? '';
      const body = (text ? JSON.parse(text) : {}) as { model?: string };
      state.hits.push({ model: body.model ?? '', key: request.headers.get('authorization') });
      if (state.mode === '503')
        return Response.json(
          {
            error: { message: `${name} overloaded`, type: 'server_error', param: null, code: null },
          },
          { status: 503 },
        );
      if (state.mode === '400')
        return Response.json(
          {
            error: {
              message: `${name}: bad max_tokens`,
              type: 'invalid_request_error',
              param: 'max_tokens',
              code: 'bad',
            },
          },
          { status: 400 },
        );
      if (state.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, 1_500));
      if (state.mode === 'cut_stream') {
        const chunk = `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta: { content: `${name} ` }, finish_reason: null }] })}\n\n`;
        let sent = 0;
        return new Response(
          new ReadableStream({
            async pull(controller) {
              // Each chunk reaches the client before the next: the stream has started.
              await new Promise((resolve) => setTimeout(resolve, 20));
              sent += 1;
              if (sent > 2) controller.error(new Error('upstream died mid-stream'));
              else controller.enqueue(new TextEncoder().encode(chunk));
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        );
      }
      const response = await demo.fetch(request, context);
      const headers = new Headers(response.headers);
      headers.set('x-served-by', name);
      return new Response(response.body, { status: response.status, headers });
    },
  });
  return { served, state, name };
}

describe('several upstreams chosen by model, with fallback', () => {
  let alpha: Awaited<ReturnType<typeof startUpstream>>;
  let beta: Awaited<ReturnType<typeof startUpstream>>;
  let closedPort: ServedHandler;
  let harness: Harness;
  let openai: OpenAI;
  let anthropic: Anthropic;
  before(async () => {
    alpha = await startUpstream('alpha');
    beta = await startUpstream('beta');
    closedPort = await serveFetchHandler({ fetch: async () => new Response('') });
    const deadUrl = closedPort.url;
    await closedPort.close(0);
    const router = openUpstreams(
      upstreamsConfigSchema.parse([
        { name: 'dead', url: deadUrl, models: ['dead-*'] },
        {
          name: 'alpha',
          url: alpha.served.url,
          api_key_env: 'ALPHA_KEY',
          models: ['alpha-*', 'shared', 'dead-*'],
          headers_timeout_ms: 300,
        },
        {
          name: 'beta',
          url: beta.served.url,
          api_key_env: 'BETA_KEY',
          models: ['beta', 'gamma-?', 'shared'],
        },
      ]),
      { env: { ALPHA_KEY: 'sk-alpha-upstream', BETA_KEY: 'sk-beta-upstream' } },
    );
    harness = await startHarness({
      accounts: ['acct_route'],
      gatewayOptions: { upstream: router },
    });
    openai = new OpenAI({
      apiKey: harness.keys.acct_route,
      baseURL: `${harness.url}/v1`,
      maxRetries: 0,
    });
    anthropic = new Anthropic({
      apiKey: harness.keys.acct_route,
      baseURL: harness.url,
      maxRetries: 0,
    });
  });
  beforeEach(() => {
    for (const upstream of [alpha, beta]) {
      upstream.state.mode = 'ok';
      upstream.state.hits.length = 0;
    }
  });
  after(async () => {
    await harness.close();
    await alpha.served.close(0);
    await beta.served.close(0);
  });

  const chat = (model: string, stream = false) =>
    openai.chat.completions
      .create({
        model,
        messages: [{ role: 'user', content: 'hello' }],
        max_tokens: 4,
        stream: false,
      })
      .withResponse()
      .then((result) => {
        void stream;
        return result;
      });

  const routes = [
    { model: 'alpha-large', servedBy: 'alpha', key: 'Bearer sk-alpha-upstream' },
    { model: 'beta', servedBy: 'beta', key: 'Bearer sk-beta-upstream' },
    { model: 'gamma-7', servedBy: 'beta', key: 'Bearer sk-beta-upstream' },
  ];
  for (const { model, servedBy, key } of routes) {
    test(`model ${model} goes to ${servedBy}, with ${servedBy}'s own key`, async () => {
      const { data } = await chat(model);
      assert.equal(data.model, model);
      const target = servedBy === 'alpha' ? alpha : beta;
      const other = servedBy === 'alpha' ? beta : alpha;
      assert.deepEqual(target.state.hits, [{ model, key }]);
      assert.equal(other.state.hits.length, 0);
    });
  }

  test('a model no upstream serves: 404 model_not_found, nothing sent', async () => {
    await assert.rejects(
      chat('gamma-10'),
      (error: unknown) => error instanceof OpenAI.NotFoundError && error.code === 'model_not_found',
    );
    assert.equal(alpha.state.hits.length + beta.state.hits.length, 0);
  });

  test('the first answers 503: the next serves, the client sees one 200', async () => {
    alpha.state.mode = '503';
    const { data } = await chat('shared');
    assert.ok((data.choices[0]?.message.content ?? '').length > 0);
    assert.equal(alpha.state.hits.length, 1);
    assert.equal(beta.state.hits.length, 1);
    await harness.settle();
    assert.equal(harness.sink.exchanges.at(-1)?.status, 200);
  });

  test('the first times out before its headers: the next serves (Anthropic SDK)', async () => {
    alpha.state.mode = 'slow';
    const message = await anthropic.messages.create({
      model: 'shared',
      max_tokens: 4,
      messages: [{ role: 'user', content: 'hi' }],
    });
    assert.equal(message.type, 'message');
    assert.equal(alpha.state.hits.length, 1);
    assert.equal(beta.state.hits.length, 1);
  });

  test('the first refuses the connection: the next serves', async () => {
    const { data } = await chat('dead-model');
    assert.equal(data.model, 'dead-model');
    assert.equal(alpha.state.hits.length, 1);
  });

  test("a 400 is the client's answer: no fallback", async () => {
    alpha.state.mode = '400';
    await assert.rejects(
      chat('shared'),
      (error: unknown) => error instanceof OpenAI.BadRequestError && error.code === 'bad',
    );
    assert.equal(alpha.state.hits.length, 1);
    assert.equal(beta.state.hits.length, 0);
  });

  test('every candidate fails: the last 5xx reaches the client', async () => {
    alpha.state.mode = '503';
    beta.state.mode = '503';
    await assert.rejects(
      chat('shared'),
      (error: unknown) => error instanceof OpenAI.APIError && error.status === 503,
    );
    assert.equal(alpha.state.hits.length, 1);
    assert.equal(beta.state.hits.length, 1);
  });

  test('a batch lives on the upstream that created it: reads and results are pinned there', async () => {
    const batch = await anthropic.messages.batches.create({
      requests: [
        {
          custom_id: 'one',
          params: { model: 'beta', max_tokens: 3, messages: [{ role: 'user', content: 'hi' }] },
        },
      ],
    });
    // Each upstream keeps its own batches: a read sent to alpha would be a 404.
    const retrieved = await anthropic.messages.batches.retrieve(batch.id);
    assert.equal(retrieved.id, batch.id);
    const results: string[] = [];
    for await (const line of await anthropic.messages.batches.results(batch.id))
      results.push(line.custom_id);
    assert.deepEqual(results, ['one']);
    assert.equal(alpha.state.hits.length, 0);
    assert.ok(beta.state.hits.length >= 3, `beta saw ${beta.state.hits.length}`);
  });

  test('a stream that started is never retried elsewhere, even when it breaks', async () => {
    alpha.state.mode = 'cut_stream';
    const stream = await openai.chat.completions.create({
      model: 'shared',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    let text = '';
    await assert.rejects(async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    });
    assert.equal(text, 'alpha alpha ');
    assert.equal(alpha.state.hits.length, 1);
    assert.equal(beta.state.hits.length, 0);
  });
});
