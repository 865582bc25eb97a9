import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { type Exchange, readExchanges } from '../../log/index.js';
import { parseGatewayConfig } from '../gateway-config.js';
import { startGatewayServer } from '../node/start-gateway-server.js';
import { createBatchingRecorder, type ExchangeSink } from './exchange-recorder.js';

const env = {
  DISTILLGUARD_SECRET: 'secret-for-the-poison-test-0123456789',
  DISTILLGUARD_ADMIN_TOKEN: 'admin-token-poison-0123456789abcdef',
};

/** The probe of issue 16: 12 KB of JSON nested ~6,000 deep overflows `JSON.stringify`. */
const DEEP_BODY = `{"model":"m","messages":${'['.repeat(6_000)}${']'.repeat(6_000)}}`;

const post = (url: string, body: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

for (const kind of ['duckdb', 'jsonl'] as const) {
  test(`${kind} store: a body nested 6,000 deep then 25 normal requests → 26 records`, async () => {
    const directory = await mkdtemp(join(tmpdir(), `dg-poison-${kind}-`));
    const path = join(directory, kind === 'duckdb' ? 'gateway.duckdb' : 'exchanges.jsonl');
    try {
      const server = await startGatewayServer(
        parseGatewayConfig({
          listen: { host: '127.0.0.1', port: 0 },
          observability: { logs: { level: 'silent' } },
          store: { kind, path },
          control_plane: { kind: 'memory' },
          engine: 'none',
        }),
        { env, warn: () => {} },
      );
      // The deep body is valid JSON (JSON.parse is iterative); without a key it is a 401.
      assert.equal((await post(server.url, DEEP_BODY)).status, 401);
      for (let index = 0; index < 25; index += 1)
        assert.equal(
          (await post(server.url, JSON.stringify({ model: 'm', messages: [] }))).status,
          401,
        );
      await server.gateway.recorder.flush();
      const health = server.gateway.recorder.health();
      assert.equal(health.pending, 0);
      assert.equal(health.ok, true);
      await server.close();
      let records: Exchange[] = [];
      if (kind === 'jsonl') {
        for await (const record of readExchanges([path])) records.push(record);
      } else {
        const instance = await DuckDBInstance.create(path);
        const connection = await instance.connect();
        const reader = await connection.runAndReadAll('SELECT record FROM exchanges');
        records = reader.getRowObjects().map((row) => JSON.parse(String(row.record)) as Exchange);
        connection.closeSync();
        instance.closeSync();
      }
      assert.equal(records.length, 26);
      const truncated = records.filter((record) => record.truncated);
      assert.equal(truncated.length, 1);
      assert.equal(truncated[0]?.truncated?.reason, 'unserialisable');
      assert.deepEqual(truncated[0]?.request, { model: 'm' });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
}

const record = (index: number): Exchange => ({
  id: `ex_${index}`,
  ts: '2026-01-01T00:00:00.000Z',
  account_id: 'acct',
  ip: '203.0.113.1',
  endpoint: 'chat.completions',
  model: 'm',
  request: { messages: [{ role: 'user', content: `q${index}` }] },
  status: 200,
});

test('recorder: a record the store refuses alone is quarantined, its batch still goes in', async () => {
  const written: Exchange[] = [];
  const sink: ExchangeSink = {
    version: 1,
    async writeBatch(batch) {
      if (batch.some((each) => each.id === 'ex_3' && !each.truncated)) throw new Error('bad row');
      written.push(...batch);
    },
    count: async () => written.length,
    async close() {},
  };
  const recorder = createBatchingRecorder({ sink, onError: () => {} });
  for (let index = 0; index < 10; index += 1) recorder.record(record(index));
  await recorder.flush();
  assert.equal(written.length, 10);
  assert.equal(written.find((each) => each.id === 'ex_3')?.truncated?.reason, 'sink_rejected');
  assert.deepEqual(recorder.health(), {
    ok: true,
    pending: 0,
    pendingBytes: 0,
    written: 10,
    failed: 1,
    dropped: 0,
    quarantined: 1,
    lastError: null,
  });
});

test('recorder: a store that is down keeps the queue in order, bounded, and retries with backoff', async () => {
  let down = true;
  const written: Exchange[] = [];
  const sink: ExchangeSink = {
    version: 1,
    async writeBatch(batch) {
      if (down) throw new Error('disk full');
      written.push(...batch);
    },
    count: async () => written.length,
    async close() {},
  };
  const recorder = createBatchingRecorder({
    sink,
    maxPendingRecords: 5,
    flushIntervalMs: 1,
    maxRetryDelayMs: 20,
    onError: () => {},
  });
  for (let index = 0; index < 7; index += 1) recorder.record(record(index), 100);
  await recorder.flush();
  const failing = recorder.health();
  assert.equal(failing.ok, false);
  assert.match(failing.lastError ?? '', /disk full/);
  assert.equal(failing.pending, 5);
  assert.equal(failing.pendingBytes, 500);
  assert.equal(failing.dropped, 2);
  down = false;
  // No new record and no flush: the backoff timer alone writes the queue once the store is back.
  for (let waited = 0; written.length < 5 && waited < 2_000; waited += 10)
    await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(
    written.map((each) => each.id),
    ['ex_0', 'ex_1', 'ex_2', 'ex_3', 'ex_4'],
  );
  assert.equal(recorder.health().ok, true);
});
