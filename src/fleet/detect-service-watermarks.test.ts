import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDetector } from '../detect/index.js';
import { buildTraffic } from '../detect/testing/build-traffic.js';
import type { Exchange } from '../log/exchange.js';
import { createMemoryCheckpointStore } from './checkpoint-store.js';
import { createInProcessDecisionBoard } from './decision-board.js';
import { openDetectService } from './detect-service.js';
import { createInProcessExchangeBus } from './in-process-exchange-bus.js';

test('detect over stamped publishers, one lagging: verdicts equal the merged log, none late, a replay decides the same', async () => {
  const traffic = buildTraffic({ hours: 2 });
  // Ten milliseconds apart (the same order): a lagging gateway then stays inside the 5 s cap,
  // so what keeps the order is the watermarks, not the cap.
  const base = Date.UTC(2026, 1, 2);
  const sorted = [...traffic.exchanges]
    .sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.id < b.id ? -1 : 1))
    .map((exchange, index) => ({ ...exchange, ts: new Date(base + index * 10).toISOString() }));
  // Three gateways, round-robin; each publishes its records in order, 16 a batch, stamped with
  // the time of its next record (nothing older will come from it). Gateway 2 lags three batches.
  const own: Exchange[][] = [[], [], []];
  for (const [index, exchange] of sorted.entries()) own[index % 3]?.push(exchange);
  const batches = own.map((records, gateway) => {
    const out: { gateway: number; records: Exchange[]; watermarkMs: number }[] = [];
    for (let start = 0; start < records.length; start += 16) {
      const next = records[start + 16];
      out.push({
        gateway,
        records: records.slice(start, start + 16),
        watermarkMs: next ? Date.parse(next.ts) : Date.parse(sorted.at(-1)?.ts ?? '') + 1,
      });
    }
    return out;
  });
  const bus = createInProcessExchangeBus();
  // Every gateway is known from the start (a heartbeat), as a live fleet's are.
  for (let gateway = 0; gateway < 3; gateway += 1)
    await bus.publishWatermark({ publisher: `gw-${gateway}`, watermarkMs: base }, 0);
  const lag = 3;
  const rounds = Math.max(...batches.map((list) => list.length)) + lag;
  for (let round = 0; round < rounds; round += 1)
    for (const list of batches) {
      const batch = list[list[0]?.gateway === 2 ? round - lag : round];
      if (batch)
        await bus.publish(batch.records, {
          publisher: `gw-${batch.gateway}`,
          watermarkMs: batch.watermarkMs,
        });
    }
  const last = (await bus.info()).lastSequence;

  const runService = async (consumer: string) => {
    const service = await openDetectService({
      bus,
      stream: 'watermarks',
      board: createInProcessDecisionBoard(),
      checkpoints: createMemoryCheckpointStore(),
      consumer,
      reorderWindowMs: 5_000,
    });
    const heldAlong: number[] = [];
    for (let sequence = 1; sequence <= last; sequence += 7) {
      await service.runUntil(Math.min(last, sequence + 6), 1_000);
      heldAlong.push(service.stats().held);
    }
    await service.finish();
    const result = { verdicts: service.verdicts(), late: service.stats().late, heldAlong };
    await service.stop({ checkpoint: false });
    return result;
  };
  const live = await runService('live');
  const engine = createDetector();
  for (const exchange of sorted) engine.observe(exchange);
  engine.flush();
  assert.equal(live.late, 0);
  assert.deepEqual(live.verdicts, engine.verdicts());
  // The watermarks release before the 5 s cap: some step holds records, and at most a lag's worth.
  assert.ok(live.heldAlong.some((held) => held > 0));
  assert.deepEqual(await runService('replay'), live);
});
