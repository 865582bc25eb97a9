import type { Result } from '../shared/distillguard-error.js';
import { isRecord } from '../shared/is-record.js';
import type { AccountDecision } from './decision-board.js';

export const ENGINE_SNAPSHOT_FORMAT = 'distillguard.engine-snapshot';
/** Bumped whenever a field's meaning changes; a snapshot of another version is refused whole. */
export const ENGINE_SNAPSHOT_VERSION = 1;

/** What a snapshot's state was computed under: a replay under other settings would differ. */
export interface SnapshotSettings {
  /** The stream the sequence numbers belong to. */
  stream: string;
  reorderWindowMs: number;
  /** A fingerprint of the detector options (thresholds, clustering cadence). */
  engine: string;
}

/**
 * The detector service's checkpoint, version 1: which stream sequence its state covers, the
 * decisions it has published, and the engine's state.
 *
 * `kind: 'replay'` (this version): the engine has no serialised state yet, so `engine` is null and
 * a restart rebuilds the engine by replaying the stream from sequence 1 through `sequence` (the
 * stream keeps everything; docs/fleet.md, Checkpoints). `kind: 'state'` is reserved for an engine
 * that serialises itself: `engine` then holds that state and a restart reads on from
 * `sequence + 1` without replay.
 */
export interface EngineSnapshot {
  format: typeof ENGINE_SNAPSHOT_FORMAT;
  version: typeof ENGINE_SNAPSHOT_VERSION;
  kind: 'replay' | 'state';
  /** The last stream sequence the state covers (0: none). */
  sequence: number;
  settings: SnapshotSettings;
  /** The engine's own state (`kind: 'state'`); null for a replay snapshot. */
  engine: unknown;
  /** The last decision published per account, so a restart publishes only what changed. */
  decisions: AccountDecision[];
  /** RFC 3339 wall time the snapshot was taken. */
  taken_at: string;
}

/** Why a stored snapshot cannot be used; the message says what to do. */
export interface SnapshotRefusal {
  code:
    | 'snapshot_malformed'
    | 'snapshot_version'
    | 'snapshot_kind'
    | 'snapshot_other_stream'
    | 'snapshot_settings';
  message: string;
}

const refuse = (
  code: SnapshotRefusal['code'],
  message: string,
): { success: false; error: SnapshotRefusal } => ({ success: false, error: { code, message } });

/**
 * Checks a stored snapshot against this build and these settings before anything of it is used:
 * a snapshot is loaded whole or refused whole, never half-loaded.
 */
export function parseEngineSnapshot(
  value: unknown,
  expected: SnapshotSettings,
  readableKinds: readonly EngineSnapshot['kind'][] = ['replay'],
): Result<EngineSnapshot, SnapshotRefusal> {
  if (!isRecord(value) || value.format !== ENGINE_SNAPSHOT_FORMAT)
    return refuse('snapshot_malformed', 'not a distillguard engine snapshot');
  if (value.version !== ENGINE_SNAPSHOT_VERSION)
    return refuse(
      'snapshot_version',
      `snapshot version ${String(value.version)} cannot be read by this build (version ${ENGINE_SNAPSHOT_VERSION}): move the checkpoint file away and restart to rebuild the state from the stream`,
    );
  const { kind, sequence, settings, decisions } = value;
  if (kind !== 'replay' && kind !== 'state')
    return refuse('snapshot_malformed', `unknown snapshot kind ${String(kind)}`);
  if (!readableKinds.includes(kind))
    return refuse(
      'snapshot_kind',
      `a '${kind}' snapshot needs an engine that restores its own state, which this build lacks: move the checkpoint file away and restart to rebuild from the stream`,
    );
  if (typeof sequence !== 'number' || !Number.isInteger(sequence) || sequence < 0)
    return refuse('snapshot_malformed', 'sequence must be a non-negative integer');
  if (!Array.isArray(decisions) || !decisions.every(isRecord))
    return refuse('snapshot_malformed', 'decisions must be an array of objects');
  if (
    !isRecord(settings) ||
    typeof settings.stream !== 'string' ||
    typeof settings.reorderWindowMs !== 'number' ||
    typeof settings.engine !== 'string'
  )
    return refuse('snapshot_malformed', 'settings must name stream, reorderWindowMs and engine');
  if (settings.stream !== expected.stream)
    return refuse(
      'snapshot_other_stream',
      `the snapshot covers stream ${settings.stream}, not ${expected.stream}: point --checkpoint at this stream's file`,
    );
  if (settings.reorderWindowMs !== expected.reorderWindowMs || settings.engine !== expected.engine)
    return refuse(
      'snapshot_settings',
      'the snapshot was taken under other detector settings (reorder window or thresholds): restore them, or move the checkpoint file away to rebuild from the stream',
    );
  return { success: true, value: value as unknown as EngineSnapshot };
}
