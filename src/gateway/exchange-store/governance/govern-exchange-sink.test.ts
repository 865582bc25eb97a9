import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Exchange } from '../../../log/exchange.js';
import { createDuckDbExchangeSink } from '../duckdb-exchange-sink.js';
import { createMemoryExchangeSink, type ExchangeSink } from '../exchange-recorder.js';
import { createJsonLinesExchangeSink } from '../json-lines-exchange-sink.js';
import { serialiseForStore } from '../serialised-exchange.js';
import { governExchangeSink } from './govern-exchange-sink.js';

const NOW = new Date('2026-03-31T12:00:00.000Z');
const DAY = 86_400_000;

function exchange(id: string, ageDays: number): Exchange {
  return {
    id,
    ts: new Date(NOW.getTime() - ageDays * DAY).toISOString(),
    account_id: 'acct-1',
    ip: '192.0.2.1',
    endpoint: 'chat.completions',
    model: 'm',
    request: { messages: [{ role: 'user', content: `question ${id}` }] },
    status: 200,
  };
}

let directory = '';
before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'distillguard-retention-'));
});
after(async () => {
  await rm(directory, { recursive: true, force: true });
});

const sinks: [string, () => Promise<ExchangeSink>][] = [
  ['memory', async () => createMemoryExchangeSink()],
  ['jsonl', () => createJsonLinesExchangeSink({ path: join(directory, 'store.jsonl') })],
  ['jsonl.gz', () => createJsonLinesExchangeSink({ path: join(directory, 'store.jsonl.gz') })],
  ['duckdb', () => createDuckDbExchangeSink({ path: join(directory, 'store.duckdb') })],
];

// Ages in days: with retention_days 30, the first two are deleted and the rest kept.
const ages: [string, number][] = [
  ['old-90', 90],
  ['old-30.01', 30.01],
  ['edge-29.99', 29.99],
  ['new-1', 1],
  ['new-0', 0],
];

for (const [kind, open] of sinks) {
  describe(`retention on the ${kind} store`, () => {
    test('deletes only the records older than retention_days, at start and on demand', async () => {
      const sink = await open();
      const governed = governExchangeSink(
        sink,
        { retention_days: 30 },
        { now: () => NOW, retentionIntervalMs: 3_600_000 },
      );
      await governed.writeBatch(ages.map(([id, age]) => exchange(id, age)));
      assert.equal(await governed.count(), 5);
      assert.equal(await governed.applyRetention(), 2);
      assert.equal(await governed.count(), 3);
      assert.equal(await governed.applyRetention(), 0, 'nothing more is old');
      // Writes after a rewrite still land in the store.
      await governed.writeBatch([exchange('after', 0), exchange('late-old', 45)]);
      assert.equal(await governed.applyRetention(), 1);
      assert.equal(await governed.count(), 4);
      if (kind === 'duckdb') {
        const rows = await (
          sink as ExchangeSink & {
            query(sql: string): Promise<Record<string, unknown>[]>;
          }
        ).query('SELECT id FROM exchanges ORDER BY ts');
        assert.deepEqual(
          rows.map((row) => row.id),
          ['edge-29.99', 'new-1', 'new-0', 'after'],
        );
      }
      await governed.close();
      if (kind === 'jsonl') {
        const ids = (await readFile(join(directory, 'store.jsonl'), 'utf8'))
          .split('\n')
          .filter(Boolean)
          .map((line) => (JSON.parse(line) as Exchange).id);
        assert.deepEqual(ids, ['edge-29.99', 'new-1', 'new-0', 'after']);
      }
    });
  });
}

test('without retention_days nothing is deleted', async () => {
  const sink = createMemoryExchangeSink();
  const governed = governExchangeSink(sink, {}, { now: () => NOW });
  await governed.writeBatch([exchange('old', 400)]);
  assert.equal(await governed.applyRetention(), 0);
  assert.equal(sink.exchanges.length, 1);
});

test('bodies are governed on the way in: sampled out, the text never reaches the store', async () => {
  const sink = createMemoryExchangeSink();
  const governed = governExchangeSink(sink, {
    bodies: { sample_rate: 0, sample_by: 'exchange', redact: [], redact_patterns: [] },
  });
  await governed.writeBatch([exchange('x', 0)]);
  assert.ok(!JSON.stringify(sink.exchanges).includes('question x'));
  assert.equal(sink.exchanges[0]?.id, 'x');
});

test('governed sink: takes serialised rows only without a bodies policy (which rewrites records)', async () => {
  const rows: string[] = [];
  const inner: ExchangeSink = {
    ...createMemoryExchangeSink(),
    async writeSerialised(batch) {
      rows.push(...batch.map((row) => row.id));
    },
  };
  const retentionOnly = governExchangeSink(inner, {}, { now: () => NOW });
  await retentionOnly.writeSerialised?.([serialiseForStore(exchange('ex_a', 1))]);
  assert.deepEqual(rows, ['ex_a']);
  const withBodies = governExchangeSink(
    inner,
    { bodies: { sample_rate: 0, sample_by: 'exchange', redact: [], redact_patterns: [] } },
    { now: () => NOW },
  );
  assert.equal(withBodies.writeSerialised, undefined);
  await withBodies.close();
  await retentionOnly.close();
});
