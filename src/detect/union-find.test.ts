import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUnionFind } from './union-find.js';

const cases: { name: string; size: number; unions: [number, number][]; roots: number[] }[] = [
  { name: 'nothing joined: every position is its own set', size: 3, unions: [], roots: [0, 1, 2] },
  { name: 'the smaller root wins', size: 3, unions: [[2, 1]], roots: [0, 1, 1] },
  {
    name: 'chains join transitively whatever the order',
    size: 5,
    unions: [
      [4, 3],
      [1, 2],
      [3, 2],
    ],
    roots: [0, 1, 1, 1, 1],
  },
  {
    name: 'a repeated union changes nothing',
    size: 2,
    unions: [
      [0, 1],
      [1, 0],
    ],
    roots: [0, 0],
  },
];

for (const { name, size, unions, roots } of cases) {
  test(`createUnionFind: ${name}`, () => {
    const sets = createUnionFind(size);
    for (const [a, b] of unions) sets.union(a, b);
    assert.deepEqual(
      Array.from({ length: size }, (_, position) => sets.find(position)),
      roots,
    );
  });
}
