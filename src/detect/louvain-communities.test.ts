import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { createSeededRandom } from '../shared/create-seeded-random.js';
import { louvainCommunities, type WeightedEdges } from './louvain-communities.js';

type Louvain = typeof louvainModule.default;
const louvain = louvainModule as unknown as Louvain;

/** A random bipartite hub–account graph, edges in a random order, no repeated pair. */
function randomEdges(seed: number, hubs: number, accounts: number, edgeCount: number) {
  const random = createSeededRandom(seed);
  const edges: WeightedEdges & { sources: number[]; targets: number[]; weights: number[] } = {
    order: hubs + accounts,
    sources: [],
    targets: [],
    weights: [],
  };
  const seen = new Set<number>();
  for (let tries = 0; tries < edgeCount * 4 && edges.sources.length < edgeCount; tries += 1) {
    const hub = Math.floor(random() * hubs);
    const account = hubs + Math.floor(random() * accounts);
    if (seen.has(hub * edges.order + account)) continue;
    seen.add(hub * edges.order + account);
    const [source, target] = random() < 0.5 ? [hub, account] : [account, hub];
    edges.sources.push(source);
    edges.targets.push(target);
    edges.weights.push(0.05 + Math.floor(random() * 40) / 10);
  }
  return edges;
}

/** The same graph as a graphology graph, through the package's own entry point. */
function throughGraphology(edges: WeightedEdges, resolution: number, seed: number): number[] {
  const graph = new UndirectedGraph({ allowSelfLoops: false });
  for (let node = 0; node < edges.order; node += 1) graph.addNode(String(node));
  edges.sources.forEach((source, edge) => {
    graph.addEdge(String(source), String(edges.targets[edge]), { weight: edges.weights[edge] });
  });
  const assignment = louvain(graph, {
    getEdgeWeight: 'weight',
    resolution,
    randomWalk: false,
    rng: createSeededRandom(seed),
  });
  return Array.from({ length: edges.order }, (_, node) => assignment[String(node)] as number);
}

const cases = [
  { name: 'empty', seed: 1, hubs: 3, accounts: 4, edges: 0, resolution: 1 },
  { name: 'small, sparse', seed: 2, hubs: 10, accounts: 30, edges: 35, resolution: 1 },
  { name: 'dense', seed: 3, hubs: 20, accounts: 40, edges: 400, resolution: 1 },
  { name: 'large, several levels', seed: 4, hubs: 400, accounts: 1500, edges: 4000, resolution: 1 },
  { name: 'high resolution', seed: 5, hubs: 200, accounts: 600, edges: 1500, resolution: 2.5 },
  { name: 'low resolution', seed: 6, hubs: 200, accounts: 600, edges: 1500, resolution: 0.3 },
];

for (const { name, seed, hubs, accounts, edges: edgeCount, resolution } of cases) {
  test(`louvainCommunities: the package's own result on a graphology graph (${name})`, () => {
    const edges = randomEdges(seed, hubs, accounts, edgeCount);
    const communities = louvainCommunities(edges, { resolution, seed: 7 });
    assert.deepEqual(communities, throughGraphology(edges, resolution, 7));
    if (edgeCount > 100) assert.ok(new Set(communities).size > 1, 'a trivial partition');
  });
}

test("louvainCommunities: the package's own result with the edges in reverse order", () => {
  const edges = randomEdges(4, 400, 1500, 4000);
  const reversed = {
    order: edges.order,
    sources: [...edges.sources].reverse(),
    targets: [...edges.targets].reverse(),
    weights: [...edges.weights].reverse(),
  };
  assert.deepEqual(
    louvainCommunities(reversed, { resolution: 1, seed: 7 }),
    throughGraphology(reversed, 1, 7),
  );
});
