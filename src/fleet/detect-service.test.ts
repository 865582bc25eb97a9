import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { createDetector, type Verdict } from '../detect/index.js';
import { buildTraffic } from '../detect/testing/build-traffic.js';
import type { Exchange } from '../log/exchange.js';
import { DistillguardError } from '../shared/distillguard-error.js';
import { createLogger } from '../shared/telemetry/index.js';
import { createFileCheckpointStore, createMemoryCheckpointStore } from './checkpoint-store.js';
import { connectNats } from './connect-nats.js';
import { createInProcessDecisionBoard, type DecisionBoard } from './decision-board.js';
import { openDetectService } from './detect-service.js';
import type { ExchangeBus } from './exchange-bus.js';
import { createExchangePublisher, type ExchangePublisher } from './exchange-publisher.js';
import { createInProcessExchangeBus } from './in-process-exchange-bus.js';
import { openJetStreamExchangeBus } from './jetstream-exchange-bus.js';
import { openKvDecisionBoard } from './kv-decision-board.js';

// The machine's NATS JetStream (`.ci/run` starts one): a missing server fails these tests.
const servers = process.env.NATS_URL ?? '127.0.0.1:4222';
const stream = `DG_TEST_DETECT_${process.pid}`;
const bucket = `dg-test-decisions-${process.pid}`;
// Three gateways' batches interleave in the stream: records reach it up to a few batches out of
// event-time order, well inside this window.
const reorderWindowMs = 30 * 60_000;

const byTimeThenId = (a: Exchange, b: Exchange) =>
  a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

describe('distillguard detect over NATS JetStream', () => {
  const traffic = buildTraffic();
  const connections: NatsConnection[] = [];
  let bus: ExchangeBus;
  let board: DecisionBoard;
  let lastSequence = 0;
  const reference = createDetector();
  for (const exchange of [...traffic.exchanges].sort(byTimeThenId)) reference.observe(exchange);
  const referenceVerdicts = reference.verdicts();

  before(async () => {
    const open = async (name: string) => {
      const connection = await connectNats({ servers, name });
      connections.push(connection);
      return connection;
    };
    const detectorConnection = await open('detector');
    bus = await openJetStreamExchangeBus({
      connection: detectorConnection,
      stream,
      subject: `distillguard.test.detect.${process.pid}`,
      storage: 'memory',
    });
    board = await openKvDecisionBoard({
      connection: detectorConnection,
      bucket,
      storage: 'memory',
    });
    // Three gateways, each with its own connection and publisher; requests round-robin.
    const publishers: ExchangePublisher[] = [];
    for (let gateway = 0; gateway < 3; gateway += 1) {
      const gatewayBus = await openJetStreamExchangeBus({
        connection: await open(`gateway-${gateway}`),
        stream,
        subject: `distillguard.test.detect.${process.pid}`,
        storage: 'memory',
      });
      publishers.push(
        createExchangePublisher({ bus: gatewayBus, maxBatch: 40, flushIntervalMs: 2 }),
      );
    }
    // Gateways publish as traffic comes: a flush every 90 requests, so each gateway's batch of
    // 30 lands in the stream beside the others' in whatever order the acks come back.
    for (let index = 0; index < traffic.exchanges.length; index += 1) {
      publishers[index % 3]?.record(traffic.exchanges[index] as Exchange);
      if (index % 90 === 89) await Promise.all(publishers.map((publisher) => publisher.flush()));
    }
    await Promise.all(publishers.map((publisher) => publisher.close()));
    const published = publishers.reduce(
      (sum, publisher) => sum + publisher.counters().published,
      0,
    );
    assert.equal(published, traffic.exchanges.length);
    lastSequence = (await bus.info()).lastSequence;
  });

  test("the three gateways' records reach the stream out of event-time order", async () => {
    const reader = await bus.consumer('order-check', 1);
    let previous = '';
    let inversions = 0;
    for (let read = 0; read < lastSequence; ) {
      const batch = await reader.next(1_000, 2_000);
      assert.ok(batch.length > 0);
      for (const exchange of batch.flatMap((message) => message.exchanges)) {
        if (exchange.ts < previous) inversions += 1;
        previous = exchange.ts;
      }
      read += batch.length;
    }
    await reader.close();
    assert.ok(inversions > 0, 'the reorder window has work to do');
  });

  after(async () => {
    const first = connections[0];
    if (first) {
      await (await jetstreamManager(first)).streams.delete(stream).catch(() => false);
      await (await new Kvm(first).open(bucket)).destroy().catch(() => false);
    }
    for (const connection of connections) await connection.close();
  });

  test('a campaign spread over three gateways gets the verdicts of the engine on the merged, time-sorted log', async () => {
    const service = await openDetectService({
      bus,
      stream,
      board,
      checkpoints: createMemoryCheckpointStore(),
      consumer: 'detect-merged',
      reorderWindowMs,
    });
    await service.runUntil(lastSequence);
    service.drain();
    const stats = service.stats();
    assert.equal(stats.applied, traffic.exchanges.length);
    assert.equal(stats.late, 0);
    const verdicts = service.verdicts();
    assert.ok(referenceVerdicts.filter((verdict) => verdict.verdict === 'attack').length >= 8);
    assert.deepEqual(verdicts, referenceVerdicts);
    assert.deepEqual(service.campaigns(), reference.campaigns());
    await service.stop();

    // What the gateways read: the campaign and each flagged account's first flag.
    for (const campaign of reference.campaigns()) {
      const published = await board.getCampaign(campaign.campaign_id);
      assert.deepEqual(published?.accounts, campaign.accounts);
    }
    for (const verdict of referenceVerdicts.filter((line) => line.first_flagged_at !== null)) {
      const decision = await board.getAccount(verdict.account_id);
      assert.equal(decision?.first_flagged_at, verdict.first_flagged_at, verdict.account_id);
      assert.notEqual(decision?.verdict, 'clean');
    }
  });

  for (const snapshots of ['state', 'replay'] as const) {
    test(`killed mid-stream and restarted from its ${snapshots} checkpoint: nothing lost, nothing counted twice`, async () => {
      const directory = await mkdtemp(join(tmpdir(), 'distillguard-detect-'));
      try {
        const options = {
          bus,
          stream,
          board: createInProcessDecisionBoard(),
          checkpoints: createFileCheckpointStore(join(directory, 'detect.checkpoint.json')),
          consumer: `detect-crash-${snapshots}`,
          reorderWindowMs,
          snapshots,
        };
        const first = await openDetectService(options);
        const checkpointAt = Math.floor(lastSequence / 3);
        await first.runUntil(checkpointAt);
        await first.checkpoint();
        const beforeCheckpoint = first.stats().applied;
        // The window holds records at the checkpoint: they must survive it.
        assert.ok(first.stats().held > 0, 'records held in the reorder window at the checkpoint');
        await first.runUntil(Math.floor((2 * lastSequence) / 3));
        assert.equal(first.stats().sequence, Math.floor((2 * lastSequence) / 3));
        await first.stop({ checkpoint: false }); // a crash: the work after the checkpoint is lost

        const second = await openDetectService(options);
        await second.runUntil(lastSequence);
        second.drain();
        const stats = second.stats();
        assert.equal(stats.restoredFrom, checkpointAt);
        if (snapshots === 'state') {
          // Resumed from the engine's state: the stream is read from the checkpoint on, no replay.
          assert.equal(stats.replayed, 0);
          assert.equal(stats.applied, traffic.exchanges.length - beforeCheckpoint);
        } else
          assert.equal(
            stats.applied,
            traffic.exchanges.length,
            'each record applied once in the rebuilt state',
          );
        const verdicts: Verdict[] = second.verdicts();
        assert.deepEqual(verdicts, referenceVerdicts);
        assert.deepEqual(second.campaigns(), reference.campaigns());
        await second.stop();
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    });
  }
});

test('detect: a checkpoint of another version or other settings is refused whole, with its code', async () => {
  const bus = createInProcessExchangeBus();
  const board = createInProcessDecisionBoard();
  const checkpoints = createMemoryCheckpointStore();
  const service = await openDetectService({ bus, stream: 'S', board, checkpoints });
  await service.stop();
  const saved = (await checkpoints.load()) as Record<string, unknown>;
  const refusal = async (
    stored: unknown,
    options: { stream?: string; reorderWindowMs?: number },
  ) => {
    const store = createMemoryCheckpointStore();
    await store.save(stored);
    const error = await openDetectService({
      bus,
      stream: options.stream ?? 'S',
      board,
      checkpoints: store,
      ...(options.reorderWindowMs === undefined
        ? {}
        : { reorderWindowMs: options.reorderWindowMs }),
    }).then(
      () => null,
      (caught: unknown) => caught,
    );
    assert.ok(DistillguardError.is(error));
    return error.code;
  };
  assert.equal(saved.kind, 'state');
  assert.equal(await refusal({ ...saved, version: 2 }, {}), 'snapshot_version');
  const engine = saved.engine as Record<string, unknown>;
  assert.equal(
    await refusal({ ...saved, engine: { ...engine, detector_version: 99 } }, {}),
    'snapshot_version',
  );
  assert.equal(await refusal({ ...saved, engine: null }, {}), 'snapshot_malformed');
  assert.equal(
    await refusal({ ...saved, engine: { ...engine, data: 'bm90IHY4' } }, {}),
    'snapshot_malformed',
  );
  assert.equal(await refusal({ ...saved, kind: 'other' }, {}), 'snapshot_malformed');
  assert.equal(await refusal(saved, { stream: 'T' }), 'snapshot_other_stream');
  assert.equal(await refusal(saved, { reorderWindowMs: 1 }), 'snapshot_settings');
  assert.equal(
    await refusal({ ...saved, kind: 'replay', engine: null, sequence: 5 }, {}),
    'replay_impossible',
  );
});

test('detect: each published decision and each checkpoint is a JSON log line, with no prompt text', async () => {
  const traffic = buildTraffic({ hours: 2 });
  const bus = createInProcessExchangeBus();
  const sorted = [...traffic.exchanges].sort(byTimeThenId);
  for (let start = 0; start < sorted.length; start += 200)
    await bus.publish(sorted.slice(start, start + 200));
  const raw: string[] = [];
  const service = await openDetectService({
    bus,
    stream: 'S',
    board: createInProcessDecisionBoard(),
    checkpoints: createMemoryCheckpointStore(),
    reorderWindowMs: 0,
    logger: createLogger({
      name: 'distillguard-detect',
      destination: { write: (line: string) => raw.push(line) },
    }),
  });
  await service.runUntil((await bus.info()).lastSequence);
  await service.stop();
  const lines = raw.map((line) => JSON.parse(line) as Record<string, unknown>);
  const decisions = lines.filter((line) => line.event === 'decision');
  assert.equal(decisions.length, service.stats().decisionsPublished);
  assert.ok(decisions.some((line) => line.verdict === 'attack'));
  assert.ok(lines.some((line) => line.event === 'checkpoint'));
  const text = raw.join('');
  for (const exchange of sorted.slice(0, 50)) {
    const content = JSON.stringify(exchange.request.messages ?? '').slice(2, 40);
    if (content.length > 20) assert.ok(!text.includes(content), content);
  }
});
