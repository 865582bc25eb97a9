/**
 * One regression tree as parallel arrays, node 0 the root. A leaf has `feature` -1. `value` is
 * every node's output (already shrunk by the learning rate): a leaf's is what the tree adds to the
 * log-odds, an inner node's is the same Newton step over the samples that reached it, which is
 * what per-feature contributions are measured from.
 */
export interface RegressionTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

/** A fitted gradient-boosted classifier (log-loss) over a named feature vector. */
export interface BoostedTrees {
  version: 1;
  /** Feature names, in vector order. */
  features: readonly string[];
  /** Log-odds before any tree. */
  base: number;
  trees: readonly RegressionTree[];
}

/** The tree's leaf for `x`: `x[feature] < threshold` goes left. */
function leafOf(tree: RegressionTree, x: ArrayLike<number>): number {
  let node = 0;
  while ((tree.feature[node] as number) >= 0) {
    const feature = tree.feature[node] as number;
    node =
      (x[feature] as number) < (tree.threshold[node] as number)
        ? (tree.left[node] as number)
        : (tree.right[node] as number);
  }
  return node;
}

/** Log-odds of the positive class. */
export function logOdds(model: BoostedTrees, x: ArrayLike<number>): number {
  let sum = model.base;
  for (const tree of model.trees) sum += tree.value[leafOf(tree, x)] as number;
  return sum;
}

/** Probability of the positive class. */
export function probability(model: BoostedTrees, x: ArrayLike<number>): number {
  return 1 / (1 + Math.exp(-logOdds(model, x)));
}

/**
 * Per-feature contributions to the log-odds (Saabas: along each tree's path, the change in node
 * value is credited to the feature split on). They sum, with `bias`, to {@link logOdds}.
 *
 * @example
 * const { bias, byFeature } = contributions(model, x);
 * // bias + Σ byFeature === logOdds(model, x)
 */
export function contributions(
  model: BoostedTrees,
  x: ArrayLike<number>,
): { bias: number; byFeature: Float64Array } {
  const byFeature = new Float64Array(model.features.length);
  let bias = model.base;
  for (const tree of model.trees) {
    let node = 0;
    bias += tree.value[0] as number;
    while ((tree.feature[node] as number) >= 0) {
      const feature = tree.feature[node] as number;
      const next =
        (x[feature] as number) < (tree.threshold[node] as number)
          ? (tree.left[node] as number)
          : (tree.right[node] as number);
      byFeature[feature] =
        (byFeature[feature] as number) +
        (tree.value[next] as number) -
        (tree.value[node] as number);
      node = next;
    }
  }
  return { bias, byFeature };
}
