import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adjustedRandIndex } from './adjusted-rand-index.js';

// Expected values computed by hand from the pair counts (they match scikit-learn's documentation).
const cases: { name: string; truth: string[]; predicted: string[]; expected: number }[] = [
  {
    name: 'identical up to renaming',
    truth: ['a', 'a', 'b', 'b'],
    predicted: ['y', 'y', 'x', 'x'],
    expected: 1,
  },
  {
    name: 'one cluster split in two',
    truth: ['a', 'a', 'b', 'b'],
    predicted: ['x', 'x', 'y', 'z'],
    expected: 4 / 7,
  },
  {
    name: 'symmetric in its arguments',
    truth: ['x', 'x', 'y', 'z'],
    predicted: ['a', 'a', 'b', 'b'],
    expected: 4 / 7,
  },
  {
    name: 'everything merged',
    truth: ['a', 'a', 'b', 'b'],
    predicted: ['x', 'x', 'x', 'x'],
    expected: 0,
  },
  {
    name: 'one class, all singletons predicted',
    truth: ['a', 'a', 'a', 'a'],
    predicted: ['w', 'x', 'y', 'z'],
    expected: 0,
  },
  {
    name: 'crossed: worse than chance',
    truth: ['a', 'a', 'b', 'b'],
    predicted: ['x', 'y', 'x', 'y'],
    expected: -0.5,
  },
  { name: 'both all singletons', truth: ['a', 'b', 'c'], predicted: ['x', 'y', 'z'], expected: 1 },
  { name: 'empty', truth: [], predicted: [], expected: 1 },
  {
    name: 'labels that could collide when joined naively',
    truth: ['a|b', 'a', 'a|b', 'a'],
    predicted: ['c', 'b|c', 'c', 'b|c'],
    expected: 1,
  },
];

for (const { name, truth, predicted, expected } of cases) {
  test(`adjustedRandIndex: ${name}`, () => {
    assert.ok(Math.abs(adjustedRandIndex(truth, predicted) - expected) < 1e-12);
  });
}

test('adjustedRandIndex rejects labelings of different lengths', () => {
  assert.throws(() => adjustedRandIndex(['a'], ['a', 'b']), RangeError);
});
