import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Exchange } from '../../log/exchange.js';
import { createDuckDbExchangeSink } from './duckdb-exchange-sink.js';

const exchange = (index: number): Exchange => ({
  id: `ex_${index}`,
  ts: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
  account_id: `acct_${index % 3}`,
  ip: '203.0.113.7',
  endpoint: 'chat.completions',
  model: 'm',
  request: { messages: [{ role: 'user', content: `question ${index}` }] },
  status: index % 5 === 0 ? 429 : 200,
  latency_ms: index / 10,
});

test('DuckDB sink: batches written from its thread survive a reopen, record by record', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'distillguard-duckdb-sink-'));
  const path = join(directory, 'gateway.duckdb');
  try {
    const sink = await createDuckDbExchangeSink({ path });
    // 150 rows cross several posted slices (64 a slice); a second batch appends.
    await sink.writeBatch(Array.from({ length: 150 }, (_, index) => exchange(index)));
    await sink.writeBatch([exchange(150)]);
    assert.equal(await sink.count(), 151);
    await sink.close();

    const reopened = await createDuckDbExchangeSink({ path });
    const rows = await reopened.query(
      "SELECT id, status, latency_ms, record FROM exchanges WHERE id IN ('ex_0', 'ex_77') ORDER BY id",
    );
    assert.deepEqual(
      rows.map((row) => [row.id, row.status, row.latency_ms]),
      [
        ['ex_0', 429, 0],
        ['ex_77', 200, 7.7],
      ],
    );
    assert.deepEqual(JSON.parse(String(rows[1]?.record)), exchange(77));
    assert.equal(await reopened.count(), 151);
    await reopened.close();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

test('DuckDB sink: a bad query rejects with the store named, and the sink keeps working', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'distillguard-duckdb-sink-'));
  const path = join(directory, 'gateway.duckdb');
  try {
    const sink = await createDuckDbExchangeSink({ path });
    await assert.rejects(
      sink.query('SELECT nope FROM exchanges'),
      /DuckDB store .*gateway\.duckdb/,
    );
    await sink.writeBatch([exchange(1)]);
    assert.equal(await sink.count(), 1);
    await sink.close();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

test('DuckDB sink: an unopenable path fails at creation', async () => {
  await assert.rejects(
    createDuckDbExchangeSink({ path: join(tmpdir(), 'no-such-dir-distillguard', 'x', 'g.duckdb') }),
    /DuckDB store/,
  );
});
