import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { createLogger } from '../../shared/telemetry/index.js';
import { createDemoUpstream, DEMO_MODEL_ID } from '../demo/create-demo-upstream.js';
import type { FetchHandler } from '../node/serve-gateway.js';
import { createScriptedScorer } from '../request-scorer.js';
import { type Harness, startHarness } from '../test-harness.js';
import { createGatewayTracing, type GatewayTracing } from './create-gateway-tracing.js';

const PROMPT = 'Zanzibar-quokka-7781: describe the migration of the arctic tern';
const CLIENT_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN_ID = '00f067aa0ba902b7';
const CLIENT_TRACEPARENT = `00-${CLIENT_TRACE_ID}-${CLIENT_SPAN_ID}-01`;

/** The demo upstream, keeping the headers of every request it receives. */
function recordingUpstream() {
  const demo = createDemoUpstream();
  const seen: Record<string, string>[] = [];
  const handler: FetchHandler = {
    fetch(request, context) {
      seen.push(Object.fromEntries(request.headers));
      return demo.fetch(request, context);
    },
  };
  return { handler, seen };
}

/** A pino destination that keeps each line, raw and parsed. */
function captureLogs() {
  const raw: string[] = [];
  return {
    raw,
    lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>),
    destination: { write: (line: string) => raw.push(line) },
  };
}

const clients = (harness: Harness, accountId: string, headers: Record<string, string> = {}) => ({
  openai: new OpenAI({
    apiKey: harness.keys[accountId],
    baseURL: `${harness.url}/v1`,
    maxRetries: 0,
    defaultHeaders: headers,
  }),
  anthropic: new Anthropic({
    apiKey: harness.keys[accountId],
    baseURL: harness.url,
    maxRetries: 0,
    defaultHeaders: headers,
  }),
});

describe('request and decision logs', () => {
  const logs = captureLogs();
  let harness: Harness;
  let answers: string[] = [];
  before(async () => {
    harness = await startHarness({
      accounts: ['acct_obs', 'acct_bad'],
      gatewayOptions: {
        scorer: createScriptedScorer({
          acct_bad: { score: 0.99, verdict: 'attack', campaignId: 'camp_1' },
        }),
        observability: {
          logger: createLogger({ name: 'distillguard-gateway', destination: logs.destination }),
        },
      },
    });
    const { openai, anthropic } = clients(harness, 'acct_obs');
    const completion = await openai.chat.completions.create({
      model: DEMO_MODEL_ID,
      messages: [{ role: 'user', content: PROMPT }],
      max_tokens: 12,
    });
    answers.push(completion.choices[0]?.message.content ?? '');
    const stream = await openai.chat.completions.create({
      model: DEMO_MODEL_ID,
      messages: [{ role: 'user', content: PROMPT }],
      max_tokens: 12,
      stream: true,
    });
    let streamed = '';
    for await (const chunk of stream) streamed += chunk.choices[0]?.delta.content ?? '';
    answers.push(streamed);
    const message = await anthropic.messages.create({
      model: DEMO_MODEL_ID,
      max_tokens: 12,
      messages: [{ role: 'user', content: PROMPT }],
    });
    answers.push(message.content[0]?.type === 'text' ? message.content[0].text : '');
    const stranger = new OpenAI({
      apiKey: 'sk-not-a-real-key-0123456789abcdef0123456789',
      baseURL: `${harness.url}/v1`,
      maxRetries: 0,
    });
    await assert.rejects(
      stranger.chat.completions.create({
        model: DEMO_MODEL_ID,
        messages: [{ role: 'user', content: PROMPT }],
      }),
    );
    const attacker = clients(harness, 'acct_bad').openai;
    await assert.rejects(
      attacker.chat.completions.create({
        model: DEMO_MODEL_ID,
        messages: [{ role: 'user', content: PROMPT }],
      }),
    );
    await harness.settle();
    answers = answers.filter((answer) => answer.length > 8);
  });
  after(() => harness.close());

  test('no API key, prompt or answer text reaches the log by default', () => {
    const text = logs.raw.join('');
    assert.ok(logs.raw.length >= 5);
    for (const key of Object.values(harness.keys)) assert.ok(!text.includes(key));
    assert.ok(!text.includes('sk-not-a-real-key'));
    assert.ok(!text.includes('Zanzibar'));
    assert.ok(answers.length >= 2);
    for (const answer of answers) assert.ok(!text.includes(answer), answer);
  });

  test('one line per request with route, status, account, rung, model, tokens and times', () => {
    const requests = logs.lines().filter((line) => line.event === 'request');
    assert.equal(requests.length, 5);
    const [plain, streamed, anthropic, stranger, attacker] = requests;
    assert.deepEqual(
      {
        method: plain?.method,
        route: plain?.route,
        status: plain?.status,
        account_id: plain?.account_id,
        action: plain?.action,
        model: plain?.model,
      },
      {
        method: 'POST',
        route: '/v1/chat/completions',
        status: 200,
        account_id: 'acct_obs',
        action: 'allow',
        model: DEMO_MODEL_ID,
      },
    );
    assert.ok(Number(plain?.input_tokens) > 0);
    assert.equal(plain?.output_tokens, 12);
    assert.ok(Number(plain?.upstream_ms) > 0);
    assert.ok(Number(plain?.gateway_ms) >= 0);
    assert.ok(Number(plain?.duration_ms) >= Number(plain?.upstream_ms));
    assert.equal(plain?.level, 'info');
    assert.ok(Number(streamed?.ttft_ms) > 0);
    assert.equal(anthropic?.route, '/v1/messages');
    assert.equal(stranger?.status, 401);
    assert.equal(stranger?.account_id, 'unauthenticated');
    assert.equal(attacker?.account_id, 'acct_bad');
    assert.equal(attacker?.action, 'suspend');
  });

  test('a decision line when the ladder attaches a decision', () => {
    const decisions = logs.lines().filter((line) => line.event === 'decision');
    assert.ok(
      decisions.some(
        (line) =>
          line.subject_kind === 'account' &&
          line.subject_id === 'acct_bad' &&
          line.action === 'suspend' &&
          line.source === 'engine',
      ),
      JSON.stringify(decisions),
    );
  });

  test('with logPrompts, the prompt is in the request line; keys still are not', async () => {
    const opted = captureLogs();
    const optedIn = await startHarness({
      accounts: ['acct_obs'],
      gatewayOptions: {
        observability: {
          logPrompts: true,
          logger: createLogger({
            name: 'distillguard-gateway',
            destination: opted.destination,
            logPrompts: true,
          }),
        },
      },
    });
    try {
      await clients(optedIn, 'acct_obs').openai.chat.completions.create({
        model: DEMO_MODEL_ID,
        messages: [{ role: 'user', content: PROMPT }],
        max_tokens: 4,
      });
      await optedIn.settle();
      const text = opted.raw.join('');
      assert.ok(text.includes('Zanzibar'));
      assert.ok(!text.includes(optedIn.keys.acct_obs as string));
    } finally {
      await optedIn.close();
    }
  });
});

describe('traces', () => {
  const exporter = new InMemorySpanExporter();
  const upstream = recordingUpstream();
  let tracing: GatewayTracing;
  let harness: Harness;
  before(async () => {
    tracing = createGatewayTracing({ exporter });
    harness = await startHarness({
      accounts: ['acct_trace'],
      upstream: upstream.handler,
      gatewayOptions: { observability: { tracing } },
    });
  });
  after(async () => {
    await harness.close();
    await tracing.shutdown();
  });

  const spansOf = (traceId: string) =>
    exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);
  const parentOf = (span: ReadableSpan | undefined) => span?.parentSpanContext?.spanId;

  test("a client's traceparent is the parent; auth, score and upstream are children", async () => {
    exporter.reset();
    const { openai } = clients(harness, 'acct_trace', { traceparent: CLIENT_TRACEPARENT });
    await openai.chat.completions.create({
      model: DEMO_MODEL_ID,
      messages: [{ role: 'user', content: PROMPT }],
      max_tokens: 9,
    });
    await harness.settle();
    const spans = spansOf(CLIENT_TRACE_ID);
    const server = spans.find((span) => span.kind === SpanKind.SERVER);
    assert.ok(server, 'server span');
    assert.equal(server.name, 'POST /v1/chat/completions');
    assert.equal(parentOf(server), CLIENT_SPAN_ID);
    assert.equal(server.attributes['http.response.status_code'], 200);
    assert.equal(server.attributes['distillguard.action'], 'allow');
    const serverId = server.spanContext().spanId;
    for (const name of ['distillguard.auth', 'distillguard.score']) {
      const child = spans.find((span) => span.name === name);
      assert.equal(parentOf(child), serverId, name);
    }
    const client = spans.find((span) => span.kind === SpanKind.CLIENT);
    assert.ok(client, 'upstream span');
    assert.equal(parentOf(client), serverId);
    assert.equal(client.name, `chat ${DEMO_MODEL_ID}`);
    const record = harness.sink.exchanges.at(-1);
    assert.deepEqual(
      {
        system: client.attributes['gen_ai.system'],
        provider: client.attributes['gen_ai.provider.name'],
        operation: client.attributes['gen_ai.operation.name'],
        model: client.attributes['gen_ai.request.model'],
        input: client.attributes['gen_ai.usage.input_tokens'],
        output: client.attributes['gen_ai.usage.output_tokens'],
      },
      {
        system: 'openai',
        provider: 'openai',
        operation: 'chat',
        model: DEMO_MODEL_ID,
        input: record?.response?.input_tokens,
        output: 9,
      },
    );
    // The upstream continues the same trace, under the gateway's upstream span.
    assert.equal(
      upstream.seen.at(-1)?.traceparent,
      `00-${CLIENT_TRACE_ID}-${client.spanContext().spanId}-01`,
    );
  });

  test('a stream records its time to first chunk; Anthropic clients are gen_ai.system anthropic', async () => {
    exporter.reset();
    const { openai, anthropic } = clients(harness, 'acct_trace');
    const stream = await openai.chat.completions.create({
      model: DEMO_MODEL_ID,
      messages: [{ role: 'user', content: PROMPT }],
      max_tokens: 6,
      stream: true,
    });
    for await (const _chunk of stream);
    await anthropic.messages.create({
      model: DEMO_MODEL_ID,
      max_tokens: 6,
      messages: [{ role: 'user', content: PROMPT }],
    });
    await harness.settle();
    const clientSpans = exporter.getFinishedSpans().filter((span) => span.kind === SpanKind.CLIENT);
    assert.equal(clientSpans.length, 2);
    const [streamed, messages] = clientSpans;
    assert.equal(streamed?.attributes['gen_ai.request.stream'], true);
    assert.ok(Number(streamed?.attributes['gen_ai.response.time_to_first_chunk']) > 0);
    assert.equal(streamed?.attributes['gen_ai.usage.output_tokens'], 6);
    assert.equal(messages?.attributes['gen_ai.system'], 'anthropic');
    // No client context: the gateway starts the trace and still propagates it.
    const root = exporter
      .getFinishedSpans()
      .find(
        (span) =>
          span.kind === SpanKind.SERVER &&
          span.spanContext().traceId === messages?.spanContext().traceId,
      );
    assert.equal(parentOf(root), undefined);
    assert.match(
      upstream.seen.at(-1)?.traceparent ?? '',
      new RegExp(`^00-${messages?.spanContext().traceId}-${messages?.spanContext().spanId}-01$`),
    );
  });

  test('tracing off: no spans, and the client trace context passes through unchanged', async () => {
    const passThrough = recordingUpstream();
    const untraced = await startHarness({
      accounts: ['acct_plain'],
      upstream: passThrough.handler,
    });
    try {
      const { openai } = clients(untraced, 'acct_plain', {
        traceparent: CLIENT_TRACEPARENT,
        tracestate: 'vendor=value',
      });
      await openai.chat.completions.create({
        model: DEMO_MODEL_ID,
        messages: [{ role: 'user', content: PROMPT }],
        max_tokens: 3,
      });
      assert.equal(passThrough.seen.at(-1)?.traceparent, CLIENT_TRACEPARENT);
      assert.equal(passThrough.seen.at(-1)?.tracestate, 'vendor=value');
    } finally {
      await untraced.close();
    }
  });
});
