import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Exchange } from '../../log/exchange.js';
import { serialiseExchange, truncateExchange } from '../../log/serialise-exchange.js';
import { createBatchingRecorder, type ExchangeSink } from './exchange-recorder.js';
import {
  type SerialisedExchange,
  serialiseForStore,
  truncateSerialised,
} from './serialised-exchange.js';

let deep: unknown = null;
for (let level = 0; level < 6000; level += 1) deep = [deep];

const record = (index: number, content: unknown = `q${index}`): Exchange => ({
  id: `ex_${index}`,
  ts: '2026-01-01T00:00:00.123Z',
  account_id: 'acct',
  ip: '203.0.113.1',
  endpoint: 'chat.completions',
  model: 'm',
  request: {
    model: 'm',
    messages: [{ role: 'user', content: content as string }],
    temperature: 1e21,
  },
  status: 200,
  latency_ms: 1.5,
  response: { text: 'a', input_tokens: 2, output_tokens: 1, stop_reason: 'stop' },
});

const cases: [string, Exchange][] = [
  ['ordinary', record(0)],
  ['a lone surrogate, an escaped one, a pair', record(1, 'a\ud800b \\ud800 😀')],
  ['control characters and quotes', record(2, '\u0000\u001f"\\\n')],
  ['nested 6,000 deep (unserialisable)', record(3, deep)],
  ['no latency', { ...record(4), latency_ms: undefined } as unknown as Exchange],
];

for (const [name, exchange] of cases) {
  test(`serialiseForStore: ${name}: the columns and the line a sink writes for the record`, () => {
    assert.deepEqual(serialiseForStore(exchange), {
      id: exchange.id,
      ts: exchange.ts,
      account_id: exchange.account_id,
      endpoint: exchange.endpoint,
      model: exchange.model,
      status: exchange.status,
      latency_ms: exchange.latency_ms ?? 0,
      line: serialiseExchange(exchange).line,
    });
  });

  test(`truncateSerialised: ${name}: the line of the truncated record`, () => {
    const note = { reason: 'sink_rejected' } as const;
    assert.equal(
      truncateSerialised(serialiseForStore(exchange), note).line,
      serialiseExchange(truncateExchange(exchange, note)).line,
    );
  });
}

test('recorder: a sink with writeSerialised gets every record as its row, a refused one truncated', async () => {
  const lines: string[] = [];
  const sink: ExchangeSink = {
    version: 1,
    async writeBatch() {
      throw new Error('not used when the sink takes rows');
    },
    async writeSerialised(rows: SerialisedExchange[]) {
      if (rows.some((row) => row.id === 'ex_3' && !row.line.includes('"truncated"')))
        throw new Error('bad row');
      lines.push(...rows.map((row) => row.line));
    },
    count: async () => lines.length,
    async close() {},
  };
  const recorder = createBatchingRecorder({ sink, onError: () => {} });
  const records = Array.from({ length: 6 }, (_, index) => record(index, `q${index}\ud800`));
  for (const each of records.slice(0, 4)) recorder.record(each);
  // Serialised at the end of the turn that queued them: a change made later is not stored.
  await new Promise((resolve) => setImmediate(resolve));
  (records[0] as Exchange).status = 599;
  // The rest are still objects when the flush comes, and are serialised by it.
  for (const each of records.slice(4)) recorder.record(each);
  await recorder.flush();
  const expected = records.map((each, index) =>
    index === 3
      ? serialiseExchange(truncateExchange(each, { reason: 'sink_rejected' })).line
      : serialiseExchange({ ...each, status: 200 }).line,
  );
  assert.deepEqual(lines, expected);
  assert.equal(recorder.health().quarantined, 1);
});
