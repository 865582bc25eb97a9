import { LINKAGE_KEY_TYPES } from './linkage-key-type.js';

/**
 * Cross-account index: every shared value (an IP, a subnet, a payment fingerprint, a template
 * hash, …) interned to a key id, with the accounts that carried it. Member lists are capped:
 * beyond the cap only the count grows, because a value shared by a huge population (a mobile
 * carrier's NAT, a popular SDK's user agent) is weak evidence anyway and purity falls with it.
 */
export interface LinkageIndex {
  /** Interns a value of a key type; returns its key id. */
  intern(typeIndex: number, value: string): number;
  /** Records that an account (new to the key: callers dedupe) carried it at a time. */
  addMember(keyId: number, account: number, timeMs: number): void;
  /** Counts an exchange carrying the key (for indicators). */
  touch(keyId: number, timeMs: number): void;
  typeOf(keyId: number): number;
  valueOf(keyId: number): string;
  /** Stored members (at most the cap). */
  members(keyId: number): readonly number[];
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
  lastSeenMs(keyId: number): number;
  readonly size: number;
}

export function createLinkageIndex({
  maxMembers = 2048,
}: {
  maxMembers?: number;
} = {}): LinkageIndex {
  const ids = LINKAGE_KEY_TYPES.map(() => new Map<string, number>());
  const types: number[] = [];
  const values: string[] = [];
  const members: number[][] = [];
  const counts: number[] = [];
  const exchanges: number[] = [];
  const firstSeen: number[] = [];
  const lastSeen: number[] = [];
  const inGraph: number[] = [];
  const activeCounts: number[] = [];
  const active = new Set<number>();
  return {
    intern(typeIndex, value) {
      const byValue = ids[typeIndex];
      if (!byValue) throw new RangeError(`unknown key type ${typeIndex}`);
      let id = byValue.get(value);
      if (id === undefined) {
        id = types.length;
        byValue.set(value, id);
        types.push(typeIndex);
        values.push(value);
        members.push([]);
        counts.push(0);
        exchanges.push(0);
        firstSeen.push(Number.POSITIVE_INFINITY);
        lastSeen.push(Number.NEGATIVE_INFINITY);
        inGraph.push(0);
        activeCounts.push(0);
      }
      return id;
    },
    addMember(keyId, account, timeMs) {
      const list = members[keyId] as number[];
      counts[keyId] = (counts[keyId] as number) + 1;
      if (list.length < maxMembers) list.push(account);
      if (timeMs < (firstSeen[keyId] as number)) firstSeen[keyId] = timeMs;
    },
    touch(keyId, timeMs) {
      exchanges[keyId] = (exchanges[keyId] as number) + 1;
      if (timeMs > (lastSeen[keyId] as number)) lastSeen[keyId] = timeMs;
      if (timeMs < (firstSeen[keyId] as number)) firstSeen[keyId] = timeMs;
    },
    typeOf: (keyId) => types[keyId] as number,
    valueOf: (keyId) => values[keyId] as string,
    members: (keyId) => members[keyId] ?? [],
    accountCount: (keyId) => counts[keyId] ?? 0,
    exchangeCount: (keyId) => exchanges[keyId] ?? 0,
    firstSeenMs: (keyId) => firstSeen[keyId] ?? Number.NaN,
    graphMembers: (keyId) => inGraph[keyId] ?? 0,
    adjustGraphMembers(keyId, delta) {
      const count = (inGraph[keyId] as number) + delta;
      inGraph[keyId] = count;
      if (count >= 2) active.add(keyId);
      else active.delete(keyId);
    },
    activeKeys: () => active,
    activeMembers: (keyId) => activeCounts[keyId] ?? 0,
    addActiveMember(keyId) {
      activeCounts[keyId] = (activeCounts[keyId] as number) + 1;
    },
    lastSeenMs: (keyId) => lastSeen[keyId] ?? Number.NaN,
    get size() {
      return types.length;
    },
  };
}
