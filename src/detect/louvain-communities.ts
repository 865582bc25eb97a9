import louvainModule from 'graphology-communities-louvain';
import { createSeededRandom } from '../shared/create-seeded-random.js';

// The package is CommonJS whose typings declare an ES default export: under NodeNext the default
// import is the function itself at run time, while TypeScript sees a namespace holding `default`.
type Louvain = typeof louvainModule.default;
const louvain = louvainModule as unknown as Louvain;

/** An undirected weighted graph over nodes `0 … order − 1`, without self-loops or repeated edges. */
export interface WeightedEdges {
  order: number;
  /** One entry per edge, in insertion order (Louvain's result depends on it). */
  sources: readonly number[];
  targets: readonly number[];
  weights: readonly number[];
}

export interface LouvainOptions {
  resolution: number;
  seed: number;
}

/**
 * Louvain communities (graphology-communities-louvain, no random walk, seeded) of a graph given as
 * arrays: the community of every node. The result is the one the package returns for a graphology
 * `UndirectedGraph` with nodes `0 … order − 1` added in order and the edges in order.
 *
 * Why not build that graph: the package reads a graph only to fill its own typed index
 * (`UndirectedLouvainIndex`: `order`, `size`, `selfLoopCount`, `forEachNode`, the degree of each
 * node, `forEachEdge` in insertion order), while building a graphology graph (a keyed object per
 * node and edge, neighbour maps) cost more than Louvain itself: 5.5 % of `analyze` against 1.5 %
 * on quickstart seed 2. So the graph is handed over as a read-only view answering just those
 * calls; `louvain-communities.test.ts` checks the result against a real graphology graph.
 *
 * @example
 * louvainCommunities({ order: 3, sources: [0, 0], targets: [1, 2], weights: [1, 1] }, { resolution: 1, seed: 1 });
 * // [0, 0, 0]
 */
export function louvainCommunities(
  { order, sources, targets, weights }: WeightedEdges,
  { resolution, seed }: LouvainOptions,
): number[] {
  const degrees = new Int32Array(order);
  for (let edge = 0; edge < sources.length; edge += 1) {
    const source = sources[edge] as number;
    const target = targets[edge] as number;
    degrees[source] = (degrees[source] as number) + 1;
    degrees[target] = (degrees[target] as number) + 1;
  }
  const view = {
    type: 'undirected',
    multi: false,
    order,
    size: sources.length,
    selfLoopCount: 0,
    // Present only so the package's duck-typed `isGraph` accepts the view; never called.
    addUndirectedEdgeWithKey: readOnly,
    dropNode: readOnly,
    forEachNode(callback: (node: number) => void): void {
      for (let node = 0; node < order; node += 1) callback(node);
    },
    undirectedDegreeWithoutSelfLoops: (node: number): number => degrees[node] as number,
    forEachEdge(
      callback: (edge: number, attributes: undefined, source: number, target: number) => void,
    ): void {
      for (let edge = 0; edge < sources.length; edge += 1)
        callback(edge, undefined, sources[edge] as number, targets[edge] as number);
    },
  };
  const assignment = louvain(view as unknown as Parameters<Louvain>[0], {
    getEdgeWeight: (edge) => weights[Number(edge)] as number,
    resolution,
    randomWalk: false,
    rng: createSeededRandom(seed),
  }) as unknown as Record<number, number>;
  const communities = new Array<number>(order);
  for (let node = 0; node < order; node += 1) communities[node] = assignment[node] as number;
  return communities;
}

function readOnly(): never {
  throw new Error('louvainCommunities: the graph view is read-only');
}
