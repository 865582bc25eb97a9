import { createSeededRandom } from '../../shared/create-seeded-random.js';
import type { BoostedTrees, RegressionTree } from './boosted-trees.js';

/**
 * Written here rather than taken from a library: the package may not add dependencies, and what
 * is needed is small — log-loss boosting of shallow trees over at most 64 quantile bins per
 * feature (histogram splits, as LightGBM and XGBoost's `hist` do), seeded row subsampling, and
 * node values kept for per-feature contributions. About 150 lines, tested in
 * `train-boosted-trees.test.ts`.
 */
export interface TrainOptions {
  features: readonly string[];
  /** Rows of feature values, one per sample. */
  rows: readonly ArrayLike<number>[];
  /** 1 for the positive class, 0 otherwise. */
  labels: ArrayLike<number>;
  /** Sample weights (default 1 each). */
  weights?: ArrayLike<number>;
  trees?: number;
  depth?: number;
  learningRate?: number;
  /** L2 penalty on leaf values. */
  lambda?: number;
  /** Least summed hessian (weighted p(1 − p)) in a child. */
  minChildWeight?: number;
  /** Share of rows each tree sees, drawn with `seed`. */
  subsample?: number;
  bins?: number;
  seed?: number;
}

/**
 * Fits a gradient-boosted tree classifier; the same inputs and seed give the same model.
 *
 * @example
 * const model = trainBoostedTrees({ features: ['a', 'b'], rows, labels, trees: 50, seed: 1 });
 * probability(model, [0.3, 0.9]);
 */
export function trainBoostedTrees({
  features,
  rows,
  labels,
  weights,
  trees = 60,
  depth = 3,
  learningRate = 0.15,
  lambda = 1,
  minChildWeight = 1,
  subsample = 0.8,
  bins = 64,
  seed = 1,
}: TrainOptions): BoostedTrees {
  const count = rows.length;
  const width = features.length;
  const weight = (row: number): number => (weights ? (weights[row] as number) : 1);
  let positive = 0;
  let total = 0;
  for (let row = 0; row < count; row += 1) {
    positive += weight(row) * (labels[row] as number);
    total += weight(row);
  }
  const prior = Math.min(1 - 1e-6, Math.max(1e-6, positive / Math.max(total, 1e-12)));
  const base = Math.log(prior / (1 - prior));
  const cuts = features.map((_, feature) => quantileCuts(rows, feature, bins));
  // Each value's bin, once: bin b holds values in [cuts[b − 1], cuts[b]).
  const binned = features.map((_, feature) => {
    const column = new Uint8Array(count);
    const featureCuts = cuts[feature] as number[];
    for (let row = 0; row < count; row += 1)
      column[row] = upperBound(featureCuts, (rows[row] as ArrayLike<number>)[feature] as number);
    return column;
  });
  const score = new Float64Array(count).fill(base);
  const gradient = new Float64Array(count);
  const hessian = new Float64Array(count);
  const random = createSeededRandom(seed);
  const fitted: RegressionTree[] = [];
  for (let round = 0; round < trees; round += 1) {
    const sample: number[] = [];
    for (let row = 0; row < count; row += 1) {
      const p = 1 / (1 + Math.exp(-(score[row] as number)));
      gradient[row] = weight(row) * (p - (labels[row] as number));
      hessian[row] = weight(row) * Math.max(p * (1 - p), 1e-6);
      if (random() < subsample) sample.push(row);
    }
    const tree: RegressionTree = { feature: [], threshold: [], left: [], right: [], value: [] };
    grow(tree, sample, 0);
    fitted.push(tree);
    for (let row = 0; row < count; row += 1) {
      let node = 0;
      while ((tree.feature[node] as number) >= 0) {
        const feature = tree.feature[node] as number;
        node =
          ((rows[row] as ArrayLike<number>)[feature] as number) < (tree.threshold[node] as number)
            ? (tree.left[node] as number)
            : (tree.right[node] as number);
      }
      score[row] = (score[row] as number) + (tree.value[node] as number);
    }
  }
  return { version: 1, features: [...features], base, trees: fitted };

  /** Adds a node for `members` (and its subtree); returns its number. */
  function grow(tree: RegressionTree, members: number[], level: number): number {
    let g = 0;
    let h = 0;
    for (const row of members) {
      g += gradient[row] as number;
      h += hessian[row] as number;
    }
    const node = tree.feature.length;
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push((-g / (h + lambda)) * learningRate);
    if (level >= depth || h < 2 * minChildWeight) return node;
    const parent = (g * g) / (h + lambda);
    let best = { gain: 1e-9, feature: -1, bin: 0 };
    for (let feature = 0; feature < width; feature += 1) {
      const featureCuts = cuts[feature] as number[];
      if (featureCuts.length === 0) continue;
      const gradients = new Float64Array(featureCuts.length + 1);
      const hessians = new Float64Array(featureCuts.length + 1);
      const column = binned[feature] as Uint8Array;
      for (const row of members) {
        const bin = column[row] as number;
        gradients[bin] = (gradients[bin] as number) + (gradient[row] as number);
        hessians[bin] = (hessians[bin] as number) + (hessian[row] as number);
      }
      let gl = 0;
      let hl = 0;
      // Split before bin b: bins < b go left, i.e. values < cuts[b − 1].
      for (let bin = 1; bin <= featureCuts.length; bin += 1) {
        gl += gradients[bin - 1] as number;
        hl += hessians[bin - 1] as number;
        const hr = h - hl;
        if (hl < minChildWeight || hr < minChildWeight) continue;
        const gr = g - gl;
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parent;
        if (gain > best.gain) best = { gain, feature, bin };
      }
    }
    if (best.feature < 0) return node;
    const threshold = (cuts[best.feature] as number[])[best.bin - 1] as number;
    const column = binned[best.feature] as Uint8Array;
    const left = members.filter((row) => (column[row] as number) < best.bin);
    const right = members.filter((row) => (column[row] as number) >= best.bin);
    tree.feature[node] = best.feature;
    tree.threshold[node] = threshold;
    tree.left[node] = grow(tree, left, level + 1);
    tree.right[node] = grow(tree, right, level + 1);
    return node;
  }
}

/** Up to `bins − 1` distinct cut points between a feature's observed values (quantiles). */
function quantileCuts(rows: readonly ArrayLike<number>[], feature: number, bins: number): number[] {
  const values = rows.map((row) => row[feature] as number).sort((a, b) => a - b);
  const cuts: number[] = [];
  for (let bin = 1; bin < bins; bin += 1) {
    const at = Math.floor((bin * values.length) / bins);
    const value = values[at];
    // A cut is the first value of its bin, so `x < cut` separates it from the values below.
    if (value !== undefined && value > (values[0] as number) && value !== cuts[cuts.length - 1])
      cuts.push(value);
  }
  return cuts;
}

/** Number of cuts ≤ value (the value's bin). */
function upperBound(cuts: readonly number[], value: number): number {
  let low = 0;
  let high = cuts.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((cuts[middle] as number) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
