import { deserialize, serialize } from 'node:v8';
import {
  DETECTOR_STATE_VERSION,
  type DetectorState,
  RESTORABLE_DETECTOR_STATE_VERSIONS,
} from '../detect/index.js';
import type { AccountRecord } from '../log/exchange.js';
import { DistillguardError } from '../shared/distillguard-error.js';
import type { ReorderWindowState } from './reorder-window.js';

/** `EngineSnapshot.engine` of a `state` snapshot (docs/fleet.md, Checkpoints). */
export interface ServiceStateEnvelope {
  format: 'distillguard.detect-service-state';
  version: 1;
  /** `DETECTOR_STATE_VERSION` of the engine that wrote it. */
  detector_version: number;
  /** The V8 that serialised `data` (a newer V8 reads an older one's output). */
  v8: string;
  /** base64 of `v8.serialize(ServiceState)`. */
  data: string;
}

export interface ServiceState {
  /** The engine's parts (`Detector.exportState`). */
  detector: DetectorState;
  window: ReorderWindowState;
  pendingAccounts: { createdMs: number; record: AccountRecord }[];
  accountSeen: Map<string, string>;
  releasedMs: number;
  publishedCampaigns: Map<string, string>;
}

/** Decodes a `state` snapshot's engine, or throws the refusal (nothing is applied yet). */
export function decodeServiceState(engine: unknown): ServiceState {
  const envelope = engine as Partial<ServiceStateEnvelope> | null;
  if (envelope?.format !== 'distillguard.detect-service-state' || envelope.version !== 1)
    throw new DistillguardError(
      'snapshot_malformed',
      'the state snapshot holds no detect-service state: move the checkpoint file away to rebuild from the stream',
    );
  if (!RESTORABLE_DETECTOR_STATE_VERSIONS.includes(envelope.detector_version as number))
    throw new DistillguardError(
      'snapshot_version',
      `the engine state is version ${String(envelope.detector_version)}, this build restores versions ${RESTORABLE_DETECTOR_STATE_VERSIONS.join(', ')}: move the checkpoint file away and restart to rebuild the state from the stream (it must still hold sequence 1)`,
    );
  try {
    return deserialize(Buffer.from(String(envelope.data), 'base64')) as ServiceState;
  } catch (error) {
    throw new DistillguardError(
      'snapshot_malformed',
      `the engine state cannot be read (${error instanceof Error ? error.message : String(error)}): move the checkpoint file away to rebuild from the stream`,
    );
  }
}

/** The `engine` of a `state` snapshot: the service's whole state, V8-serialised. */
export function encodeServiceState(state: ServiceState): ServiceStateEnvelope {
  return {
    format: 'distillguard.detect-service-state',
    version: 1,
    detector_version: DETECTOR_STATE_VERSION,
    v8: process.versions.v8,
    data: serialize(state).toString('base64'),
  };
}
