import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSeededRandom } from '../shared/create-seeded-random.js';
import { createKeyTally } from './key-tally.js';

const cases: { name: string; rounds: { size: number; adds: number[] }[]; reads: number[][] }[] = [
  { name: 'an id never added reads 0', rounds: [{ size: 4, adds: [] }], reads: [[0, 0, 0, 0]] },
  {
    name: 'counts add up within a round',
    rounds: [{ size: 4, adds: [1, 3, 1, 1] }],
    reads: [[0, 3, 0, 1]],
  },
  {
    name: 'a new round starts every count at 0',
    rounds: [
      { size: 3, adds: [0, 2, 2] },
      { size: 3, adds: [1] },
    ],
    reads: [
      [1, 0, 2],
      [0, 1, 0],
    ],
  },
  {
    name: 'ids past the announced size grow the tally and keep earlier counts',
    rounds: [{ size: 2, adds: [1, 5000, 1, 5000, 5000] }],
    reads: [[0, 2, 0]],
  },
];

for (const { name, rounds, reads } of cases) {
  test(`createKeyTally: ${name}`, () => {
    const tally = createKeyTally();
    rounds.forEach(({ size, adds }, round) => {
      tally.begin(size);
      for (const keyId of adds) tally.add(keyId);
      const expected = reads[round] as number[];
      assert.deepEqual(
        expected.map((_, keyId) => tally.get(keyId)),
        expected,
      );
    });
    assert.equal(tally.get(1_000_000), 0);
  });
}

test('createKeyTally: counts as a fresh Map per round does, over random rounds and sizes', () => {
  const random = createSeededRandom(7);
  const tally = createKeyTally();
  for (let round = 0; round < 40; round += 1) {
    const size = 1 + Math.floor(random() * 3000);
    const expected = new Map<number, number>();
    tally.begin(size);
    for (let add = Math.floor(random() * 2000); add > 0; add -= 1) {
      const keyId = Math.floor(random() * size * 1.2);
      expected.set(keyId, (expected.get(keyId) ?? 0) + 1);
      tally.add(keyId);
    }
    for (let keyId = 0; keyId < size * 1.2; keyId += 1)
      assert.equal(tally.get(keyId), expected.get(keyId) ?? 0, `round ${round}, key ${keyId}`);
  }
});
