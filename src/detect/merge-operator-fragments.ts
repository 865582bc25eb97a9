import type { AcceptedCommunity } from './accept-community.js';
import type { KeyFamily } from './linkage-key-type.js';
import { createUnionFind } from './union-find.js';

/**
 * Carriers a value needs on each side: one account Louvain misplaced (an operator-b account in an
 * operator-c community) must not weld two operators together through its own card.
 */
const MIN_CARRIERS = 2;

/**
 * Joins accepted communities whose members share one of the operator's own identity values (a
 * payment card): pieces of one operator. Modularity has a resolution limit, so Louvain cuts a
 * large, well-mixed operator (14,000 accounts drawing at random from 280 cards and 175 proxy
 * subnets) into dozens of communities, each as internally dense as the whole; a card carried on
 * both sides of a cut is the operator's, whoever's community its hub node landed in. Two
 * operators do not pay with one card, where they may share a residential proxy's subnet or a stock
 * system prompt, so only `joins` values merge, and only when each side holds two of its
 * carriers. Deterministic: the result keeps the order of each group's first community, accounts
 * and hubs sorted. O(memberships) with union–find.
 *
 * @example
 * // communities 0 and 1 each hold two carriers of card 7: one operator
 * mergeOperatorFragments([a, b, c], keysOf, (keyId) => keyId === 7); // [a ∪ b, c]
 */
export function mergeOperatorFragments(
  communities: readonly AcceptedCommunity[],
  keysOf: (account: number) => Iterable<number>,
  joins: (keyId: number) => boolean,
): AcceptedCommunity[] {
  if (communities.length < 2) return [...communities];
  const sets = createUnionFind(communities.length);
  // Per value: its carriers in the community at hand, and the first community holding two.
  const carriersHere = new Map<number, number>();
  const firstCommunity = new Map<number, number>();
  communities.forEach((community, position) => {
    carriersHere.clear();
    for (const account of community.accounts) {
      for (const keyId of keysOf(account)) {
        if (!joins(keyId)) continue;
        const carriers = (carriersHere.get(keyId) ?? 0) + 1;
        carriersHere.set(keyId, carriers);
        if (carriers !== MIN_CARRIERS) continue;
        const first = firstCommunity.get(keyId);
        if (first === undefined) {
          firstCommunity.set(keyId, position);
          continue;
        }
        sets.union(first, position);
      }
    }
  });
  const groups = new Map<number, AcceptedCommunity[]>();
  communities.forEach((community, position) => {
    const root = sets.find(position);
    const group = groups.get(root);
    if (group) group.push(community);
    else groups.set(root, [community]);
  });
  return [...groups.values()].map((group) =>
    group.length === 1 ? (group[0] as AcceptedCommunity) : merge(group),
  );
}

function merge(group: readonly AcceptedCommunity[]): AcceptedCommunity {
  const accounts: number[] = [];
  const hubs = new Set<number>();
  const families = new Set<KeyFamily>();
  let scoreSum = 0;
  for (const community of group) {
    for (const account of community.accounts) accounts.push(account);
    for (const keyId of community.hubs) hubs.add(keyId);
    for (const family of community.families) families.add(family);
    scoreSum += community.meanScore * community.accounts.length;
  }
  accounts.sort((a, b) => a - b);
  return {
    accounts,
    hubs: [...hubs].sort((a, b) => a - b),
    families,
    meanScore: scoreSum / accounts.length,
  };
}
