import { logRegularizedBeta } from './log-regularized-beta.js';

/**
 * Natural log of P(X ≥ successes) for X ~ Binomial(trials, probability): the exact one-sided
 * p-value of a green-list count (I_p(k, n - k + 1), no normal approximation).
 *
 * @example
 * Math.exp(logBinomialUpperTail(8, 10, 0.5)); // 0.0546875 = 56/1024
 */
export function logBinomialUpperTail(
  successes: number,
  trials: number,
  probability: number,
): number {
  if (successes <= 0) return 0;
  if (successes > trials) return Number.NEGATIVE_INFINITY;
  return logRegularizedBeta(probability, successes, trials - successes + 1);
}
