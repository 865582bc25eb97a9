import type { AccountRecord } from '../log/exchange.js';
import { LINKAGE_KEY_TYPES } from './linkage-key-type.js';
import type { PeerIndicatorMatch } from './peer-indicator-matcher.js';
import { CAPABILITIES } from './prompt/capability.js';

/** How an account came to be flagged. */
export type FlagSource = 'cluster' | 'affinity' | 'reseller' | 'peer' | 'evasion' | 'model';

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
  languages: SmallCounts<string>;
  /** Cue codes seen (capped), for evidence, in first-seen order. */
  cues: readonly string[];
  singleTurn: number;
  withTools: number;
  withImage: number;
  capabilities: Uint32Array;
  /** Template key id (-1: no template) → exchanges (capped). */
  templates: SmallCounts<number>;
  /** Exchanges whose template this account had already sent. */
  templateRepeats: number;
  maxTokens: SmallCounts<number>;
  temperatures: SmallCounts<number>;
  inputTokens: number;
  outputTokens: number;
  /** Welford running mean and M2 of inter-arrival gaps in seconds. */
  gapCount: number;
  gapMean: number;
  gapM2: number;
  hours: Uint16Array;
  models: SmallCounts<string>;
  /** Key ids this account carried (distinct, first-seen order), and how many per key type (capped per type). */
  keys: number[];
  keysPerType: Uint8Array;
  /**
   * Subnet (/24 or /48) key id → exchanges from it (capped like the key ids): a home network
   * carries most of a customer's traffic; an operator rotating exits has none.
   */
  subnetExchanges: SmallCounts<number>;
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
  /** In the graph and not yet flagged: what clustering the unattached looks at. */
  unattached: boolean;
  /** Event time the account was first flagged (NaN: never). */
  flaggedMs: number;
  /** How the flag came: a clustering tick, a join by affinity, a peer indicator. */
  flaggedBy: FlagSource | undefined;
  /** Flagged as a reseller early because it came through a flagged reseller's door. */
  reusedDoor: boolean;
  /** Campaign number (index into the engine's campaign table), -1 for none. */
  campaign: number;
  /** Campaign number → exchanges of this account attributed to it. */
  attributed: SmallCounts<number>;
  peer: PeerIndicatorMatch | undefined;
  /** `created_at` of the record in epoch ms (NaN without one). */
  createdMs: number;
  /** Cache of the last client values and their key ids: most accounts keep one address and client. */
  lastIp: string | undefined;
  lastIpKeys: readonly number[];
  lastClient: (string | undefined)[];
  lastClientKeys: number[];
  /** The last template hash and its key id (templates are always interned, never -1 here). */
  lastTemplate: string | undefined;
  lastTemplateKey: number;
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
    cues: NO_CUES,
    languages: NO_COUNTS,
    singleTurn: 0,
    withTools: 0,
    withImage: 0,
    capabilities,
    templates: NO_COUNTS,
    templateRepeats: 0,
    maxTokens: NO_COUNTS,
    temperatures: NO_COUNTS,
    inputTokens: 0,
    outputTokens: 0,
    gapCount: 0,
    gapMean: 0,
    gapM2: 0,
    hours,
    models: NO_COUNTS,
    keys: [],
    keysPerType,
    subnetExchanges: NO_COUNTS,
    recordKeys: [],
    contentAttributed: 0,
    score: 0,
    content: 0,
    candidate: false,
    inGraph: false,
    unattached: false,
    flaggedMs: Number.NaN,
    flaggedBy: undefined,
    reusedDoor: false,
    campaign: -1,
    attributed: NO_COUNTS,
    peer: undefined,
    createdMs: Number.NaN,
    lastIp: undefined,
    lastIpKeys: NO_KEYS,
    lastClient: [undefined, undefined, undefined],
    lastClientKeys: [-1, -1, -1],
    lastTemplate: undefined,
    lastTemplateKey: -1,
    flaggedAt: null,
  };
}

/**
 * A small capped counter: one flat array `[key, count, key, count, …]` in first-seen order. An
 * account's handful of parameter values, models or templates cost ~64 bytes instead of a Map's
 * ~180, and nothing until the first value (every account starts on the shared empty array).
 */
export type SmallCounts<Key> = readonly (Key | number)[];

/** The shared empty counter; never mutated ({@link addCount} copies before growing). */
const NO_COUNTS: SmallCounts<never> = [];
const NO_CUES: readonly string[] = [];
const NO_KEYS: readonly number[] = [];

/** Position of `key` in the counter, or -1. */
export function indexOfKey<Key>(counts: SmallCounts<Key>, key: Key): number {
  for (let position = 0; position < counts.length; position += 2) {
    if (counts[position] === key) return position;
  }
  return -1;
}

/**
 * Adds one to `key`'s count; a new key is appended (into a new, exact-size array) only below `cap`
 * keys, else dropped. Returns the counter to keep: store it back.
 */
export function addCount<Key>(counts: SmallCounts<Key>, key: Key, cap: number): SmallCounts<Key> {
  const position = indexOfKey(counts, key);
  if (position >= 0) {
    (counts as (Key | number)[])[position + 1] = (counts[position + 1] as number) + 1;
    return counts;
  }
  return counts.length < cap * 2 ? counts.concat(key, 1) : counts;
}

/** Count of `key` (0 when absent). */
export function countOf<Key>(counts: SmallCounts<Key>, key: Key): number {
  const position = indexOfKey(counts, key);
  return position < 0 ? 0 : (counts[position + 1] as number);
}

/** Number of distinct keys counted. */
export function keyCount<Key>(counts: SmallCounts<Key>): number {
  return counts.length / 2;
}

/** Calls `visit` with each key and count, in first-seen order. */
export function forEachCount<Key>(
  counts: SmallCounts<Key>,
  visit: (key: Key, count: number) => void,
): void {
  for (let position = 0; position < counts.length; position += 2) {
    visit(counts[position] as Key, counts[position + 1] as number);
  }
}

/** Largest count (0 when empty). */
export function topCount<Key>(counts: SmallCounts<Key>): number {
  let top = 0;
  for (let position = 1; position < counts.length; position += 2) {
    const count = counts[position] as number;
    if (count > top) top = count;
  }
  return top;
}
