import { type AccountState, countOf } from './account-state.js';
import { type ModelPivot, modelPivot } from './model-pivot.js';
import { refill, type StatefulPart } from './part-state.js';
import {
  followsRotation,
  type SynchronizedCadence,
  synchronizedCadence,
} from './synchronized-cadence.js';

/** Cross-account timing findings of one account, as of the last clustering step. */
export interface ActivityFindings {
  cadence?: { accounts: number; handoff: number; phaseSpread: number; periodMinutes: number };
  pivot?: { model: string; share: number; hours: number; accounts: number };
}

/**
 * Timing evidence among accounts already linked by cheaper values: bursts kept in a small ring per
 * graph account (O(1) per exchange), read only for the members of accepted communities at
 * clustering steps (never all pairs), turned into per-account findings for the reasons.
 */
export interface ActivityTracker extends StatefulPart {
  /** Every exchange, after the account's counters are updated. */
  observe(state: AccountState, model: string, timeMs: number): void;
  /** At a clustering step: the findings of one accepted community's members. */
  assess(members: readonly number[], accounts: readonly AccountState[]): void;
  findings(account: number): ActivityFindings | undefined;
}

/** Bursts remembered per account: enough cycles to see a rotation, 256 bytes. */
const RING = 32;
/** Exchanges closer than this to the previous one continue its burst (one active minute). */
const BURST_MS = 60_000;
/** A model first seen this long after the detector's first exchange is a new release. */
const NEW_MODEL_AFTER_MS = 6 * 3600_000;
/** Accounts whose timelines are merged to find the rotation (the rest are checked one by one). */
const SAMPLE = 64;
/** Least accounts of one community pivoting to the same model: a coordinated move. */
const MIN_PIVOTING = 3;

interface Entry {
  bursts: Float64Array;
  count: number;
  lastMs: number;
  pivotModel: string | undefined;
  pivotFirstMs: number;
  exchangesBefore: number;
}

/** Creates the tracker the detector feeds (see {@link ActivityTracker}). */
export function createActivityTracker(): ActivityTracker {
  const entries = new Map<number, Entry>();
  const modelFirstMs = new Map<string, number>();
  const findings = new Map<number, ActivityFindings>();
  let startMs = Number.NaN;
  let lastModel = '';
  let lastModelIsNew = false;

  const isNew = (model: string, timeMs: number): boolean => {
    if (model === lastModel) return lastModelIsNew;
    let first = modelFirstMs.get(model);
    if (first === undefined && modelFirstMs.size < 256) {
      first = timeMs;
      modelFirstMs.set(model, timeMs);
    }
    lastModel = model;
    lastModelIsNew = first !== undefined && first - startMs >= NEW_MODEL_AFTER_MS;
    return lastModelIsNew;
  };

  const timeline = (entry: Entry): number[] => {
    const length = Math.min(entry.count, RING);
    const times: number[] = [];
    for (let position = entry.count - length; position < entry.count; position++)
      times.push(entry.bursts[position % RING] as number);
    return times;
  };

  const exportState = () => ({
    entries,
    modelFirstMs,
    findings,
    startMs,
    lastModel,
    lastModelIsNew,
  });
  return {
    exportState,
    importState(state) {
      const restored = state as ReturnType<typeof exportState>;
      refill(entries, restored.entries);
      refill(modelFirstMs, restored.modelFirstMs);
      refill(findings, restored.findings);
      ({ startMs, lastModel, lastModelIsNew } = restored);
    },
    observe(state, model, timeMs) {
      if (Number.isNaN(startMs)) startMs = timeMs;
      const fresh = isNew(model, timeMs);
      if (!state.inGraph) return;
      let entry = entries.get(state.index);
      if (!entry) {
        entry = {
          bursts: new Float64Array(RING),
          count: 0,
          lastMs: Number.NEGATIVE_INFINITY,
          pivotModel: undefined,
          pivotFirstMs: Number.NaN,
          exchangesBefore: 0,
        };
        entries.set(state.index, entry);
      }
      if (timeMs - entry.lastMs >= BURST_MS) {
        entry.bursts[entry.count % RING] = timeMs;
        entry.count += 1;
      }
      entry.lastMs = timeMs;
      if (fresh && entry.pivotModel === undefined) {
        entry.pivotModel = model;
        entry.pivotFirstMs = timeMs;
        entry.exchangesBefore = state.exchanges - 1;
      }
    },

    assess(members, accounts) {
      const sampled = new Map<number, number[]>();
      const stride = Math.max(1, Math.floor(members.length / SAMPLE));
      for (let position = 0; position < members.length; position += stride) {
        const account = members[position] as number;
        const entry = entries.get(account);
        if (entry) sampled.set(account, timeline(entry));
      }
      const rotation: SynchronizedCadence | undefined = synchronizedCadence(sampled, {
        complete: stride === 1,
      });
      const inRotation = new Set(rotation?.accounts);
      const rotating: number[] = [];
      if (rotation) {
        for (const account of members) {
          const entry = entries.get(account);
          if (!entry) continue;
          if (inRotation.has(account) || followsRotation(timeline(entry), rotation.periodMs))
            rotating.push(account);
        }
      }
      const pivots: ModelPivot[] = [];
      for (const account of members) {
        const entry = entries.get(account);
        const state = accounts[account];
        if (!entry || !state || entry.pivotModel === undefined) continue;
        const pivot = modelPivot({
          model: entry.pivotModel,
          modelFirstMs: modelFirstMs.get(entry.pivotModel) ?? entry.pivotFirstMs,
          firstUseMs: entry.pivotFirstMs,
          exchangesOnModel: countOf(state.models, entry.pivotModel),
          exchangesSinceFirstUse: state.exchanges - entry.exchangesBefore,
          account,
        });
        if (pivot) pivots.push(pivot);
      }
      const pivotingPerModel = new Map<string, number>();
      for (const pivot of pivots)
        pivotingPerModel.set(pivot.model, (pivotingPerModel.get(pivot.model) ?? 0) + 1);
      for (const account of members) findings.delete(account);
      if (rotation && rotating.length >= 3) {
        for (const account of rotating) {
          findings.set(account, {
            cadence: {
              accounts: rotating.length - 1,
              handoff: rotation.handoff,
              phaseSpread: rotation.phaseSpread,
              periodMinutes: Math.round(rotation.periodMs / 6000) / 10,
            },
          });
        }
      }
      for (const pivot of pivots) {
        const pivoting = pivotingPerModel.get(pivot.model) ?? 0;
        if (pivoting < MIN_PIVOTING) continue;
        const found = findings.get(pivot.account) ?? {};
        found.pivot = {
          model: pivot.model,
          share: pivot.share,
          hours: pivot.hours,
          accounts: pivoting - 1,
        };
        findings.set(pivot.account, found);
      }
    },

    findings: (account) => findings.get(account),
  };
}
