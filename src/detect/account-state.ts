import type { AccountRecord } from '../log/exchange.js';
import { EXIT_KIND_INDEX, EXIT_KINDS } from './exit-kind.js';
import { LINKAGE_KEY_TYPES } from './linkage-key-type.js';
import type { PeerIndicatorMatch } from './peer-indicator-matcher.js';
import { CAPABILITIES } from './prompt/capability.js';

/** How an account came to be flagged. */
export type FlagSource =
  | 'cluster'
  | 'affinity'
  | 'reseller'
  | 'peer'
  | 'evasion'
  | 'model'
  | 'tenant';

/**
 * Traffic on an account from another client than its first (`thresholds.secondTenant`): what a
 * stolen key's thief sends beside its owner (`second-tenant.ts`). Allocated on the first such
 * exchange only; most accounts keep one client and never hold one.
 */
export interface KeyTenant {
  exchanges: number;
  cues: number;
  /** The other clients' distinct /24 (/48) exits (capped). */
  subnets: string[];
  /** Of those, exits through residential or unknown-kind networks (`second-tenant.ts`). */
  pooledSubnets: number;
  /** An exit the first client also used: the same person on a new client, not a second party. */
  sharesOwnerNetwork: boolean;
  firstMs: number;
  /** First-client exchanges after the other client began (the owner still using the key). */
  ownerAfter: number;
  /**
   * The other client's last request time and /24 (/48), and its moves to another residential or
   * /24 within minutes of its previous request (`handed-over.ts`): a proxy pool's
   * hops. Absent in a tenant restored from a state written before them: counted from then on.
   */
  lastMs?: number;
  lastSubnet?: string;
  hops?: number;
}

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
  /**
   * Requests per exit kind ({@link EXIT_KINDS} order), as the IP→ASN table labels each request's
   * address: all `unknown` without a table.
   */
  exitRequests: Uint32Array;
  /**
   * Distinct /24 (/48) exits per exit kind among the subnets the account keeps (sign-up address
   * and requests, up to the subnet cap): how widely it rotates within each kind.
   */
  exitSubnets: Uint8Array;
  /** Cache of the last client values and their key ids: most accounts keep one address and client. */
  lastIp: string | undefined;
  lastIpKeys: readonly number[];
  /** Exit kind of `lastIp`. */
  lastExitKind: number;
  lastClient: (string | undefined)[];
  lastClientKeys: number[];
  /** The last template hash and its key id (templates are always interned, never -1 here). */
  lastTemplate: string | undefined;
  lastTemplateKey: number;
  /** `flaggedMs` as RFC 3339, computed once. */
  flaggedAt: string | null;
  /** The first exchange's client (user agent and TLS fingerprint), and its exits (capped). */
  ownerAgent: string | undefined;
  ownerTls: string | undefined;
  ownerSubnets: readonly string[];
  tenant: KeyTenant | undefined;
}

/** Account counters per slab: one backing store for thousands of accounts' small arrays. */
const SLAB_ACCOUNTS = 4096;
const CAPABILITY_BYTES = CAPABILITIES.length * 4;
const HOURS_BYTES = 24 * 2;
const KEY_TYPES_BYTES = Math.ceil(LINKAGE_KEY_TYPES.length / 4) * 4;
const EXIT_REQUESTS_BYTES = EXIT_KINDS.length * 4;
const EXIT_SUBNETS_BYTES = Math.ceil(EXIT_KINDS.length / 4) * 4;
const ACCOUNT_BYTES =
  CAPABILITY_BYTES + HOURS_BYTES + KEY_TYPES_BYTES + EXIT_REQUESTS_BYTES + EXIT_SUBNETS_BYTES;
let slab = new ArrayBuffer(0);
let slabOffset = 0;

/** Views on a shared slab: a typed array of its own per counter costs a backing store each. */
function allocateCounters(): {
  capabilities: Uint32Array;
  hours: Uint16Array;
  keysPerType: Uint8Array;
  exitRequests: Uint32Array;
  exitSubnets: Uint8Array;
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
    exitRequests: new Uint32Array(
      slab,
      at + CAPABILITY_BYTES + HOURS_BYTES + KEY_TYPES_BYTES,
      EXIT_KINDS.length,
    ),
    exitSubnets: new Uint8Array(
      slab,
      at + CAPABILITY_BYTES + HOURS_BYTES + KEY_TYPES_BYTES + EXIT_REQUESTS_BYTES,
      EXIT_KINDS.length,
    ),
  };
}

export function createAccountState(index: number, id: string): AccountState {
  const { capabilities, hours, keysPerType, exitRequests, exitSubnets } = allocateCounters();
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
    exitRequests,
    exitSubnets,
    lastIp: undefined,
    lastIpKeys: NO_KEYS,
    lastExitKind: EXIT_KIND_INDEX.unknown,
    lastClient: [undefined, undefined, undefined],
    lastClientKeys: [-1, -1, -1],
    lastTemplate: undefined,
    lastTemplateKey: -1,
    flaggedAt: null,
    ownerAgent: undefined,
    ownerTls: undefined,
    ownerSubnets: NO_SUBNETS,
    tenant: undefined,
  };
}

/**
 * Brings an account state of detector state version 2 (before the exit-kind counters and the
 * client split of `second-tenant.ts`) up to this build's in place: the exit-kind counters and the
 * client split start empty, and the cached address is dropped so the next
 * request looks its kind up (its keys are already kept: nothing is counted twice).
 */
export function upgradeAccountState(state: AccountState): void {
  const earlier = state as Partial<AccountState>;
  // Exchanges per /24 start from the next request (the home-network pass reads them).
  if (earlier.subnetExchanges === undefined) state.subnetExchanges = NO_COUNTS;
  if (earlier.ownerSubnets === undefined) {
    // Before the client split: the next exchange's client is taken as the owner's.
    state.ownerAgent = undefined;
    state.ownerTls = undefined;
    state.ownerSubnets = NO_SUBNETS;
    state.tenant = undefined;
  }
  if (earlier.exitRequests !== undefined && earlier.exitSubnets !== undefined) return;
  state.exitRequests = new Uint32Array(EXIT_KINDS.length);
  state.exitSubnets = new Uint8Array(EXIT_KINDS.length);
  state.lastExitKind = EXIT_KIND_INDEX.unknown;
  state.lastIp = undefined;
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
const NO_SUBNETS: readonly string[] = [];

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
