import type { AccountRecord } from '../log/exchange.js';
import { LINKAGE_KEY_TYPES } from './linkage-key-type.js';
import type { PeerIndicatorMatch } from './peer-indicator-matcher.js';
import { CAPABILITIES } from './prompt/capability.js';

/** How an account came to be flagged. */
export type FlagSource = 'cluster' | 'affinity' | 'reseller' | 'peer' | 'evasion';

/**
 * Everything the engine remembers about one account: compact counters and small capped maps,
 * so memory stays bounded per account whatever its volume.
 */
export interface AccountState {
  readonly index: number;
  readonly id: string;
  record: AccountRecord | undefined;
  exchanges: number;
  firstMs: number;
  lastMs: number;
  /** Exchanges with an elicitation / rubric / censorship cue, and with any of them. */
  elicitation: number;
  rubric: number;
  censorship: number;
  cueExchanges: number;
  /** Prompt language → exchanges (capped): an operator rotating languages shows many. */
  languages: Map<string, number>;
  /** Cue codes seen (capped), for evidence. */
  cues: Set<string>;
  singleTurn: number;
  withTools: number;
  withImage: number;
  capabilities: Uint32Array;
  /** Template key id (-1: no template) → exchanges (capped). */
  templates: Map<number, number>;
  /** Exchanges whose template this account had already sent. */
  templateRepeats: number;
  maxTokens: Map<number, number>;
  temperatures: Map<number, number>;
  inputTokens: number;
  outputTokens: number;
  /** Welford running mean and M2 of inter-arrival gaps in seconds. */
  gapCount: number;
  gapMean: number;
  gapM2: number;
  hours: Uint16Array;
  models: Map<string, number>;
  /** Key ids this account carried, and how many per key type (capped per type). */
  keys: Set<number>;
  keysPerType: Uint8Array;
  /** Key ids from the account record (payment, email domain, signup burst, signup IP). */
  recordKeys: number[];
  /** Exchanges attributed to a campaign by their own content (owned template, system prompt, tool set). */
  contentAttributed: number;
  /** Latest individual (content + behaviour) score, 0–1, and its content part. */
  score: number;
  content: number;
  candidate: boolean;
  /** In the linkage graph: a candidate, or flagged (resellers excepted). */
  inGraph: boolean;
  /** Event time the account was first flagged (NaN: never). */
  flaggedMs: number;
  /** How the flag came: a clustering tick, a join by affinity, a peer indicator. */
  flaggedBy: FlagSource | undefined;
  /** Campaign number (index into the engine's campaign table), -1 for none. */
  campaign: number;
  /** Campaign number → exchanges of this account attributed to it. */
  attributed: Map<number, number>;
  peer: PeerIndicatorMatch | undefined;
  /** `created_at` of the record in epoch ms (NaN without one). */
  createdMs: number;
  /** Cache of the last client values and their key ids: most accounts keep one address and client. */
  lastIp: string | undefined;
  lastIpKeys: number[];
  lastClient: (string | undefined)[];
  lastClientKeys: number[];
  /** `flaggedMs` as RFC 3339, computed once. */
  flaggedAt: string | null;
}

/** Account counters per slab: one backing store for thousands of accounts' small arrays. */
const SLAB_ACCOUNTS = 4096;
const CAPABILITY_BYTES = CAPABILITIES.length * 4;
const HOURS_BYTES = 24 * 2;
const KEY_TYPES_BYTES = Math.ceil(LINKAGE_KEY_TYPES.length / 4) * 4;
const ACCOUNT_BYTES = CAPABILITY_BYTES + HOURS_BYTES + KEY_TYPES_BYTES;
let slab = new ArrayBuffer(0);
let slabOffset = 0;

/** Views on a shared slab: a typed array of its own per counter costs a backing store each. */
function allocateCounters(): {
  capabilities: Uint32Array;
  hours: Uint16Array;
  keysPerType: Uint8Array;
} {
  if (slabOffset + ACCOUNT_BYTES > slab.byteLength) {
    slab = new ArrayBuffer(ACCOUNT_BYTES * SLAB_ACCOUNTS);
    slabOffset = 0;
  }
  const at = slabOffset;
  slabOffset += ACCOUNT_BYTES;
  return {
    capabilities: new Uint32Array(slab, at, CAPABILITIES.length),
    hours: new Uint16Array(slab, at + CAPABILITY_BYTES, 24),
    keysPerType: new Uint8Array(
      slab,
      at + CAPABILITY_BYTES + HOURS_BYTES,
      LINKAGE_KEY_TYPES.length,
    ),
  };
}

export function createAccountState(index: number, id: string): AccountState {
  const { capabilities, hours, keysPerType } = allocateCounters();
  return {
    index,
    id,
    record: undefined,
    exchanges: 0,
    firstMs: Number.NaN,
    lastMs: Number.NaN,
    elicitation: 0,
    rubric: 0,
    censorship: 0,
    cueExchanges: 0,
    cues: new Set(),
    languages: new Map(),
    singleTurn: 0,
    withTools: 0,
    withImage: 0,
    capabilities,
    templates: new Map(),
    templateRepeats: 0,
    maxTokens: new Map(),
    temperatures: new Map(),
    inputTokens: 0,
    outputTokens: 0,
    gapCount: 0,
    gapMean: 0,
    gapM2: 0,
    hours,
    models: new Map(),
    keys: new Set(),
    keysPerType,
    recordKeys: [],
    contentAttributed: 0,
    score: 0,
    content: 0,
    candidate: false,
    inGraph: false,
    flaggedMs: Number.NaN,
    flaggedBy: undefined,
    campaign: -1,
    attributed: new Map(),
    peer: undefined,
    createdMs: Number.NaN,
    lastIp: undefined,
    lastIpKeys: [],
    lastClient: [undefined, undefined, undefined],
    lastClientKeys: [-1, -1, -1],
    flaggedAt: null,
  };
}

/** Adds one to a small capped counter map (new values beyond the cap are dropped). */
export function countCapped<Key>(map: Map<Key, number>, key: Key, cap: number): number {
  const current = map.get(key);
  if (current !== undefined) {
    map.set(key, current + 1);
    return current + 1;
  }
  if (map.size < cap) map.set(key, 1);
  return 1;
}

/** Largest value of a counter map (0 when empty). */
export function topCount<Key>(map: Map<Key, number>): number {
  let top = 0;
  for (const value of map.values()) if (value > top) top = value;
  return top;
}

/** The key with the largest count (first wins ties), or undefined. */
export function topKey<Key>(map: Map<Key, number>): Key | undefined {
  let best: Key | undefined;
  let top = -1;
  for (const [key, value] of map) {
    if (value > top) {
      top = value;
      best = key;
    }
  }
  return best;
}
