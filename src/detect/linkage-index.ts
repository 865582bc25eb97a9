import { LINKAGE_KEY_TYPES } from './linkage-key-type.js';
import { refill, type StatefulPart } from './part-state.js';
import { createStringTable } from './string-table.js';

/**
 * Cross-account index: every shared value (an IP, a subnet, a payment fingerprint, a template
 * hash, …) interned to a key id, with the accounts that carried it. Member lists are capped:
 * beyond the cap only the count grows, because a value shared by a huge population (a mobile
 * carrier's NAT, a popular SDK's user agent) is weak evidence anyway and purity falls with it.
 */
export interface LinkageIndex extends StatefulPart {
  /** Interns a value of a key type; returns its key id. */
  intern(typeIndex: number, value: string): number;
  /** The key id of a value already interned, else -1 (adds nothing). */
  find(typeIndex: number, value: string): number;
  /** Records that an account (new to the key: callers dedupe) carried it at a time. */
  addMember(keyId: number, account: number, timeMs: number): void;
  /** Counts an exchange carrying the key (for indicators). */
  touch(keyId: number, timeMs: number): void;
  typeOf(keyId: number): number;
  valueOf(keyId: number): string;
  /** Stored members (at most the cap). */
  members(keyId: number): readonly number[];
  /** The first `limit` stored members, without copying the rest (the fitted model's features). */
  firstMembers(keyId: number, limit: number): readonly number[];
  /** Distinct accounts that carried the key, including those beyond the cap. */
  accountCount(keyId: number): number;
  exchangeCount(keyId: number): number;
  firstSeenMs(keyId: number): number;
  /** Accounts carrying the key that are in the linkage graph (maintained by the caller). */
  graphMembers(keyId: number): number;
  adjustGraphMembers(keyId: number, delta: number): void;
  /** Accounts carrying the key that have sent at least one exchange (maintained by the caller). */
  activeMembers(keyId: number): number;
  addActiveMember(keyId: number): void;
  /** Keys carried by at least two graph accounts, in the order they became so. */
  activeKeys(): Iterable<number>;
  /** Graph accounts carrying the key that no campaign holds yet (maintained by the caller). */
  unattachedMembers(keyId: number): number;
  adjustUnattachedMembers(keyId: number, delta: number): void;
  /** Keys carried by at least two unattached graph accounts, in the order they became so. */
  unattachedKeys(): Iterable<number>;
  lastSeenMs(keyId: number): number;
  readonly size: number;
}

/** Key ids the typed columns are first sized for; they grow by half when full. */
const INITIAL_CAPACITY = 1024;

/**
 * Column store: one typed array per attribute, indexed by key id. Most keys (a prompt template,
 * an address) have one carrier, so that carrier is stored inline and a member list is allocated
 * only for the second; at seed scale that is millions of keys without an object each.
 */
export function createLinkageIndex({
  maxMembers = 2048,
}: {
  maxMembers?: number;
} = {}): LinkageIndex {
  const table = createStringTable();
  /** Members beyond the first, per key (undefined: at most one). */
  const moreMembers: (number[] | undefined)[] = [];
  let size = 0;
  let capacity = INITIAL_CAPACITY;
  let firstMember = new Int32Array(capacity);
  let counts = new Int32Array(capacity);
  let exchanges = new Float64Array(capacity);
  let firstSeen = new Float64Array(capacity);
  let lastSeen = new Float64Array(capacity);
  let inGraph = new Int32Array(capacity);
  let activeCounts = new Int32Array(capacity);
  let unattachedCounts = new Int32Array(capacity);
  const active = new Set<number>();
  const unattached = new Set<number>();

  const grow = (): void => {
    capacity = Math.ceil(capacity * 1.5);
    const widen = <T extends Int32Array | Float64Array>(column: T, make: T): T => {
      make.set(column);
      return make;
    };
    firstMember = widen(firstMember, new Int32Array(capacity));
    counts = widen(counts, new Int32Array(capacity));
    exchanges = widen(exchanges, new Float64Array(capacity));
    firstSeen = widen(firstSeen, new Float64Array(capacity));
    lastSeen = widen(lastSeen, new Float64Array(capacity));
    inGraph = widen(inGraph, new Int32Array(capacity));
    activeCounts = widen(activeCounts, new Int32Array(capacity));
    unattachedCounts = widen(unattachedCounts, new Int32Array(capacity));
  };

  const valid = (keyId: number): boolean => keyId >= 0 && keyId < size;

  /** Moves a per-key count; `linked` holds the keys whose count is at least two. */
  const adjustCount = (
    column: Int32Array,
    linked: Set<number>,
    keyId: number,
    delta: number,
  ): void => {
    const count = (column[keyId] as number) + delta;
    column[keyId] = count;
    if (count >= 2) linked.add(keyId);
    else linked.delete(keyId);
  };

  const exportState = () => ({
    table: table.exportState(),
    moreMembers,
    size,
    capacity,
    firstMember,
    counts,
    exchanges,
    firstSeen,
    lastSeen,
    inGraph,
    activeCounts,
    unattachedCounts,
    active,
    unattached,
  });
  return {
    exportState,
    importState(state) {
      const restored = state as ReturnType<typeof exportState>;
      table.importState(restored.table);
      refill(moreMembers, restored.moreMembers);
      ({
        size,
        capacity,
        firstMember,
        counts,
        exchanges,
        firstSeen,
        lastSeen,
        inGraph,
        activeCounts,
        unattachedCounts,
      } = restored);
      refill(active, restored.active);
      refill(unattached, restored.unattached);
    },
    intern(typeIndex, value) {
      if (!(typeIndex >= 0 && typeIndex < LINKAGE_KEY_TYPES.length))
        throw new RangeError(`unknown key type ${typeIndex}`);
      const id = table.intern(typeIndex, value);
      if (id === size) {
        if (id === capacity) grow();
        size += 1;
        moreMembers.push(undefined);
        firstMember[id] = -1;
        firstSeen[id] = Number.POSITIVE_INFINITY;
        lastSeen[id] = Number.NEGATIVE_INFINITY;
      }
      return id;
    },
    find: (typeIndex, value) => table.find(typeIndex, value),
    addMember(keyId, account, timeMs) {
      const stored = counts[keyId] as number;
      counts[keyId] = stored + 1;
      if (stored === 0) firstMember[keyId] = account;
      else if (stored < maxMembers) {
        const list = moreMembers[keyId];
        if (list === undefined) moreMembers[keyId] = [account];
        else if (list.length + 1 < maxMembers) list.push(account);
      }
      if (timeMs < (firstSeen[keyId] as number)) firstSeen[keyId] = timeMs;
    },
    touch(keyId, timeMs) {
      exchanges[keyId] = (exchanges[keyId] as number) + 1;
      if (timeMs > (lastSeen[keyId] as number)) lastSeen[keyId] = timeMs;
      if (timeMs < (firstSeen[keyId] as number)) firstSeen[keyId] = timeMs;
    },
    typeOf: (keyId) => table.namespaceOf(keyId),
    valueOf: (keyId) => table.valueOf(keyId),
    members(keyId) {
      if (!valid(keyId) || counts[keyId] === 0) return [];
      const first = firstMember[keyId] as number;
      const more = moreMembers[keyId];
      return more === undefined ? [first] : [first, ...more];
    },
    firstMembers(keyId, limit) {
      if (!valid(keyId) || counts[keyId] === 0 || limit <= 0) return [];
      const more = moreMembers[keyId];
      const first = firstMember[keyId] as number;
      return more === undefined ? [first] : [first, ...more.slice(0, limit - 1)];
    },
    accountCount: (keyId) => (valid(keyId) ? (counts[keyId] as number) : 0),
    exchangeCount: (keyId) => (valid(keyId) ? (exchanges[keyId] as number) : 0),
    firstSeenMs: (keyId) => (valid(keyId) ? (firstSeen[keyId] as number) : Number.NaN),
    graphMembers: (keyId) => (valid(keyId) ? (inGraph[keyId] as number) : 0),
    adjustGraphMembers: (keyId, delta) => adjustCount(inGraph, active, keyId, delta),
    activeKeys: () => active,
    unattachedMembers: (keyId) => (valid(keyId) ? (unattachedCounts[keyId] as number) : 0),
    adjustUnattachedMembers: (keyId, delta) =>
      adjustCount(unattachedCounts, unattached, keyId, delta),
    unattachedKeys: () => unattached,
    activeMembers: (keyId) => (valid(keyId) ? (activeCounts[keyId] as number) : 0),
    addActiveMember(keyId) {
      activeCounts[keyId] = (activeCounts[keyId] as number) + 1;
    },
    lastSeenMs: (keyId) => (valid(keyId) ? (lastSeen[keyId] as number) : Number.NaN),
    get size() {
      return size;
    },
  };
}
