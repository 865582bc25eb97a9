/**
 * Draws a token id from log-probabilities at a temperature (0 = greedy), using one uniform
 * number from `random`. Logits need not be normalised.
 */
export function sampleToken(
  logits: Float64Array,
  temperature: number,
  random: () => number,
): number {
  let best = 0;
  let maximum = Number.NEGATIVE_INFINITY;
  for (let id = 0; id < logits.length; id += 1) {
    const value = logits[id]!;
    if (value > maximum) {
      maximum = value;
      best = id;
    }
  }
  if (temperature <= 0) return best;
  const weights = new Float64Array(logits.length);
  let total = 0;
  for (let id = 0; id < logits.length; id += 1) {
    const weight = Math.exp((logits[id]! - maximum) / temperature);
    weights[id] = weight;
    total += weight;
  }
  let target = random() * total;
  for (let id = 0; id < weights.length; id += 1) {
    target -= weights[id]!;
    if (target < 0) return id;
  }
  return best;
}
