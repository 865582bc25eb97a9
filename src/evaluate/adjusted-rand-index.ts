/**
 * Adjusted Rand index (Hubert & Arabie 1985) between two labelings of the same items, from the
 * pair-counting form: 1 for identical partitions, ~0 for chance agreement, negative below chance.
 * When neither labeling has any disagreeing pair (both all-singletons or both one cluster) the
 * index is 1, as in scikit-learn.
 *
 * @example
 * adjustedRandIndex(['a', 'a', 'b', 'b'], ['x', 'x', 'y', 'y']); // 1
 */
export function adjustedRandIndex(truth: readonly string[], predicted: readonly string[]): number {
  if (truth.length !== predicted.length) {
    throw new RangeError(`labelings differ in length: ${truth.length} vs ${predicted.length}`);
  }
  const items = truth.length;
  const joint = new Map<string, number>();
  const truthSizes = new Map<string, number>();
  const predictedSizes = new Map<string, number>();
  for (let index = 0; index < items; index++) {
    const left = truth[index]!;
    const right = predicted[index]!;
    // JSON keeps the pair unambiguous whatever characters the labels contain.
    const key = JSON.stringify([left, right]);
    joint.set(key, (joint.get(key) ?? 0) + 1);
    truthSizes.set(left, (truthSizes.get(left) ?? 0) + 1);
    predictedSizes.set(right, (predictedSizes.get(right) ?? 0) + 1);
  }
  const sameBoth = sumPairs(joint.values());
  const sameTruth = sumPairs(truthSizes.values());
  const samePredicted = sumPairs(predictedSizes.values());
  const allPairs = (items * (items - 1)) / 2;
  const truthOnly = sameTruth - sameBoth;
  const predictedOnly = samePredicted - sameBoth;
  const neither = allPairs - sameTruth - predictedOnly;
  if (truthOnly === 0 && predictedOnly === 0) return 1;
  const numerator = 2 * (sameBoth * neither - truthOnly * predictedOnly);
  const denominator =
    (sameBoth + truthOnly) * (truthOnly + neither) +
    (sameBoth + predictedOnly) * (predictedOnly + neither);
  return denominator === 0 ? 1 : numerator / denominator;
}

function sumPairs(sizes: Iterable<number>): number {
  let pairs = 0;
  for (const size of sizes) pairs += (size * (size - 1)) / 2;
  return pairs;
}
