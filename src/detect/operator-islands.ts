import { LINKAGE_KEY_TYPES } from './linkage-key-type.js';
import { createUnionFind } from './union-find.js';

/** Accounts of a community joined to each other by operator-controlled values alone. */
export interface OperatorIsland {
  accounts: number[];
  /** Held together by shared identity (payment, sign-up batch) as well, not by addresses only. */
  identity: boolean;
}

const OPERATOR = LINKAGE_KEY_TYPES.map((type) => type.operator);
const IDENTITY = LINKAGE_KEY_TYPES.map((type) => type.family === 'identity');

/**
 * Splits a community into the parts its operator-controlled hubs (addresses, proxy subnets,
 * payment, sign-up batches) connect, ignoring software, content and affiliation hubs. A campaign
 * is one island or several tied by the operator's own identity; a campus NAT that Louvain attached
 * through a public template is an island of its own, with addresses but no identity, which is
 * how `acceptCommunity` tells it apart. O(memberships) with union–find.
 *
 * @example
 * // accounts 1 and 2 share a payment card (key 7), account 3 only a template (key 9) with 2
 * operatorIslands([1, 2, 3], (a) => ({ 1: [7], 2: [7, 9], 3: [9] })[a], new Set([7, 9]), typeOf);
 * // → [{ accounts: [1, 2], identity: true }, { accounts: [3], identity: false }]
 */
export function operatorIslands(
  accounts: readonly number[],
  keysOf: (account: number) => Iterable<number>,
  hubs: ReadonlySet<number>,
  typeOf: (keyId: number) => number,
): OperatorIsland[] {
  const sets = createUnionFind(accounts.length);
  /** Operator hub → first carrier's position, and identity hubs with two or more carriers. */
  const firstCarrier = new Map<number, number>();
  const sharedIdentity = new Set<number>();
  accounts.forEach((account, position) => {
    for (const keyId of keysOf(account)) {
      if (!hubs.has(keyId)) continue;
      const typeIndex = typeOf(keyId);
      if (!OPERATOR[typeIndex]) continue;
      const first = firstCarrier.get(keyId);
      if (first === undefined) {
        firstCarrier.set(keyId, position);
        continue;
      }
      if (IDENTITY[typeIndex]) sharedIdentity.add(keyId);
      sets.union(first, position);
    }
  });
  const identityRoots = new Set<number>();
  for (const keyId of sharedIdentity)
    identityRoots.add(sets.find(firstCarrier.get(keyId) as number));
  const byRoot = new Map<number, number[]>();
  accounts.forEach((account, position) => {
    const root = sets.find(position);
    const island = byRoot.get(root);
    if (island) island.push(account);
    else byRoot.set(root, [account]);
  });
  return [...byRoot].map(([root, members]) => ({
    accounts: members,
    identity: identityRoots.has(root),
  }));
}
