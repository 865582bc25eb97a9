import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { createSeededRandom } from '../shared/create-seeded-random.js';

// The package is CommonJS whose typings declare an ES default export: under NodeNext the default
// import is the function itself at run time, while TypeScript sees a namespace holding `default`.
type Louvain = typeof louvainModule.default;
const louvain = louvainModule as unknown as Louvain;

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
  const graph = new UndirectedGraph({ allowSelfLoops: false });
  const sortedHubs = [...hubs].sort((a, b) => a.key - b.key);
  for (const hub of sortedHubs) {
    if (hub.members.length < 2 || hub.weight <= 0) continue;
    const hubNode = `k${hub.key}`;
    graph.mergeNode(hubNode);
    for (const account of hub.members) {
      const accountNode = `a${account}`;
      graph.mergeNode(accountNode);
      graph.mergeEdge(hubNode, accountNode, { weight: hub.weight });
    }
  }
  if (graph.size === 0) return [];
  const assignment = louvain(graph, {
    getEdgeWeight: 'weight',
    resolution,
    randomWalk: false,
    rng: createSeededRandom(seed),
  });
  const byCommunity = new Map<number, string[]>();
  graph.forEachNode((node) => {
    const community = assignment[node] ?? -1;
    const nodes = byCommunity.get(community);
    if (nodes) nodes.push(node);
    else byCommunity.set(community, [node]);
  });
  const communities: AccountCommunity[] = [];
  for (const nodes of byCommunity.values()) {
    for (const part of connectedParts(graph, nodes, assignment)) {
      const accounts: number[] = [];
      const hubKeys: number[] = [];
      for (const node of part) {
        const id = Number(node.slice(1));
        if (node.startsWith('a')) accounts.push(id);
        else hubKeys.push(id);
      }
      if (accounts.length === 0) continue;
      accounts.sort((a, b) => a - b);
      hubKeys.sort((a, b) => a - b);
      communities.push({ accounts, hubs: hubKeys });
    }
  }
  return communities.sort((a, b) => (a.accounts[0] as number) - (b.accounts[0] as number));
}

/** Splits a community's nodes into the parts connected by edges inside the community. */
function connectedParts(
  graph: UndirectedGraph,
  nodes: readonly string[],
  assignment: Readonly<Record<string, number>>,
): string[][] {
  const seen = new Set<string>();
  const parts: string[][] = [];
  for (const start of nodes) {
    if (seen.has(start)) continue;
    const community = assignment[start];
    const part: string[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const node = stack.pop() as string;
      part.push(node);
      graph.forEachNeighbor(node, (neighbour) => {
        if (!seen.has(neighbour) && assignment[neighbour] === community) {
          seen.add(neighbour);
          stack.push(neighbour);
        }
      });
    }
    parts.push(part);
  }
  return parts;
}
