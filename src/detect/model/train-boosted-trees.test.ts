import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSeededRandom } from '../../shared/create-seeded-random.js';
import { contributions, logOdds, probability } from './boosted-trees.js';
import { trainBoostedTrees } from './train-boosted-trees.js';

/** Rows of [signal, noise]: positive exactly when signal ≥ 0.6 (plus an interaction case). */
function separable(seed: number, count: number) {
  const random = createSeededRandom(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let row = 0; row < count; row += 1) {
    const x = [random(), random(), random()];
    rows.push(x);
    // Positive: a high signal, or both the second and third features high (needs depth 2).
    labels.push(
      (x[0] as number) >= 0.6 || ((x[1] as number) > 0.8 && (x[2] as number) > 0.8) ? 1 : 0,
    );
  }
  return { rows, labels };
}

describe('trainBoostedTrees', () => {
  const features = ['signal', 'b', 'c'];
  const train = separable(1, 2000);
  const model = trainBoostedTrees({ features, ...train, trees: 40, seed: 7 });

  it('learns separable data, interaction included (held-out accuracy ≥ 98 %)', () => {
    const test = separable(2, 1000);
    let right = 0;
    test.rows.forEach((row, at) => {
      if ((probability(model, row) >= 0.5 ? 1 : 0) === test.labels[at]) right += 1;
    });
    assert.ok(right / test.rows.length >= 0.98, `accuracy ${right / test.rows.length}`);
    assert.ok(probability(model, [0.95, 0.1, 0.1]) > 0.9);
    assert.ok(probability(model, [0.1, 0.95, 0.95]) > 0.9);
    assert.ok(probability(model, [0.1, 0.95, 0.1]) < 0.1);
  });

  it('is deterministic for a seed, and the seed matters (row subsampling)', () => {
    assert.deepEqual(trainBoostedTrees({ features, ...train, trees: 40, seed: 7 }), model);
    assert.notDeepEqual(trainBoostedTrees({ features, ...train, trees: 40, seed: 8 }), model);
  });

  it('credits the deciding feature, and contributions sum to the log-odds', () => {
    const x = [0.95, 0.2, 0.3];
    const { bias, byFeature } = contributions(model, x);
    const total = bias + byFeature.reduce((sum, value) => sum + value, 0);
    assert.ok(Math.abs(total - logOdds(model, x)) < 1e-9);
    assert.ok((byFeature[0] as number) > Math.abs(byFeature[1] as number));
    assert.ok((byFeature[0] as number) > Math.abs(byFeature[2] as number));
  });

  it('weights samples: a heavily weighted class pulls the base rate', () => {
    const rows = [[0], [0], [0], [0]];
    const labels = [1, 0, 0, 0];
    const even = trainBoostedTrees({ features: ['x'], rows, labels, trees: 0 });
    const weighted = trainBoostedTrees({
      features: ['x'],
      rows,
      labels,
      weights: [3, 1, 1, 1],
      trees: 0,
    });
    assert.ok(Math.abs(probability(even, [0]) - 0.25) < 1e-9);
    assert.ok(Math.abs(probability(weighted, [0]) - 0.5) < 1e-9);
  });
});
