import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { createSeededRandom } from '../shared/create-seeded-random.js';
import { type AccountCommunity, clusterAccounts, type LinkageHub } from './cluster-accounts.js';
import { matchCampaigns } from './match-campaigns.js';

const hub = (key: number, members: number[], weight = 1): LinkageHub => ({ key, weight, members });

test('clusterAccounts: two campaigns sharing nothing stay apart', () => {
  const communities = clusterAccounts([
    hub(1, [0, 1, 2, 3]),
    hub(2, [0, 1, 2, 3]),
    hub(3, [10, 11, 12]),
    hub(4, [10, 11, 12]),
  ]);
  assert.deepEqual(
    communities.map((community) => community.accounts),
    [
      [0, 1, 2, 3],
      [10, 11, 12],
    ],
  );
});

test('clusterAccounts: a weak bridge (one shared NAT address) does not merge two dense campaigns', () => {
  const hubs: LinkageHub[] = [];
  for (let key = 0; key < 6; key += 1) hubs.push(hub(key, [0, 1, 2, 3, 4, 5, 6, 7], 2));
  for (let key = 10; key < 16; key += 1) hubs.push(hub(key, [20, 21, 22, 23, 24, 25, 26, 27], 2));
  hubs.push(hub(99, [7, 20], 0.2));
  const communities = clusterAccounts(hubs);
  const groups = communities
    .map((community) => community.accounts)
    .filter((accounts) => accounts.length > 1);
  assert.equal(groups.length, 2);
  assert.ok(
    groups.some(
      (accounts) => accounts.includes(0) && accounts.includes(7) && !accounts.includes(20),
    ),
  );
  assert.ok(
    groups.some(
      (accounts) => accounts.includes(20) && accounts.includes(27) && !accounts.includes(7),
    ),
  );
});

test('clusterAccounts: every community is connected (refinement splits disconnected parts)', () => {
  const hubs: LinkageHub[] = [];
  // Chains and stars of varied weights: whatever Louvain returns, each output part must be connected.
  for (let key = 0; key < 40; key += 1) hubs.push(hub(key, [key, key + 1], 1 + (key % 3)));
  for (let key = 40; key < 50; key += 1) hubs.push(hub(key, [100 + key, 200 + key, 300], 0.5));
  const communities = clusterAccounts(hubs);
  const adjacency = new Map<number, Set<number>>();
  for (const { members } of hubs) {
    for (const a of members)
      for (const b of members)
        if (a !== b) adjacency.set(a, (adjacency.get(a) ?? new Set()).add(b));
  }
  for (const { accounts } of communities) {
    const inside = new Set(accounts);
    const seen = new Set([accounts[0]]);
    const stack = [accounts[0] as number];
    while (stack.length > 0) {
      for (const next of adjacency.get(stack.pop() as number) ?? []) {
        if (inside.has(next) && !seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    assert.equal(seen.size, accounts.length, `community ${accounts.join(',')} is not connected`);
  }
  const covered = communities.flatMap((community) => community.accounts).sort((a, b) => a - b);
  assert.equal(new Set(covered).size, covered.length, 'an account is in two communities');
});

test('clusterAccounts: deterministic for the same input', () => {
  const hubs = Array.from({ length: 30 }, (_, key) =>
    hub(key, [key % 7, (key * 3) % 11, ((key * 5) % 13) + 20], 1),
  );
  assert.deepEqual(clusterAccounts(hubs), clusterAccounts([...hubs].reverse()));
});

test('clusterAccounts: empty and single-member hubs give no communities', () => {
  assert.deepEqual(clusterAccounts([]), []);
  assert.deepEqual(clusterAccounts([hub(1, [5])]), []);
});

type Louvain = typeof louvainModule.default;
const louvain = louvainModule as unknown as Louvain;

/** The former implementation (a graphology graph, merged node by node), kept as the reference. */
function clusterThroughGraphology(hubs: readonly LinkageHub[]): AccountCommunity[] {
  const graph = new UndirectedGraph({ allowSelfLoops: false });
  for (const { key, weight, members } of [...hubs].sort((a, b) => a.key - b.key)) {
    if (members.length < 2 || weight <= 0) continue;
    graph.mergeNode(`k${key}`);
    for (const account of members) {
      graph.mergeNode(`a${account}`);
      graph.mergeEdge(`k${key}`, `a${account}`, { weight });
    }
  }
  if (graph.size === 0) return [];
  const assignment = louvain(graph, {
    getEdgeWeight: 'weight',
    randomWalk: false,
    rng: createSeededRandom(1),
  });
  const seen = new Set<string>();
  const communities: AccountCommunity[] = [];
  graph.forEachNode((start) => {
    if (seen.has(start)) return;
    const part: AccountCommunity = { accounts: [], hubs: [] };
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const node = stack.pop() as string;
      (node.startsWith('a') ? part.accounts : part.hubs).push(Number(node.slice(1)));
      graph.forEachNeighbor(node, (next) => {
        if (!seen.has(next) && assignment[next] === assignment[node]) {
          seen.add(next);
          stack.push(next);
        }
      });
    }
    if (part.accounts.length === 0) return;
    part.accounts.sort((a, b) => a - b);
    part.hubs.sort((a, b) => a - b);
    communities.push(part);
  });
  return communities.sort((a, b) => (a.accounts[0] as number) - (b.accounts[0] as number));
}

/** Random hubs over a few accounts: repeated keys and members, zero weights, lone members. */
function randomHubs(seed: number, count: number, accounts: number): LinkageHub[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: count }, () => ({
    key: Math.floor(random() * count * 0.9),
    weight: random() < 0.05 ? 0 : 0.1 + Math.floor(random() * 30) / 10,
    members: Array.from({ length: 1 + Math.floor(random() * 6) }, () =>
      Math.floor(random() * accounts),
    ),
  }));
}

for (const [seed, count, accounts] of [
  [1, 20, 30],
  [2, 300, 500],
  [3, 2000, 3000],
  [4, 1500, 400],
] as const) {
  test(`clusterAccounts: the communities of the graphology-built graph (seed ${seed}, ${count} hubs)`, () => {
    const hubs = randomHubs(seed, count, accounts);
    const communities = clusterAccounts(hubs);
    assert.ok(communities.length > 1);
    assert.deepEqual(communities, clusterThroughGraphology(hubs));
  });
}

const matchCases: {
  name: string;
  communities: number[][];
  previous: Record<number, number>;
  expected: number[];
}[] = [
  { name: 'new communities get -1', communities: [[1, 2]], previous: {}, expected: [-1] },
  {
    name: 'a grown campaign keeps its number',
    communities: [[1, 2, 3, 4]],
    previous: { 1: 5, 2: 5 },
    expected: [5],
  },
  {
    name: 'a split campaign: the larger part keeps the number',
    communities: [[1], [2, 3, 4]],
    previous: { 1: 0, 2: 0, 3: 0, 4: 0 },
    expected: [-1, 0],
  },
  {
    name: 'merged campaigns: the larger overlap wins, the other id is not reused',
    communities: [[1, 2, 3, 9]],
    previous: { 1: 0, 2: 1, 3: 1 },
    expected: [1],
  },
];

for (const { name, communities, previous, expected } of matchCases) {
  test(`matchCampaigns: ${name}`, () => {
    assert.deepEqual(
      matchCampaigns(communities, (account) => previous[account] ?? -1),
      expected,
    );
  });
}
