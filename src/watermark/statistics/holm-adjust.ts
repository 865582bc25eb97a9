/**
 * Holm–Bonferroni step-down adjustment of natural-log p-values (same order as given):
 * controls the family-wise error rate for any dependence between the tests, uniformly more
 * powerful than plain Bonferroni. Adjusted log p-values are capped at 0.
 */
export function holmAdjust(logPValues: readonly number[]): number[] {
  const count = logPValues.length;
  const order = logPValues.map((_, index) => index).sort((a, b) => logPValues[a]! - logPValues[b]!);
  const adjusted = new Array<number>(count).fill(0);
  let running = Number.NEGATIVE_INFINITY;
  order.forEach((index, rank) => {
    const value = Math.min(0, logPValues[index]! + Math.log(count - rank));
    running = Math.max(running, value);
    adjusted[index] = running;
  });
  return adjusted;
}
