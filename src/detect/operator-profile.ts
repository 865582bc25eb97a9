import { type AccountState, forEachCount, type SmallCounts } from './account-state.js';
import type { LinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX, LINKAGE_KEY_TYPES } from './linkage-key-type.js';

/**
 * What one operator's accounts have in common because one operator runs them: one task list
 * (the capability mix, tool and image shares), one harness (model, `max_tokens`,
 * temperature, client software), one schedule (hours of the day), one sign-up procedure (entry
 * program and verification, a sign-up period), and the values it controls (exits, cards).
 * Read from the engine's own counters at a tick.
 */
export interface OperatorProfile {
  readonly account: number;
  /** Registry campaign number, -1 for none (a reseller or a peer flag). */
  readonly campaign: number;
  /**
   * Capability shares, then tool and image shares (unit length): what the account harvests. The
   * single-turn share is left out: near 1 for every harvesting harness, it outweighed the
   * capabilities in the cosine (harvest's function calls and low-and-slow's mix ≥ 0.9).
   */
  readonly mix: Float64Array;
  /** Exchanges per hour of the day (unit length). */
  readonly hours: Float64Array;
  /** `created_at` in epoch ms (NaN without an account record). */
  readonly createdMs: number;
  /** Entry program and verification level, null without an account record. */
  readonly signup: string | null;
  /** Dominant model, `max_tokens` and temperature. */
  readonly harness: string;
  /** Operator-controlled and client-software key ids, ascending. */
  readonly operatorKeys: readonly number[];
  readonly softwareKeys: readonly number[];
  /**
   * User-agent key ids, ascending: the client build (SDK and version). Header order and TLS
   * fingerprint are every version's of one SDK or runtime.
   */
  readonly clientBuilds: readonly number[];
}

const KEY_KIND = LINKAGE_KEY_TYPES.map((type) =>
  type.operator
    ? 'operator'
    : type.family === 'software'
      ? 'software'
      : type.family === 'content'
        ? 'content'
        : 'other',
);

const USER_AGENT = KEY_TYPE_INDEX.user_agent;

/** The account's operator profile (see {@link OperatorProfile}). */
export function operatorProfile(state: AccountState, index: LinkageIndex): OperatorProfile {
  const n = Math.max(1, state.exchanges);
  const capabilities = state.capabilities;
  const mix = new Float64Array(capabilities.length + 2);
  capabilities.forEach((count, position) => {
    mix[position] = count / n;
  });
  mix[capabilities.length] = state.withTools / n;
  mix[capabilities.length + 1] = state.withImage / n;
  const hours = new Float64Array(24);
  state.hours.forEach((count, hour) => {
    hours[hour] = count;
  });
  const operatorKeys: number[] = [];
  const softwareKeys: number[] = [];
  const clientBuilds: number[] = [];
  for (const keys of [state.keys, state.recordKeys]) {
    for (const keyId of keys) {
      const typeIndex = index.typeOf(keyId);
      const kind = KEY_KIND[typeIndex];
      if (kind === 'operator') operatorKeys.push(keyId);
      else if (kind === 'software') {
        softwareKeys.push(keyId);
        if (typeIndex === USER_AGENT) clientBuilds.push(keyId);
      }
    }
  }
  const record = state.record;
  return {
    account: state.index,
    campaign: state.campaign,
    mix: unit(mix),
    hours: unit(hours),
    createdMs: state.createdMs,
    signup: record ? `${record.program ?? ''}|${record.verification ?? ''}` : null,
    harness: `${top(state.models)}|${top(state.maxTokens)}|${top(state.temperatures)}`,
    operatorKeys: operatorKeys.sort((a, b) => a - b),
    softwareKeys: softwareKeys.sort((a, b) => a - b),
    clientBuilds: clientBuilds.sort((a, b) => a - b),
  };
}

function unit(vector: Float64Array): Float64Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0)
    for (let at = 0; at < vector.length; at += 1) vector[at] = (vector[at] as number) / norm;
  return vector;
}

/** The most frequent key of a small counter ('' when empty). */
function top<Key>(counts: SmallCounts<Key>): string {
  let best = '';
  let bestCount = 0;
  forEachCount(counts, (key, count) => {
    if (count > bestCount) {
      best = String(key);
      bestCount = count;
    }
  });
  return best;
}
