import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSeededRandom } from './create-seeded-random.js';

describe('createSeededRandom', () => {
  // Pinned: the demo model, the clustering and every watermark test replay these streams.
  const streams: [number, number[]][] = [
    [42, [0.6011037519201636, 0.44829055899754167, 0.8524657934904099]],
    [0, [0.26642920868471265, 0.0003297457005828619]],
    [-1, [0.8964226141106337]],
  ];
  for (const [seed, expected] of streams) {
    it(`replays the mulberry32 stream of seed ${seed}`, () => {
      const random = createSeededRandom(seed);
      assert.deepEqual(
        expected.map(() => random()),
        expected,
      );
    });
  }

  it('stays in [0, 1)', () => {
    const random = createSeededRandom(7);
    for (let draw = 0; draw < 10_000; draw++) {
      const value = random();
      assert.ok(value >= 0 && value < 1);
    }
  });
});
