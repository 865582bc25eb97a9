import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { createDemoUpstream } from './demo/create-demo-upstream.js';
import type { FetchHandler } from './node/serve-gateway.js';
import { type Harness, startHarness } from './test-harness.js';

const demo = createDemoUpstream({ tokenDelayMs: 20 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An upstream that misbehaves on request: the model name picks the fault. */
const faultyUpstream: FetchHandler = {
  async fetch(request, context) {
    void request;
    const body = JSON.parse(context.body?.toString('utf8') ?? '{}') as { model?: string };
    switch (body.model) {
      case 'fault-500':
        return Response.json(
          {
            error: { message: 'upstream exploded', type: 'server_error', param: null, code: null },
          },
          { status: 500 },
        );
      case 'fault-502-html':
        return new Response('<html>bad gateway</html>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        });
      case 'fault-slow':
        await sleep(1_500);
        return Response.json({});
      case 'fault-stall': {
        const encoder = new TextEncoder();
        let sent = 0;
        return new Response(
          new ReadableStream({
            async pull(controller) {
              if (sent >= 2) return new Promise(() => {});
              sent += 1;
              controller.enqueue(
                encoder.encode(
                  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content: 'tok ' }, finish_reason: null }] })}\n\n`,
                ),
              );
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        );
      }
      default:
        return demo.fetch(request, context);
    }
  },
};

describe('gateway under faults', () => {
  let harness: Harness;
  let openai: OpenAI;
  let requests = 0;
  before(async () => {
    harness = await startHarness({
      upstream: faultyUpstream,
      accounts: ['acct_f'],
      upstreamOptions: { headersTimeoutMs: 300, bodyTimeoutMs: 300 },
      bodyLimitBytes: 64 * 1024,
      gatewayOptions: { bodyLimitBytes: 64 * 1024 },
    });
    openai = new OpenAI({
      apiKey: harness.keys.acct_f,
      baseURL: `${harness.url}/v1`,
      maxRetries: 0,
    });
  });
  after(() => harness.close());

  const upstreamCases = [
    { model: 'fault-500', status: 500, code: null },
    { model: 'fault-502-html', status: 502, code: 'upstream_error' },
    { model: 'fault-slow', status: 504, code: 'upstream_timeout' },
  ];
  for (const { model, status, code } of upstreamCases) {
    test(`${model}: the SDK sees ${status} in OpenAI shape`, async () => {
      requests += 1;
      await assert.rejects(
        openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }),
        (error: unknown) =>
          error instanceof OpenAI.APIError &&
          error.status === status &&
          (code === null || error.code === code),
      );
    });
  }

  test('stalled stream: ends with an error event the SDK raises, record kept', async () => {
    requests += 1;
    const stream = await openai.chat.completions.create({
      model: 'fault-stall',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    let text = '';
    await assert.rejects(async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    }, /stopped sending/);
    assert.equal(text, 'tok tok ');
    await harness.settle();
    assert.equal(harness.sink.exchanges.at(-1)?.response?.stop_reason, 'upstream_error');
  });

  test('client abort mid-stream: upstream cancelled, record says client_aborted', async () => {
    requests += 1;
    const abort = new AbortController();
    const stream = await openai.chat.completions.create(
      {
        model: 'slow',
        messages: [{ role: 'user', content: 'go on' }],
        stream: true,
        max_tokens: 200,
      },
      { signal: abort.signal },
    );
    let chunks = 0;
    try {
      for await (const _chunk of stream) {
        chunks += 1;
        if (chunks === 3) abort.abort();
        if (chunks >= 3) break;
      }
    } catch {
      // The SDK may end the iteration quietly or throw, depending on timing.
    }
    assert.ok(chunks >= 3);
    // The server learns of the abort from the socket; on a busy machine that can take a while.
    const deadline = Date.now() + 15_000;
    let record = harness.sink.exchanges.find(
      (each) => each.response?.stop_reason === 'client_aborted',
    );
    while (!record && Date.now() < deadline) {
      await sleep(25);
      await harness.gateway.recorder.flush();
      record = harness.sink.exchanges.find(
        (each) => each.response?.stop_reason === 'client_aborted',
      );
    }
    assert.ok(record, 'a client_aborted record');
    assert.ok((record.response?.output_tokens ?? 0) < 200);
  });

  const malformedCases = [
    {
      name: 'wrong content type',
      contentType: 'text/plain',
      body: '{}',
      status: 415,
      code: 'unsupported_content_type',
    },
    {
      name: 'malformed JSON',
      contentType: 'application/json',
      body: '{"model": ',
      status: 400,
      code: 'malformed_json',
    },
    {
      name: 'JSON that is not an object',
      contentType: 'application/json',
      body: '[1,2]',
      status: 400,
      code: 'invalid_body',
    },
    {
      name: 'oversized body',
      contentType: 'application/json',
      body: JSON.stringify({
        model: 'm',
        messages: [{ role: 'user', content: 'x'.repeat(100_000) }],
      }),
      status: 413,
      code: 'body_too_large',
    },
  ];
  for (const { name, contentType, body, status, code } of malformedCases) {
    for (const path of ['/v1/chat/completions', '/v1/messages']) {
      test(`${name} on ${path}: ${status} ${code} in the SDK's shape`, async () => {
        requests += 1;
        const response = await fetch(`${harness.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': contentType, authorization: `Bearer ${harness.keys.acct_f}` },
          body,
        });
        assert.equal(response.status, status);
        assert.equal(response.headers.get('x-distillguard-reason'), code);
        const json = (await response.json()) as Record<string, unknown>;
        if (path === '/v1/messages') {
          assert.equal(json.type, 'error');
          assert.equal(typeof (json.error as { type: unknown }).type, 'string');
        } else {
          assert.deepEqual(Object.keys(json.error as object).sort(), [
            'code',
            'message',
            'param',
            'type',
          ]);
          assert.equal((json.error as { code: unknown }).code, code);
        }
      });
    }
  }

  test('missing key: 401 for both dialects', async () => {
    requests += 2;
    const response = await fetch(`${harness.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(response.status, 401);
    const anthropic = new Anthropic({
      apiKey: 'sk-ant-unknown',
      baseURL: harness.url,
      maxRetries: 0,
    });
    await assert.rejects(
      anthropic.messages.create({
        model: 'm',
        max_tokens: 1,
        messages: [{ role: 'user', content: 'x' }],
      }),
      Anthropic.AuthenticationError,
    );
  });

  test('the gateway keeps serving and wrote one record per request', async () => {
    requests += 1;
    const completion = await openai.chat.completions.create({
      model: 'ok',
      messages: [{ role: 'user', content: 'still there?' }],
      max_tokens: 3,
    });
    assert.equal(completion.choices.length, 1);
    await harness.settle();
    assert.equal(harness.gateway.accepted, requests);
    assert.equal(harness.sink.exchanges.length, requests);
  });
});

describe('enforcement failures fail open', () => {
  test('an engine that throws: the request is served as allow and counted', async () => {
    const harness = await startHarness({
      accounts: ['acct_open'],
      gatewayOptions: {
        scorer: {
          version: 1,
          observeAccount() {},
          score() {
            throw new Error('engine bug');
          },
        },
      },
    });
    const originalWrite = process.stderr.write;
    process.stderr.write = () => true;
    try {
      const openai = new OpenAI({
        apiKey: harness.keys.acct_open,
        baseURL: `${harness.url}/v1`,
        maxRetries: 0,
      });
      const { response } = await openai.chat.completions
        .create({ model: 'm', max_tokens: 2, messages: [{ role: 'user', content: 'x' }] })
        .withResponse();
      assert.equal(response.headers.get('x-distillguard-action'), 'allow');
      assert.equal(harness.gateway.enforcementErrors, 1);
      await harness.settle();
      assert.equal(harness.sink.exchanges[0]?.status, 200);
    } finally {
      process.stderr.write = originalWrite;
      await harness.close();
    }
  });
});

describe('unreachable upstream', () => {
  test('502 upstream_unavailable, record written', async () => {
    const harness = await startHarness({
      accounts: ['acct_u'],
      upstreamOptions: { baseUrl: 'http://127.0.0.1:9' },
    });
    try {
      const anthropic = new Anthropic({
        apiKey: harness.keys.acct_u,
        baseURL: harness.url,
        maxRetries: 0,
      });
      await assert.rejects(
        anthropic.messages.create({
          model: 'm',
          max_tokens: 1,
          messages: [{ role: 'user', content: 'x' }],
        }),
        (error: unknown) => error instanceof Anthropic.APIError && error.status === 502,
      );
      await harness.settle();
      assert.equal(harness.sink.exchanges[0]?.status, 502);
    } finally {
      await harness.close();
    }
  });
});
