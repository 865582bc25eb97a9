import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Exchange } from '../../log/exchange.js';
import { readExchanges } from '../../log/index.js';
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

// issue 16, item 7: one client's lone surrogate must not break every query over the store, and
// the export recipe in docs/gateway.md must give back a log `analyze` reads.
test('DuckDB sink: a lone surrogate is stored as U+FFFD; the documented export reads back', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'distillguard-duckdb-export-'));
  const path = join(directory, 'gateway.duckdb');
  const exported = join(directory, 'x.jsonl');
  try {
    const sink = await createDuckDbExchangeSink({ path });
    const poisoned = exchange(1);
    poisoned.request = { messages: [{ role: 'user', content: 'say "hi", a\ud800b, tab\there' }] };
    const written = [exchange(0), poisoned, exchange(2)];
    await sink.writeBatch(written);
    const ids = await sink.query(
      "SELECT json_extract_string(record, '$.id') AS id FROM exchanges ORDER BY id",
    );
    assert.deepEqual(
      ids.map((row) => row.id),
      ['ex_0', 'ex_1', 'ex_2'],
    );
    // The recipe, as docs/gateway.md gives it.
    await sink.query(
      `COPY (SELECT record FROM exchanges ORDER BY ts, id) TO '${exported}' (FORMAT csv, HEADER false, QUOTE '', ESCAPE '')`,
    );
    await sink.close();
    const rejected: unknown[] = [];
    const read: Exchange[] = [];
    for await (const each of readExchanges([exported], { onReject: (r) => rejected.push(r) }))
      read.push(each);
    assert.deepEqual(rejected, []);
    poisoned.request = { messages: [{ role: 'user', content: 'say "hi", a\ufffdb, tab\there' }] };
    assert.deepEqual(read, written);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
