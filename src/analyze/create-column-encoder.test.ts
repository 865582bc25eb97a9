import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPromptAnalyzer } from '../detect/prompt/index.js';
import { buildTraffic } from '../detect/testing/build-traffic.js';
import type { Exchange } from '../log/exchange.js';
import { compactFeatures, type ExchangeColumns } from './analyzed-batch.js';
import { createColumnDecoder } from './create-column-decoder.js';
import { createColumnEncoder } from './create-column-encoder.js';

const BASE: Exchange = {
  id: 'ex-1',
  ts: '2026-02-02T10:00:00.123Z',
  account_id: 'acct-1',
  ip: '203.0.113.7',
  endpoint: 'chat.completions',
  model: 'model-a',
  request: { messages: [{ role: 'user', content: 'Explain step by step why the sky is blue.' }] },
  status: 200,
};

/** Every field the engine reads (or may read) from an exchange, as it reads it. */
const READS: [string, (exchange: Exchange) => unknown][] = [
  ['id', (exchange) => exchange.id],
  ['ts', (exchange) => exchange.ts],
  ['account_id', (exchange) => exchange.account_id],
  ['api_key_id', (exchange) => exchange.api_key_id],
  ['org_id', (exchange) => exchange.org_id],
  ['ip', (exchange) => exchange.ip],
  ['user_agent', (exchange) => exchange.user_agent],
  ['tls_fingerprint', (exchange) => exchange.tls_fingerprint],
  ['header_order', (exchange) => exchange.header_order],
  ['endpoint', (exchange) => exchange.endpoint],
  ['model', (exchange) => exchange.model],
  ['status', (exchange) => exchange.status],
  ['latency_ms', (exchange) => exchange.latency_ms],
  ['max_tokens', (exchange) => exchange.request.max_tokens],
  ['max_tokens ?? max_completion', (e) => e.request.max_tokens ?? e.request.max_completion_tokens],
  ['temperature', (exchange) => exchange.request.temperature],
  ['top_p', (exchange) => exchange.request.top_p],
  ['stream', (exchange) => exchange.request.stream],
  ['response?', (exchange) => (exchange.response ? 'yes' : exchange.response)],
  ['input_tokens', (exchange) => exchange.response?.input_tokens],
  ['output_tokens', (exchange) => exchange.response?.output_tokens],
  ['reasoning_tokens', (exchange) => exchange.response?.reasoning_tokens],
  ['stop_reason', (exchange) => exchange.response?.stop_reason],
  ['watermark.level', (exchange) => exchange.watermark?.level],
  ['watermark.key_epoch', (exchange) => exchange.watermark?.key_epoch],
];

const CASES: [string, Exchange][] = [
  ['bare', BASE],
  [
    'every optional field',
    {
      ...BASE,
      api_key_id: 'key-1',
      org_id: 'org-1',
      user_agent: 'python-httpx/0.27',
      tls_fingerprint: 't13d1516h2_8daaf6152771_02713d6af862',
      header_order: 'host,user-agent,accept',
      latency_ms: 812.5,
      request: {
        ...BASE.request,
        system: 'You are a grader.',
        tools: [{ type: 'function', function: { name: 'search', parameters: {} } }],
        max_completion_tokens: 4096,
        temperature: 0,
        top_p: 0.95,
        stream: false,
      },
      response: {
        text: 'Because of Rayleigh scattering.',
        input_tokens: 12,
        output_tokens: 40,
        reasoning_tokens: 300,
        stop_reason: 'stop',
      },
      watermark: { level: 'text', key_epoch: 3 },
    },
  ],
  [
    'response without counts, stream on',
    {
      ...BASE,
      request: { ...BASE.request, stream: true, max_tokens: 1 },
      response: { stop_reason: 'length' },
    } as unknown as Exchange,
  ],
  // Values of the wrong type travel whole: the engine must read what the one-thread path reads.
  ['a null user agent', { ...BASE, user_agent: null } as unknown as Exchange],
  [
    'a string max_tokens before a number',
    {
      ...BASE,
      request: { ...BASE.request, max_tokens: '100', max_completion_tokens: 50 },
    } as unknown as Exchange,
  ],
  ['a null response', { ...BASE, response: null } as unknown as Exchange],
  [
    'null reasoning tokens',
    {
      ...BASE,
      response: { input_tokens: 1, output_tokens: 2, reasoning_tokens: null, stop_reason: 'stop' },
    } as unknown as Exchange,
  ],
];

/** Crosses a real thread boundary's serialisation, transferring the buffers. */
function sendAndDecode(batches: { batch: ExchangeColumns; transfer: ArrayBuffer[] }[]) {
  const decoder = createColumnDecoder();
  return batches.map(({ batch, transfer }) => {
    const received = structuredClone(batch, { transfer });
    assert.equal(batch.strings.length, 0, 'the column buffers are transferred, not copied');
    return decoder.decode(received);
  });
}

test('columns: the engine reads the same values as from the original exchange', () => {
  const analyzer = createPromptAnalyzer();
  const encoder = createColumnEncoder();
  encoder.begin(CASES.length);
  for (const [, exchange] of CASES) {
    encoder.add(exchange, analyzer.analyze(exchange.request, exchange.endpoint));
  }
  const [decoded] = sendAndDecode([encoder.finish(7, [], [], new ArrayBuffer(8))]);
  assert.ok(decoded);
  CASES.forEach(([name, original], position) => {
    const exchange = decoded.exchanges[position] as Exchange;
    for (const [field, read] of READS) {
      assert.ok(Object.is(read(exchange), read(original)), `${name}: ${field}`);
    }
    assert.equal(exchange.request.messages, undefined, `${name}: no prompt text`);
    assert.equal(exchange.request.system, undefined, `${name}: no system text`);
    assert.equal(exchange.response?.text, undefined, `${name}: no answer text`);
    assert.deepEqual(
      decoded.features[position],
      compactFeatures(analyzer.analyze(original.request, original.endpoint)),
      `${name}: features`,
    );
  });
  const features = decoded.features;
  assert.ok(features.some((feature) => feature.cues.length > 0 && feature.lshKeys.length === 1));
  assert.ok(features.some((feature) => feature.toolSetHash !== null));
});

test('columns: a bounded string table restarts between batches and decodes alike', () => {
  const { exchanges } = buildTraffic();
  const analyzer = createPromptAnalyzer();
  const features = exchanges.map((exchange) =>
    analyzer.analyze(exchange.request, exchange.endpoint),
  );
  for (const maxStrings of [4, 1 << 17]) {
    const encoder = createColumnEncoder({ maxStrings });
    const encoded = [];
    const resets: boolean[] = [];
    for (let start = 0; start < exchanges.length; start += 25) {
      const slice = exchanges.slice(start, start + 25);
      encoder.begin(slice.length);
      slice.forEach((exchange, offset) => {
        encoder.add(exchange, features[start + offset] as (typeof features)[number]);
      });
      const answer = encoder.finish(start, [], [], new ArrayBuffer(8));
      resets.push(answer.batch.resetStrings);
      encoded.push(answer);
    }
    const decoded = sendAndDecode(encoded).flatMap((batch) => batch.exchanges);
    assert.equal(
      resets.some(Boolean),
      maxStrings === 4,
      `resets with a table of ${maxStrings} strings`,
    );
    assert.equal(decoded.length, exchanges.length);
    decoded.forEach((exchange, position) => {
      const original = exchanges[position] as Exchange;
      for (const [field, read] of READS) {
        assert.ok(Object.is(read(exchange), read(original)), `exchange ${position}: ${field}`);
      }
    });
  }
});
