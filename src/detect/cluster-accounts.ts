import { louvainCommunities, type WeightedEdges } from './louvain-communities.js';
import { createUnionFind } from './union-find.js';

/** A shared value with the candidate accounts that carried it: one hub of the linkage graph. */
export interface LinkageHub {
  key: number;
  /** Strength of the link the value gives its members. */
  weight: number;
  members: readonly number[];
}

/** A connected community: its accounts and the hubs (shared values) that hold it together. */
export interface AccountCommunity {
  accounts: number[];
  hubs: number[];
}

export interface ClusterOptions {
  /** Louvain resolution (higher: smaller communities). */
  resolution?: number;
  seed?: number;
}

/**
 * Groups accounts into communities over a bipartite account–value graph: each shared value is a
 * hub node linked to the accounts that carried it (linear in memberships, where a clique per value
 * would be quadratic for a 20,000-account campaign). Louvain finds communities; a refinement step
 * then splits every community into its connected parts, because Louvain can return communities
 * that are not internally connected (Traag et al. 2019, the motivation for Leiden).
 * Deterministic: seeded, no random walk, nodes inserted in sorted order.
 *
 * @example
 * clusterAccounts([{ key: 1, weight: 1, members: [0, 1, 2] }]); // [{ accounts: [0, 1, 2], hubs: [1] }]
 */
export function clusterAccounts(
  hubs: readonly LinkageHub[],
  { resolution = 1, seed = 1 }: ClusterOptions = {},
): AccountCommunity[] {
  const sortedHubs = [...hubs].sort((a, b) => a.key - b.key);
  // Nodes numbered in insertion order (each hub, then its members not seen before), as Louvain's
  // result depends on it; `ids[node]` is the hub key or account it stands for.
  const ids: number[] = [];
  const isHub: boolean[] = [];
  const hubNodes = new Map<number, number>();
  const accountNodes = new Map<number, number>();
  const edges: WeightedEdges = { order: 0, sources: [], targets: [], weights: [] };
  const sources = edges.sources as number[];
  const targets = edges.targets as number[];
  const weights = edges.weights as number[];
  // Per account node, the last hub node linked to it and that edge: a repeated (hub, account)
  // pair keeps its first place and takes the later weight, as graphology's `mergeEdge` did.
  const lastHub: number[] = [];
  const lastEdge: number[] = [];
  const addNode = (id: number, hub: boolean): number => {
    ids.push(id);
    isHub.push(hub);
    lastHub.push(-1);
    lastEdge.push(-1);
    return ids.length - 1;
  };
  for (const hub of sortedHubs) {
    if (hub.members.length < 2 || hub.weight <= 0) continue;
    let hubNode = hubNodes.get(hub.key);
    if (hubNode === undefined) {
      hubNode = addNode(hub.key, true);
      hubNodes.set(hub.key, hubNode);
    }
    for (const account of hub.members) {
      let accountNode = accountNodes.get(account);
      if (accountNode === undefined) {
        accountNode = addNode(account, false);
        accountNodes.set(account, accountNode);
      }
      if (lastHub[accountNode] === hubNode) {
        weights[lastEdge[accountNode] as number] = hub.weight;
        continue;
      }
      lastHub[accountNode] = hubNode;
      lastEdge[accountNode] = sources.length;
      sources.push(hubNode);
      targets.push(accountNode);
      weights.push(hub.weight);
    }
  }
  if (sources.length === 0) return [];
  edges.order = ids.length;
  const assignment = louvainCommunities(edges, { resolution, seed });
  // Refinement: the parts of each community connected by edges inside it.
  const parts = createUnionFind(ids.length);
  for (let edge = 0; edge < sources.length; edge += 1) {
    const source = sources[edge] as number;
    const target = targets[edge] as number;
    if (assignment[source] === assignment[target]) parts.union(source, target);
  }
  const byPart = new Map<number, AccountCommunity>();
  for (let node = 0; node < ids.length; node += 1) {
    const root = parts.find(node);
    let part = byPart.get(root);
    if (!part) {
      part = { accounts: [], hubs: [] };
      byPart.set(root, part);
    }
    (isHub[node] ? part.hubs : part.accounts).push(ids[node] as number);
  }
  const communities: AccountCommunity[] = [];
  for (const part of byPart.values()) {
    if (part.accounts.length === 0) continue;
    part.accounts.sort((a, b) => a - b);
    part.hubs.sort((a, b) => a - b);
    communities.push(part);
  }
  return communities.sort((a, b) => (a.accounts[0] as number) - (b.accounts[0] as number));
}
