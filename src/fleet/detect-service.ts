import {
  type Assessment,
  type Campaign,
  createDetector,
  type DetectorOptions,
  type Verdict,
} from '../detect/index.js';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import { DistillguardError } from '../shared/distillguard-error.js';
import type { Logger } from '../shared/telemetry/index.js';
import type { CheckpointStore } from './checkpoint-store.js';
import type { AccountDecision, CampaignDecision, DecisionBoard } from './decision-board.js';
import {
  ENGINE_SNAPSHOT_FORMAT,
  ENGINE_SNAPSHOT_VERSION,
  type EngineSnapshot,
  parseEngineSnapshot,
  type SnapshotSettings,
} from './engine-snapshot.js';
import type { BusConsumer, BusMessage, ExchangeBus } from './exchange-bus.js';
import { createIndicatorHasher, hashIndicators } from './indicator-hash.js';
import { createReorderWindow } from './reorder-window.js';
import { decodeServiceState, encodeServiceState } from './service-state.js';

export interface DetectServiceOptions {
  bus: ExchangeBus;
  /** The stream's name, written into checkpoints (a checkpoint of another stream is refused). */
  stream: string;
  board: DecisionBoard;
  checkpoints: CheckpointStore;
  /** Durable consumer name (default `distillguard-detect`). */
  consumer?: string;
  /** Passed to `createDetector` (thresholds, IP→ASN table, peer indicators). */
  detector?: DetectorOptions;
  /** Event-time reorder window (default 5 s; docs/fleet.md, Ordering). */
  reorderWindowMs?: number;
  /** Wall time between checkpoints (default 5 min); one is also taken by `stop()`. */
  checkpointEveryMs?: number;
  /**
   * Wall time between campaign checks (default 5 s): each campaign is published when it changed
   * since its last publication (members, confidence, first flag, indicators), not on every check.
   */
  campaignsEveryMs?: number;
  /**
   * What a checkpoint holds (default `state`): the engine's own state, so a restart reads on from
   * the checkpoint's sequence; `replay`: only the sequence, a restart replays the stream from 1.
   */
  snapshots?: 'state' | 'replay';
  /** Records read per step (default 1024). */
  batchSize?: number;
  /** Injected clock (ms). */
  now?: () => number;
  /** The key campaign indicators are hashed with (the gateways' `fleet.indicator_key_env`). */
  indicatorKey?: string;
  /** Decision and checkpoint log lines (`createLogger`); absent: none. */
  logger?: Logger;
}

export interface DetectServiceStats {
  /** The last stream sequence applied (read into the reorder window). */
  sequence: number;
  /** Records applied by this process, replay included. */
  applied: number;
  /** Of them, records replayed to rebuild the state of the checkpoint. */
  replayed: number;
  /** The checkpoint's sequence this process started from (0: none). */
  restoredFrom: number;
  late: number;
  held: number;
  decisionsPublished: number;
  /** Campaign entries written to the board (only those that changed). */
  campaignsPublished: number;
  /** Campaign entries compared at the checks (what republishing every check would write). */
  campaignsChecked: number;
  checkpoints: number;
}

/** `distillguard detect`: the one engine over the fleet's exchange stream. */
export interface DetectService {
  /**
   * Reads and applies records until `sequence` is applied, or `waitMs` (default 30 s: a loaded
   * server can pause that long between large batches) passes with none coming.
   */
  runUntil(sequence: number, waitMs?: number): Promise<void>;
  /** Reads and applies records until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
  /** Writes a checkpoint of what is applied, then acknowledges it on the durable consumer. */
  checkpoint(): Promise<void>;
  /** Releases what the reorder window holds (a recorded stream's end; not during live running). */
  drain(): void;
  /**
   * End of input, as `analyze` ends: releases the reorder window, clusters once more at the last
   * exchange's time (`Detector.flush`), and publishes what changed, campaigns included.
   */
  finish(): Promise<void>;
  /**
   * Account records from the control plane (payment fingerprint, sign-up): identity evidence, as
   * `analyze --accounts`, applied at once. Gateways also publish them on the stream
   * (`ExchangeBus.publishAccounts`), where they are applied in event time.
   */
  observeAccounts(accounts: readonly AccountRecord[]): void;
  verdicts(): Verdict[];
  campaigns(): Campaign[];
  stats(): DetectServiceStats;
  /** Stops reading. `checkpoint: false` is a crash: nothing is saved. */
  stop(options?: { checkpoint?: boolean }): Promise<void>;
}

const signatureOf = (decision: AccountDecision) =>
  `${decision.verdict}|${decision.campaign_id}|${decision.first_flagged_at}`;

/** The detector options that change a replay's result, as a stable string. */
function engineFingerprint(options: DetectorOptions): string {
  return JSON.stringify({
    thresholds: options.thresholds ?? {},
    clusterEveryMs: options.clusterEveryMs ?? null,
    compactKeys: options.compactKeys ?? false,
    ipAsn: options.ipAsn !== undefined,
    peerIndicators: options.peerIndicators !== undefined,
  });
}

/**
 * Opens the detector service: loads the last checkpoint (refusing an incompatible one with a
 * `DistillguardError`), rebuilds the engine by replaying the stream up to the checkpoint's
 * sequence without republishing, then reads on with the durable consumer. Exchanges pass an
 * event-time reorder window into one `createDetector`; each account whose verdict, campaign or
 * first flag changes is published to the decision board, campaigns every few seconds.
 *
 * @example
 * const service = await openDetectService({ bus, stream: 'DISTILLGUARD_EXCHANGES', board, checkpoints });
 * await service.run(signal);
 */
export async function openDetectService({
  bus,
  stream,
  board,
  checkpoints,
  consumer: consumerName = 'distillguard-detect',
  detector: detectorOptions = {},
  reorderWindowMs = 5_000,
  checkpointEveryMs = 5 * 60_000,
  campaignsEveryMs = 5_000,
  batchSize = 1024,
  now = Date.now,
  indicatorKey,
  logger,
  snapshots = 'state',
}: DetectServiceOptions): Promise<DetectService> {
  const hashIndicator = createIndicatorHasher(indicatorKey);
  const settings: SnapshotSettings = {
    stream,
    reorderWindowMs,
    engine: engineFingerprint(detectorOptions),
  };
  const stored = await checkpoints.load();
  let restored: EngineSnapshot | null = null;
  if (stored !== null) {
    const parsed = parseEngineSnapshot(stored, settings, ['replay', 'state']);
    if (!parsed.success) throw new DistillguardError(parsed.error.code, parsed.error.message);
    restored = parsed.value;
  }
  const restoredFrom = restored?.sequence ?? 0;
  const fromState = restored?.kind === 'state' ? decodeServiceState(restored.engine) : null;
  if (fromState && restoredFrom > 0) {
    const info = await bus.info();
    if (info.messages > 0 && info.firstSequence > restoredFrom + 1)
      throw new DistillguardError(
        'resume_impossible',
        `the checkpoint covers sequences 1-${restoredFrom} but stream ${stream} now starts at ${info.firstSequence}: records ${restoredFrom + 1}-${info.firstSequence - 1} are gone (retention shorter than the checkpoint interval); move the checkpoint away to start afresh`,
      );
  } else if (restoredFrom > 0) {
    const info = await bus.info();
    if (info.firstSequence > 1 || info.lastSequence < restoredFrom)
      throw new DistillguardError(
        'replay_impossible',
        `the checkpoint covers sequences 1-${restoredFrom} but stream ${stream} holds ${info.firstSequence}-${info.lastSequence}: a replay checkpoint needs the stream from sequence 1 (limits retention); move the checkpoint away to start afresh`,
      );
  }

  const engine = createDetector(detectorOptions);
  const window = createReorderWindow({ windowMs: reorderWindowMs });
  if (fromState) {
    try {
      engine.importState(fromState.detector);
      window.importState(fromState.window);
    } catch (error) {
      throw new DistillguardError(
        'snapshot_malformed',
        `the engine state cannot be restored (${error instanceof Error ? error.message : String(error)}): move the checkpoint file away to rebuild from the stream`,
      );
    }
  }
  /** Last decision published per account (restored from the checkpoint). */
  const published = new Map<string, AccountDecision>();
  for (const decision of restored?.decisions ?? []) published.set(decision.account_id, decision);
  let outbox = new Map<string, AccountDecision>();
  const consumer: BusConsumer = await bus.consumer(consumerName, fromState ? restoredFrom + 1 : 1);
  let sequence = fromState ? restoredFrom : 0;
  let lastMessage: BusMessage | null = null;
  let applied = 0;
  let replayed = 0;
  let decisionsPublished = 0;
  let campaignsPublished = 0;
  let campaignsChecked = 0;
  /** The last campaign entry written per campaign, as JSON: a campaign is rewritten on change. */
  const publishedCampaigns = new Map<string, string>(fromState?.publishedCampaigns ?? []);
  let checkpointsTaken = 0;
  let lastCheckpointMs = now();
  let lastCampaignsMs = now();
  let stopped = false;

  const decide = (assessment: Assessment, at: number): void => {
    if (at <= restoredFrom) return;
    const before = published.get(assessment.accountId);
    if (
      before &&
      before.verdict === assessment.verdict &&
      before.campaign_id === assessment.campaignId &&
      before.first_flagged_at === assessment.flaggedAt
    )
      return;
    const decision: AccountDecision = {
      account_id: assessment.accountId,
      verdict: assessment.verdict,
      score: Math.round(assessment.score * 1000) / 1000,
      campaign_id: assessment.campaignId,
      first_flagged_at: assessment.flaggedAt,
      reasons:
        assessment.verdict === 'clean' ? [] : assessment.reasons.map((reason) => reason.code),
      sequence: at,
    };
    if (before && signatureOf(before) === signatureOf(decision)) return;
    published.set(decision.account_id, decision);
    outbox.set(decision.account_id, decision);
  };
  /** The last record applied per account: the same record from several gateways counts once. */
  const accountSeen = new Map<string, string>(fromState?.accountSeen ?? []);
  /**
   * Account records read from the stream, by `created_at`: each is applied before the first
   * released exchange later than its creation, as `analyze` merges `--accounts` (one without a
   * valid time, or older than what was released, at once).
   */
  const pendingAccounts: { createdMs: number; record: AccountRecord }[] = [
    ...(fromState?.pendingAccounts ?? []),
  ];
  let releasedMs = fromState?.releasedMs ?? Number.NEGATIVE_INFINITY;
  const observeAccount = (record: AccountRecord) => {
    const text = JSON.stringify(record);
    if (accountSeen.get(record.account_id) === text) return;
    accountSeen.set(record.account_id, text);
    engine.observeAccount(record);
  };
  const queueAccount = (record: AccountRecord) => {
    const createdMs = Date.parse(record.created_at);
    if (!Number.isFinite(createdMs) || createdMs < releasedMs) {
      observeAccount(record);
      return;
    }
    let position = pendingAccounts.length;
    while (position > 0 && (pendingAccounts[position - 1]?.createdMs ?? 0) > createdMs)
      position -= 1;
    pendingAccounts.splice(position, 0, { createdMs, record });
  };
  const releaseAccounts = (beforeMs: number) => {
    let count = 0;
    while (count < pendingAccounts.length && (pendingAccounts[count]?.createdMs ?? 0) < beforeMs)
      count += 1;
    for (const { record } of pendingAccounts.splice(0, count)) observeAccount(record);
  };
  const observe = (exchanges: Exchange[], at: number) => {
    for (const exchange of exchanges) {
      if (pendingAccounts.length > 0) releaseAccounts(Date.parse(exchange.ts));
      releasedMs = Date.parse(exchange.ts);
      decide(engine.observe(exchange), at);
    }
  };

  const publishCampaigns = async () => {
    const changed: CampaignDecision[] = [];
    for (const campaign of engine.campaigns()) {
      campaignsChecked += 1;
      const entry: CampaignDecision = {
        campaign_id: campaign.campaign_id,
        confidence: campaign.confidence,
        first_flagged_at: campaign.first_flagged_at,
        accounts: campaign.accounts,
        indicators: hashIndicators(campaign.indicators, hashIndicator),
      };
      const text = JSON.stringify(entry);
      if (publishedCampaigns.get(entry.campaign_id) === text) continue;
      publishedCampaigns.set(entry.campaign_id, text);
      changed.push(entry);
    }
    // No heartbeat: the board keeps the last value (KV is durable and a watch starts from it).
    if (changed.length > 0) await board.putCampaigns(changed);
    campaignsPublished += changed.length;
    lastCampaignsMs = now();
  };

  const flushDecisions = async () => {
    if (outbox.size === 0) return;
    const batch = [...outbox.values()];
    outbox = new Map();
    await board.putAccounts(batch);
    decisionsPublished += batch.length;
    if (logger?.isLevelEnabled('info'))
      for (const decision of batch)
        logger.info(
          {
            event: 'decision',
            account_id: decision.account_id,
            verdict: decision.verdict,
            score: decision.score,
            campaign_id: decision.campaign_id,
            first_flagged_at: decision.first_flagged_at,
            reasons: decision.reasons,
            sequence: decision.sequence,
          },
          'decision',
        );
  };

  const checkpoint = async () => {
    await flushDecisions();
    const state =
      snapshots === 'state'
        ? encodeServiceState({
            detector: engine.exportState(),
            window: window.exportState(),
            pendingAccounts,
            accountSeen,
            releasedMs,
            publishedCampaigns,
          })
        : null;
    const snapshot: EngineSnapshot = {
      format: ENGINE_SNAPSHOT_FORMAT,
      version: ENGINE_SNAPSHOT_VERSION,
      kind: state ? 'state' : 'replay',
      sequence,
      settings,
      engine: state,
      decisions: [...published.values()],
      taken_at: new Date(now()).toISOString(),
    };
    await checkpoints.save(snapshot);
    // The durable's ack floor then names the checkpoint (visible in `nats consumer info`).
    await lastMessage?.ack();
    checkpointsTaken += 1;
    lastCheckpointMs = now();
    logger?.info(
      { event: 'checkpoint', sequence, applied, decisions: published.size },
      'checkpoint',
    );
  };

  /** Records read past a `runUntil` target, applied first by the next step. */
  let carried: BusMessage[] = [];
  /** One read: applies up to `batchSize` records, none past `limit`; false when none came. */
  const step = async (waitMs: number, limit = Number.POSITIVE_INFINITY): Promise<boolean> => {
    const messages = carried.length > 0 ? carried : await consumer.next(batchSize, waitMs);
    carried = [];
    for (let index = 0; index < messages.length; index += 1) {
      const message = messages[index] as BusMessage;
      if (message.sequence > limit) {
        carried = messages.slice(index);
        break;
      }
      // A redelivered record (after an ack timeout) is already in the state: skipped by sequence.
      if (message.sequence <= sequence) continue;
      sequence = message.sequence;
      lastMessage = message;
      applied += message.exchanges.length;
      if (message.sequence <= restoredFrom) replayed += message.exchanges.length;
      for (const record of message.accounts ?? []) queueAccount(record);
      const publisher = message.stamp?.publisher;
      for (const exchange of message.exchanges) {
        observe(window.push(exchange, publisher), message.sequence);
      }
      // After the batch's records: the stamp was taken before they were sliced off.
      if (message.stamp)
        observe(window.mark(message.stamp.publisher, message.stamp.watermarkMs), message.sequence);
    }
    if (sequence > restoredFrom) {
      await flushDecisions();
      if (now() - lastCampaignsMs >= campaignsEveryMs) await publishCampaigns();
      if (now() - lastCheckpointMs >= checkpointEveryMs) await checkpoint();
    }
    return messages.length > 0;
  };

  return {
    async runUntil(target, waitMs = 30_000) {
      while (!stopped && sequence < target) if (!(await step(waitMs, target))) return;
    },
    async run(signal) {
      while (!stopped && !signal.aborted) await step(1_000);
    },
    checkpoint,
    drain() {
      observe(window.drain(), sequence);
      releaseAccounts(Number.POSITIVE_INFINITY);
    },
    async finish() {
      observe(window.drain(), sequence);
      releaseAccounts(Number.POSITIVE_INFINITY);
      engine.flush();
      // Flags raised by the last clustering belong to no exchange: each account is assessed again.
      for (const verdict of engine.verdicts()) {
        const assessment = engine.assessment(verdict.account_id);
        if (assessment) decide(assessment, sequence);
      }
      await flushDecisions();
      await publishCampaigns();
    },
    observeAccounts(accounts) {
      for (const account of accounts) observeAccount(account);
    },
    verdicts: () => engine.verdicts(),
    campaigns: () => engine.campaigns(),
    stats: () => ({
      sequence,
      applied,
      replayed,
      restoredFrom,
      late: window.late,
      held: window.held,
      decisionsPublished,
      campaignsPublished,
      campaignsChecked,
      checkpoints: checkpointsTaken,
    }),
    async stop({ checkpoint: save = true } = {}) {
      if (stopped) return;
      stopped = true;
      if (save) {
        await publishCampaigns();
        await checkpoint();
      }
      await consumer.close();
    },
  };
}
