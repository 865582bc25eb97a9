import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AcceptedCommunity } from './accept-community.js';
import { mergeOperatorFragments } from './merge-operator-fragments.js';

/** Key ids below 10 are payment cards (they join); 10 and up are anything else. */
const joins = (keyId: number): boolean => keyId < 10;

const fragment = (accounts: number[], hubs: number[], meanScore = 0.8): AcceptedCommunity => ({
  accounts,
  hubs,
  families: new Set(['identity', 'network']),
  meanScore,
});

const cases: {
  name: string;
  keys: Record<number, number[]>;
  fragments: AcceptedCommunity[];
  expected: number[][];
}[] = [
  {
    name: 'a card carried twice on each side joins two fragments',
    keys: { 1: [1], 2: [1], 3: [1], 4: [1] },
    fragments: [fragment([1, 2], [1]), fragment([3, 4], [11])],
    expected: [[1, 2, 3, 4]],
  },
  {
    name: 'one misplaced carrier does not weld two operators together',
    keys: { 1: [1], 2: [1], 3: [1], 4: [2], 5: [2] },
    fragments: [fragment([1, 2], [1]), fragment([3, 4, 5], [2])],
    expected: [
      [1, 2],
      [3, 4, 5],
    ],
  },
  {
    name: 'a shared address or prompt (not a card) joins nothing',
    keys: { 1: [11], 2: [11], 3: [11], 4: [11] },
    fragments: [fragment([1, 2], [11]), fragment([3, 4], [12])],
    expected: [
      [1, 2],
      [3, 4],
    ],
  },
  {
    name: 'cards chain three fragments into one; a fourth stays apart',
    keys: { 1: [1], 2: [1], 3: [1, 2], 4: [1, 2], 5: [2], 6: [2], 7: [3], 8: [3] },
    fragments: [
      fragment([1, 2], []),
      fragment([3, 4], []),
      fragment([5, 6], []),
      fragment([7, 8], []),
    ],
    expected: [
      [1, 2, 3, 4, 5, 6],
      [7, 8],
    ],
  },
];

for (const { name, keys, fragments, expected } of cases) {
  test(`mergeOperatorFragments: ${name}`, () => {
    const merged = mergeOperatorFragments(fragments, (account) => keys[account] ?? [], joins);
    assert.deepEqual(
      merged.map((community) => community.accounts),
      expected,
    );
  });
}

test('mergeOperatorFragments: a merged campaign keeps every hub, family and a size-weighted score', () => {
  const a = fragment([1, 2], [1, 11], 0.9);
  a.families = new Set(['identity']);
  const b = fragment([3, 4, 5, 6], [12], 0.6);
  b.families = new Set(['network', 'content']);
  const keys: Record<number, number[]> = { 1: [1], 2: [1], 3: [1], 4: [1] };
  const [merged] = mergeOperatorFragments([a, b], (account) => keys[account] ?? [], joins);
  assert.deepEqual(merged?.hubs, [1, 11, 12]);
  assert.deepEqual([...(merged?.families ?? [])].sort(), ['content', 'identity', 'network']);
  assert.ok(Math.abs((merged?.meanScore ?? 0) - (0.9 * 2 + 0.6 * 4) / 6) < 1e-12);
});
