import assert from 'node:assert/strict';
import { test } from 'node:test';
import { successorCampaigns } from './successor-campaigns.js';

const cases: {
  name: string;
  before: [number, number[]][];
  continued: number[];
  /** Each account's campaign after this clustering. */
  now: Record<number, number>;
  successors: [number, number][];
}[] = [
  {
    name: 'a fragment absorbed into its operator follows it',
    before: [[7, [1, 2, 3]]],
    continued: [8],
    now: { 1: 8, 2: 8, 3: 7 },
    successors: [[7, 8]],
  },
  {
    name: 'a continued campaign keeps its leftovers',
    before: [[7, [1, 2, 3]]],
    continued: [7, 8],
    now: { 1: 8, 2: 7, 3: 7 },
    successors: [],
  },
  {
    name: 'no member moved: no successor',
    before: [[7, [1, 2]]],
    continued: [],
    now: { 1: 7, 2: 7 },
    successors: [],
  },
  {
    name: 'members unflagged or out of every campaign do not count',
    before: [[7, [1, 2, 3]]],
    continued: [],
    now: { 1: -1, 2: -1, 3: 9 },
    successors: [[7, 9]],
  },
  {
    name: 'the plurality wins; a tie goes to the lower number',
    before: [
      [4, [1, 2, 3, 4, 5]],
      [6, [10, 11]],
    ],
    continued: [],
    now: { 1: 9, 2: 9, 3: 5, 4: 4, 5: 5, 10: 3, 11: 2 },
    successors: [
      [4, 5],
      [6, 2],
    ],
  },
];

for (const { name, before, continued, now, successors } of cases) {
  test(`successorCampaigns: ${name}`, () => {
    const result = successorCampaigns(
      new Map(before),
      new Set(continued),
      (account) => now[account] ?? -1,
    );
    assert.deepEqual(
      [...result].sort((a, b) => a[0] - b[0]),
      successors,
    );
  });
}
