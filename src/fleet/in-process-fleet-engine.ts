import type { DetectorOptions } from '../detect/index.js';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import { createMemoryCheckpointStore } from './checkpoint-store.js';
import {
  type AccountDecision,
  type CampaignDecision,
  createInProcessDecisionBoard,
} from './decision-board.js';
import { type DetectService, openDetectService } from './detect-service.js';
import { createInProcessExchangeBus } from './in-process-exchange-bus.js';

export interface InProcessFleetEngineOptions {
  detector?: DetectorOptions;
  /** Event-time reorder window over the processes' records (default 5 s). */
  reorderWindowMs?: number;
  /** Wall time between campaign checks (default 1 s: the decisions stay in this machine). */
  campaignsEveryMs?: number;
  /**
   * Batches the engine may fall behind by before the oldest unread ones are dropped (default
   * 1,024: 64k records from a `--workers` primary, ~130 MB): the engine's memory stays bounded
   * when it cannot keep up, at the cost of evidence (`behind()` after `close()` counts it).
   */
  maxBacklog?: number;
  /** Hears every decision the engine publishes (the primary forwards them to its workers). */
  onDecisions: (
    accounts: readonly AccountDecision[],
    campaigns: readonly CampaignDecision[],
  ) => void;
}

/** One engine for the processes of one machine (`gateway --workers N`). */
export interface InProcessFleetEngine {
  /** Appends one batch of records (one worker's message), in the order they came. */
  publish(exchanges: readonly Exchange[]): void;
  /** Identity evidence from the control plane (accounts file, admin API). */
  observeAccount(account: AccountRecord): void;
  /** Every decision so far: what a worker that starts late is given. */
  current(): { accounts: AccountDecision[]; campaigns: CampaignDecision[] };
  readonly service: DetectService;
  /**
   * Records published but not applied: the engine's lag while running; after `close()`, the
   * records lost because it fell more than `maxBacklog` batches behind.
   */
  behind(): number;
  /** Applies every record published, ends the input as `analyze` does, and stops. */
  close(): Promise<void>;
}

/**
 * The `--workers N` engine: the same detector service a fleet runs over NATS, over an in-process
 * bus and decision board instead. Every worker's records go to this one engine (cross-account
 * linkage sees the whole machine's traffic, not a worker's share) and its decisions go back to
 * every worker's view (`createFleetDecisionView`). Nothing is checkpointed: a restart of the
 * primary starts afresh, as today's in-process engine does (a fleet on NATS keeps its state).
 *
 * @example
 * const engine = await openInProcessFleetEngine({ onDecisions: (a, c) => broadcast(a, c) });
 * engine.publish(records);
 */
export async function openInProcessFleetEngine({
  detector,
  reorderWindowMs,
  campaignsEveryMs = 1_000,
  maxBacklog = 1_024,
  onDecisions,
}: InProcessFleetEngineOptions): Promise<InProcessFleetEngine> {
  const bus = createInProcessExchangeBus({ maxMessages: maxBacklog });
  const board = createInProcessDecisionBoard({ onPut: onDecisions });
  const service = await openDetectService({
    bus,
    stream: 'in-process',
    board,
    checkpoints: createMemoryCheckpointStore(),
    checkpointEveryMs: Number.POSITIVE_INFINITY,
    campaignsEveryMs,
    ...(detector ? { detector } : {}),
    ...(reorderWindowMs === undefined ? {} : { reorderWindowMs }),
  });
  let published = 0;
  let publishing: Promise<unknown> = Promise.resolve();
  const stop = new AbortController();
  const running = service.run(stop.signal);
  let closing: Promise<void> | null = null;
  return {
    publish(exchanges) {
      if (exchanges.length === 0) return;
      published += exchanges.length;
      publishing = bus.publish(exchanges);
    },
    observeAccount: (account) => service.observeAccounts([account]),
    current: () => board.current(),
    service,
    behind: () => Math.max(0, published - service.stats().applied),
    close() {
      closing ??= (async () => {
        await publishing;
        stop.abort();
        await running;
        await service.runUntil((await bus.info()).lastSequence, 0);
        await service.finish();
        await service.stop({ checkpoint: false });
      })();
      return closing;
    },
  };
}
