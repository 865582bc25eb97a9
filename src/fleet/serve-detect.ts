import { loadIpAsnTable } from '../detect/index.js';
import type { Logger } from '../shared/telemetry/index.js';
import { createFileCheckpointStore } from './checkpoint-store.js';
import { connectNats } from './connect-nats.js';
import { type DetectServiceStats, openDetectService } from './detect-service.js';
import { openJetStreamExchangeBus } from './jetstream-exchange-bus.js';
import { openKvDecisionBoard } from './kv-decision-board.js';

export interface ServeDetectOptions {
  /** NATS servers, e.g. `127.0.0.1:4222`. */
  nats: string;
  stream?: string;
  subject?: string;
  bucket?: string;
  /** The checkpoint file. */
  checkpoint: string;
  reorderWindowMs?: number;
  checkpointEveryMs?: number;
  /** IP→ASN table file (as `analyze --ip-asn`). */
  ipAsn?: string;
  /** The key campaign indicators are hashed with: the gateways' `fleet.indicator_key_env` value. */
  indicatorKey?: string;
  /** Stop once the stream's records at start are applied (a recorded stream, a catch-up). */
  once?: boolean;
  /** Aborted on SIGTERM/SIGINT by the caller: a checkpoint is written before returning. */
  signal: AbortSignal;
  onStats?: (stats: DetectServiceStats) => void;
  /** Structured logs: start, decisions, checkpoints, progress each minute, stop. */
  logger?: Logger;
}

/**
 * `distillguard detect` end to end: connects to NATS, opens the exchange stream, the decision
 * bucket and the checkpoint file, and runs the service until `signal` aborts (or, with `once`,
 * until the stream is read), then checkpoints.
 */
export async function serveDetect(options: ServeDetectOptions): Promise<DetectServiceStats> {
  const connection = await connectNats({ servers: options.nats, name: 'distillguard-detect' });
  try {
    const stream = options.stream ?? 'DISTILLGUARD_EXCHANGES';
    const bus = await openJetStreamExchangeBus({
      connection,
      stream,
      ...(options.subject === undefined ? {} : { subject: options.subject }),
    });
    const board = await openKvDecisionBoard({
      connection,
      ...(options.bucket === undefined ? {} : { bucket: options.bucket }),
    });
    const service = await openDetectService({
      bus,
      stream,
      board,
      checkpoints: createFileCheckpointStore(options.checkpoint),
      ...(options.indicatorKey === undefined ? {} : { indicatorKey: options.indicatorKey }),
      ...(options.ipAsn === undefined
        ? {}
        : { detector: { ipAsn: await loadIpAsnTable(options.ipAsn) } }),
      ...(options.reorderWindowMs === undefined
        ? {}
        : { reorderWindowMs: options.reorderWindowMs }),
      ...(options.checkpointEveryMs === undefined
        ? {}
        : { checkpointEveryMs: options.checkpointEveryMs }),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    const { logger } = options;
    logger?.info(
      { event: 'started', stream, nats: options.nats, ...service.stats() },
      'detect started',
    );
    let ticks = 0;
    const report = setInterval(() => {
      const stats = service.stats();
      options.onStats?.(stats);
      ticks += 1;
      if (ticks % 60 === 0) logger?.info({ event: 'progress', ...stats }, 'detect progress');
    }, 1_000);
    try {
      if (options.once) await service.runUntil((await bus.info()).lastSequence);
      else await service.run(options.signal);
    } finally {
      clearInterval(report);
      await service.stop({ checkpoint: true });
    }
    logger?.info({ event: 'stopped', ...service.stats() }, 'detect stopped');
    return service.stats();
  } finally {
    await connection.close();
  }
}
