/** Smoothing of a value's purity: two suspicious carriers out of two are not yet "pure". */
const PURITY_PRIOR = 2;

/**
 * Share of a shared value's unexplained carriers (used when `thresholds.explainHeldCarriers` is on) that are suspicious: carriers a campaign already
 * holds are explained and leave the count on both sides. Threat: once a campaign is found, the
 * operator's accounts still outside it carry its values (its domain, its system prompt, its
 * templates) beside the ones it holds; counting the held ones as innocent carriers made every
 * found account dilute the evidence against the rest, so the more of a campaign was caught, the
 * less of its remainder could be (no-network, seeds 2 and 3: reasoning 75 %). Innocent carrier:
 * a popular SDK's header order or a public template carried by a campaign and by hundreds of
 * customers; its unexplained carriers are still mostly customers, so it stays impure. Counting
 * the held carriers as suspicious instead (tried) made exactly such values pure.
 */
export function unexplainedPurity(suspicious: number, active: number, held: number): number {
  return suspicious / (Math.max(0, active - held) + PURITY_PRIOR);
}
