// The fleet's costs on one recorded log, measured in the same run: `analyze` on the file (read,
// parse, engine, outputs) and the engine alone on parsed exchanges, against the detect service
// reading the same records from NATS JetStream (decode + reorder window + engine + decisions to
// KV), interleaved; plus the gateway side: CPU per record through the exchange publisher.
// `BENCH_LOG=<exchanges.jsonl.gz>` picks the log (default: the quickstart simulation at
// BENCH_SCALE, 0.5); `NATS_URL` the server (default 127.0.0.1:4222). Decision latency and the
// gateway's CPU with publishing on vs off: `decision-latency.ts` beside this file.

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { analyze } from '../../src/analyze/index.js';
import { createDetector } from '../../src/detect/index.js';
import {
  connectNats,
  createExchangePublisher,
  createFileCheckpointStore,
  createMemoryCheckpointStore,
  openDetectService,
  openJetStreamExchangeBus,
  openKvDecisionBoard,
} from '../../src/fleet/index.js';
import { createJsonLinesWriter, type Exchange, readExchanges } from '../../src/log/index.js';
import { createSimulation, loadScenario } from '../../src/simulate/index.js';
import { median, report } from '../shared/measure.js';

const servers = process.env.NATS_URL ?? '127.0.0.1:4222';
const exchanges: Exchange[] = [];
const source = process.env.BENCH_LOG;
if (source) {
  for await (const exchange of readExchanges([source])) exchanges.push(exchange);
} else {
  const scale = Number(process.env.BENCH_SCALE ?? 0.5);
  const simulation = createSimulation(await loadScenario('quickstart'), { seed: 1, scale });
  for (let event = simulation.next(); event; event = simulation.next())
    if (event.type === 'exchange') exchanges.push(event.exchange);
}
const count = exchanges.length;
const directory = await mkdtemp(join(tmpdir(), 'distillguard-bench-fleet-'));
let logPath = source ?? join(directory, 'exchanges.jsonl.gz');
if (!source) {
  const writer = await createJsonLinesWriter(logPath);
  for (const exchange of exchanges) await writer.write(exchange);
  await writer.close();
}
logPath = logPath as string;
const cpuSeconds = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

const connection = await connectNats({ servers, name: 'bench-fleet' });
const stream = `DG_BENCH_${process.pid}`;
const subject = `distillguard.bench.${process.pid}`;
const bucket = `dg-bench-${process.pid}`;
const bus = await openJetStreamExchangeBus({ connection, stream, subject, storage: 'memory' });
const board = await openKvDecisionBoard({ connection, bucket, storage: 'memory' });
try {
  // Gateway side: every record through the publisher (batching, acks, dedup ids).
  const publisher = createExchangePublisher({ bus, maxBatch: 256 });
  const publishStarted = performance.now();
  const publishCpu = process.cpuUsage();
  for (let index = 0; index < count; index += 1) {
    publisher.record(exchanges[index] as Exchange);
    if (index % 4096 === 4095) await publisher.flush();
  }
  await publisher.close();
  const publishSeconds = (performance.now() - publishStarted) / 1000;
  const publishCpuSeconds = cpuSeconds(publishCpu);
  const last = (await bus.info()).lastSequence;

  const inProcess = () => {
    const detector = createDetector();
    for (const exchange of exchanges) detector.observe(exchange);
    return detector.verdicts().length;
  };
  let round = 0;
  const service = async () => {
    round += 1;
    const detect = await openDetectService({
      bus,
      stream,
      board,
      checkpoints: createMemoryCheckpointStore(),
      consumer: `bench-${round}`,
    });
    await detect.runUntil(last);
    if (detect.stats().sequence !== last) throw new Error('the service stopped before the end');
    detect.drain();
    const verdicts = detect.verdicts().length;
    await detect.stop({ checkpoint: false });
    return verdicts;
  };
  const batch = () => analyze({ inputs: [logPath], out: join(directory, 'out') });
  const timings = { analyze: [] as number[], engine: [] as number[], service: [] as number[] };
  const cpu = { analyze: [] as number[], engine: [] as number[], service: [] as number[] };
  for (let run = 0; run < 2; run += 1) {
    for (const [name, task] of [
      ['analyze', batch],
      ['engine', inProcess],
      ['service', service],
    ] as const) {
      const started = performance.now();
      const startCpu = process.cpuUsage();
      await task();
      timings[name].push((performance.now() - started) / 1000);
      cpu[name].push(cpuSeconds(startCpu));
    }
  }
  const analyzeSeconds = median(timings.analyze);
  const engineSeconds = median(timings.engine);
  const serviceSeconds = median(timings.service);
  report('records in the log', count, 'exchanges', source ?? 'quickstart simulation');
  report('gateway publisher throughput', count / publishSeconds, 'records/s', 'one connection');
  report('gateway publisher CPU', (publishCpuSeconds * 1e6) / count, 'µs/record');
  report('analyze on the file', count / analyzeSeconds, 'exchanges/s', 'wall, one thread');
  report('analyze CPU', (median(cpu.analyze) * 1e6) / count, 'µs/exchange');
  report('engine in-process', count / engineSeconds, 'exchanges/s', 'wall, one thread');
  report('engine in-process CPU', (median(cpu.engine) * 1e6) / count, 'µs/exchange');
  report('detect service from JetStream', count / serviceSeconds, 'exchanges/s', 'wall');
  report('detect service CPU', (median(cpu.service) * 1e6) / count, 'µs/exchange');
  report('service / analyze throughput', analyzeSeconds / serviceSeconds, 'x', 'target ≥ 0.8');
  report('service / engine-alone throughput', engineSeconds / serviceSeconds, 'x');

  // Campaign publication: a check after every read (1,024 records), publish-on-change vs what
  // republishing every campaign at every check (the first version, every 5 s) would write.
  const checks = await openDetectService({
    bus,
    stream,
    board,
    checkpoints: createMemoryCheckpointStore(),
    consumer: 'bench-campaigns',
    campaignsEveryMs: 0,
  });
  const checkStarted = performance.now();
  await checks.runUntil(last);
  if (checks.stats().sequence !== last) throw new Error('the service stopped before the end');
  await checks.finish();
  const checkSeconds = (performance.now() - checkStarted) / 1000;
  const { campaignsPublished, campaignsChecked } = checks.stats();
  await checks.stop({ checkpoint: false });
  report('campaign entries compared at checks', campaignsChecked, 'entries', 'a check per read');
  report('campaign entries written (on change)', campaignsPublished, 'entries');
  report('written / compared', campaignsPublished / Math.max(1, campaignsChecked), 'x');
  report('service with a check per read', count / checkSeconds, 'exchanges/s', 'wall');

  // Checkpoints: the engine's state at the stream's end, and a restart from it vs a replay.
  for (const snapshots of ['state', 'replay'] as const) {
    const path = join(directory, `${snapshots}.checkpoint.json`);
    const options = {
      bus,
      stream,
      board,
      checkpoints: createFileCheckpointStore(path),
      consumer: `bench-${snapshots}`,
      snapshots,
    };
    const writer = await openDetectService(options);
    await writer.runUntil(last);
    if (writer.stats().sequence !== last) throw new Error('the service stopped before the end');
    const checkpointStarted = performance.now();
    await writer.checkpoint();
    const checkpointMs = performance.now() - checkpointStarted;
    await writer.stop({ checkpoint: false });
    const restartStarted = performance.now();
    const restarted = await openDetectService(options);
    await restarted.runUntil(last);
    if (restarted.stats().sequence !== last) throw new Error('the restart stopped before the end');
    const restartMs = performance.now() - restartStarted;
    const replayed = restarted.stats().replayed;
    await restarted.stop({ checkpoint: false });
    report(
      `${snapshots} checkpoint size`,
      (await stat(path)).size / 2 ** 20,
      'MiB',
      `${count} exchanges`,
    );
    report(`${snapshots} checkpoint write`, checkpointMs, 'ms');
    report(
      `restart from the ${snapshots} checkpoint`,
      restartMs,
      'ms',
      `${replayed} records replayed`,
    );
  }
} finally {
  // Retried: a loaded server can time out one request; the stream is large.
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      await (await jetstreamManager(connection)).streams.delete(stream).catch(() => false);
      await (await new Kvm(connection).open(bucket)).destroy().catch(() => false);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
  await connection.close();
  await rm(directory, { recursive: true, force: true });
}
