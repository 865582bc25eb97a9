import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { connectNats } from './connect-nats.js';
import { sampleExchange } from './exchange-bus.case.js';
import type { ExchangeBus } from './exchange-bus.js';
import { createExchangePublisher } from './exchange-publisher.js';
import { createInProcessExchangeBus } from './in-process-exchange-bus.js';
import { openJetStreamExchangeBus } from './jetstream-exchange-bus.js';
import { startNatsServer } from './testing/nats-server-process.js';

const exchanges = (count: number, prefix = 'x') =>
  Array.from({ length: count }, (_, index) => sampleExchange(`${prefix}${index}`));

/** The real in-process bus behind a switch that makes `publish` fail (NATS away). */
function switchableBus(bus: ExchangeBus) {
  let failing = false;
  let landBeforeFailing = false;
  const wrapped: ExchangeBus = {
    ...bus,
    async publish(batch) {
      if (!failing) return bus.publish(batch);
      // The worst case: the batch landed, the answer was lost.
      if (landBeforeFailing) await bus.publish(batch);
      throw new Error('bus away');
    },
  };
  return {
    bus: wrapped,
    fail(value: boolean, landed = false) {
      failing = value;
      landBeforeFailing = landed;
    },
  };
}

test('publisher: nothing is published on record(); batches land after flush, once each', async () => {
  const bus = createInProcessExchangeBus();
  const publisher = createExchangePublisher({
    bus,
    maxBatch: 4,
    flushIntervalMs: 10_000,
    heartbeatMs: 0,
  });
  for (const exchange of exchanges(3)) publisher.record(exchange);
  assert.equal((await bus.info()).messages, 0);
  assert.equal(publisher.counters().pending, 3);
  await publisher.flush();
  for (const exchange of exchanges(3)) publisher.record(exchange);
  await publisher.flush();
  assert.deepEqual(publisher.counters(), {
    published: 3,
    duplicates: 3,
    retried: 0,
    dropped: 0,
    pending: 0,
    accounts: 0,
    heartbeats: 0,
  });
  assert.equal((await bus.info()).messages, 1, 'one batch, its copy dropped');
});

test('publisher: a failed batch is retried with doubling backoff; a landed copy is not duplicated', async () => {
  const inner = createInProcessExchangeBus();
  const { bus, fail } = switchableBus(inner);
  const sleeps: number[] = [];
  const publisher = createExchangePublisher({
    heartbeatMs: 0,
    bus,
    maxBatch: 10,
    onError: () => {},
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
      if (sleeps.length === 3) fail(false);
    },
  });
  fail(true, true);
  for (const exchange of exchanges(5)) publisher.record(exchange);
  await publisher.flush();
  assert.deepEqual(sleeps, [100, 200, 400]);
  assert.deepEqual(publisher.counters(), {
    published: 0,
    duplicates: 5,
    retried: 15,
    dropped: 0,
    pending: 0,
    accounts: 0,
    heartbeats: 0,
  });
  assert.equal((await inner.info()).messages, 1, 'the landed batch, once');
});

test('publisher: past maxBuffered the oldest waiting records are dropped and counted', async () => {
  const inner = createInProcessExchangeBus();
  const { bus, fail } = switchableBus(inner);
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const publisher = createExchangePublisher({
    heartbeatMs: 0,
    bus,
    maxBatch: 2,
    maxBuffered: 3,
    onError: () => {},
    sleep: () => released,
  });
  fail(true);
  const records = exchanges(8);
  for (const exchange of records.slice(0, 2)) publisher.record(exchange);
  const flushed = publisher.flush(); // x0, x1 in flight, failing
  await new Promise((resolve) => setImmediate(resolve));
  for (const exchange of records.slice(2)) publisher.record(exchange); // x2..x7 wait: 3 kept
  assert.equal(publisher.counters().dropped, 3);
  fail(false);
  release();
  await flushed;
  await publisher.flush();
  const consumer = await inner.consumer('check', 1);
  const landed = (await consumer.next(100, 10)).flatMap((message) =>
    message.exchanges.map((exchange) => exchange.id),
  );
  assert.deepEqual(landed, ['x0', 'x1', 'x5', 'x6', 'x7']);
  assert.deepEqual(publisher.counters(), {
    published: 5,
    duplicates: 0,
    retried: 2,
    dropped: 3,
    pending: 0,
    accounts: 0,
    heartbeats: 0,
  });
});

test('publisher: close gives up after its timeout and counts what it drops', async () => {
  const { bus, fail } = switchableBus(createInProcessExchangeBus());
  fail(true);
  const publisher = createExchangePublisher({
    heartbeatMs: 0,
    bus,
    closeTimeoutMs: 50,
    onError: () => {},
    backoff: { initialMs: 5, maxMs: 5 },
  });
  for (const exchange of exchanges(4)) publisher.record(exchange);
  await publisher.close();
  publisher.record(sampleExchange('late'));
  assert.equal(publisher.counters().dropped, 5);
  assert.equal(publisher.counters().pending, 0);
});

test('publisher on JetStream: NATS killed and restarted mid-load, every record lands exactly once', async () => {
  const store = await mkdtemp(join(tmpdir(), 'distillguard-nats-'));
  const server = await startNatsServer(store);
  const connection = await connectNats({ servers: server.url, name: 'publisher-test' });
  try {
    const bus = await openJetStreamExchangeBus({ connection, stream: 'RESTART_TEST' });
    const errors: unknown[] = [];
    const publisher = createExchangePublisher({
      heartbeatMs: 0,
      bus,
      maxBatch: 50,
      flushIntervalMs: 5,
      backoff: { initialMs: 50, maxMs: 400 },
      onError: (error) => errors.push(error),
    });
    const total = 3_000;
    const records = exchanges(total, 'load-');
    const pause = () => new Promise((resolve) => setTimeout(resolve, 1));
    for (let index = 0; index < total; index += 1) {
      publisher.record(records[index] as (typeof records)[number]);
      if (index % 100 === 99) await pause();
      if (index === 1_000) await server.stop('SIGKILL');
      if (index === 2_000) await server.restart();
    }
    await publisher.flush();
    const counters = publisher.counters();
    assert.ok(errors.length > 0, 'the outage was seen');
    assert.ok(counters.retried > 0);
    assert.equal(counters.dropped, 0);
    assert.equal(counters.published + counters.duplicates, total);
    const { lastSequence } = await bus.info();
    const consumer = await bus.consumer('check', 1);
    const seen = new Set<string>();
    let read = 0;
    let delivered = 0;
    while (read < lastSequence) {
      const batch = await consumer.next(1_000, 2_000);
      assert.ok(batch.length > 0);
      read += batch.length;
      for (const message of batch)
        for (const exchange of message.exchanges) {
          seen.add(exchange.id);
          delivered += 1;
        }
    }
    assert.equal(seen.size, total, 'none lost');
    assert.equal(delivered, total, 'none duplicated');
    await consumer.close();
  } finally {
    await connection.close();
    await server.stop('SIGTERM');
    await rm(store, { recursive: true, force: true });
  }
});

test('publisher: batches and quiet-time heartbeats carry its id and a watermark held at the oldest open request', async () => {
  const bus = createInProcessExchangeBus();
  let clock = Date.UTC(2026, 1, 2);
  const publisher = createExchangePublisher({
    bus,
    publisherId: 'gw-1',
    heartbeatMs: 20,
    flushIntervalMs: 1,
    now: () => clock,
  });
  const startedOld = clock;
  publisher.begin(startedOld);
  clock += 500;
  publisher.begin(clock);
  publisher.record(sampleExchange('fast', new Date(clock).toISOString()));
  await publisher.flush();
  clock += 500;
  await new Promise((resolve) => setTimeout(resolve, 120));
  const consumer = await bus.consumer('read', 1);
  const messages = await consumer.next(100, 100);
  const [batch, ...beats] = messages;
  assert.deepEqual(batch?.stamp, { publisher: 'gw-1', watermarkMs: startedOld });
  assert.ok(beats.length >= 1);
  // The long request is still open: the heartbeat may not claim past its start.
  for (const beat of beats)
    assert.deepEqual(beat.stamp, { publisher: 'gw-1', watermarkMs: startedOld });
  publisher.record(sampleExchange('slow', new Date(startedOld).toISOString()));
  await publisher.flush();
  clock += 500;
  await new Promise((resolve) => setTimeout(resolve, 120));
  const after = await consumer.next(100, 100);
  assert.equal(after.at(-1)?.stamp?.watermarkMs, clock);
  assert.ok(publisher.counters().heartbeats >= 2);
  await publisher.close();
});
