import { logRegularizedGammaUpper } from './log-regularized-gamma-upper.js';

/**
 * Natural log of P(S ≥ score) for S a sum of `count` independent Exp(1) scores, i.e.
 * S ~ Gamma(count, 1): the exact p-value of the exponential-minimum (Gumbel) watermark.
 */
export function logGammaUpperTail(score: number, count: number): number {
  if (count <= 0) return 0;
  return logRegularizedGammaUpper(count, score);
}
