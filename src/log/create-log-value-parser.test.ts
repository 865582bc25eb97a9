import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GlasswallyEvent } from './adapters/glasswally.js';
import { createLogValueParser, type LogFormat } from './create-log-value-parser.js';
import type { Exchange } from './exchange.js';

const exchange: Exchange = {
  id: 'ex-1',
  ts: '2026-02-01T00:00:00.000Z',
  account_id: 'acct-1',
  ip: '203.0.113.7',
  endpoint: 'chat.completions',
  model: 'model-a',
  request: { messages: [{ role: 'user', content: 'question' }] },
  response: { input_tokens: 10, output_tokens: 20, stop_reason: 'stop' },
  status: 200,
};
const event: GlasswallyEvent = {
  request_id: 'req-1',
  account_id: 'sk-abc',
  timestamp: '2026-02-01T10:00:00Z',
  ip_address: '198.51.100.4',
  prompt: 'Explain step by step',
};

const cases: {
  format: LogFormat;
  value: unknown;
  /** The exchange id when accepted, else undefined. */
  accepted: string | undefined;
  /** Whether the value was handed over as a Glasswally event. */
  glasswally: boolean;
  /** The format a rejection says the value looks like (`foreign_format`), if any. */
  hint?: string;
}[] = [
  { format: 'auto', value: exchange, accepted: 'ex-1', glasswally: false },
  { format: 'auto', value: event, accepted: 'req-1', glasswally: true },
  { format: 'v1', value: exchange, accepted: 'ex-1', glasswally: false },
  { format: 'v1', value: event, accepted: undefined, glasswally: false, hint: 'glasswally' },
  { format: 'glasswally', value: event, accepted: 'req-1', glasswally: true },
  { format: 'glasswally', value: exchange, accepted: undefined, glasswally: false, hint: 'v1' },
  {
    format: 'auto',
    value: { ...event, timestamp: 'never' },
    accepted: undefined,
    glasswally: false,
  },
  { format: 'auto', value: 42, accepted: undefined, glasswally: false },
];

for (const { format, value, accepted, glasswally, hint } of cases) {
  test(`createLogValueParser(${format}) on ${JSON.stringify(value).slice(0, 40)}`, () => {
    const handed: [GlasswallyEvent, Exchange][] = [];
    const parse = createLogValueParser(format, (event, parsed) => handed.push([event, parsed]));
    const result = parse(value);
    assert.equal(result.success ? (result.value as Exchange).id : undefined, accepted);
    if (!result.success && hint === undefined) assert.equal(typeof result.error, 'string');
    if (!result.success && hint !== undefined) {
      assert.deepEqual(
        typeof result.error === 'string'
          ? {}
          : { code: result.error.code, format: result.error.format },
        { code: 'foreign_format', format: hint },
      );
    }
    assert.equal(handed.length, glasswally ? 1 : 0);
    if (glasswally && result.success) {
      assert.equal(handed[0]?.[0], value);
      assert.equal(handed[0]?.[1], result.value);
    }
  });
}
