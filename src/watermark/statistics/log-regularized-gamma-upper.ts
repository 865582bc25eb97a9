import { logGammaFunction } from './log-gamma-function.js';

const EPSILON = 1e-15;
const TINY = 1e-300;

/**
 * Natural log of the regularised upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a):
 * the survival function of a Gamma(a, 1) variable at x. Series below a + 1, continued fraction
 * above (Numerical Recipes §6.2), both in log space so tails like Q = e^-3000 stay exact.
 */
export function logRegularizedGammaUpper(a: number, x: number): number {
  if (!(a > 0)) throw new RangeError('logRegularizedGammaUpper needs a > 0');
  if (x <= 0) return 0;
  const logFront = -x + a * Math.log(x) - logGammaFunction(a);
  const maxIterations = 10_000 + 10 * Math.ceil(Math.sqrt(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n <= maxIterations; n += 1) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
    }
    const lower = Math.exp(logFront + Math.log(sum));
    return Math.log1p(-Math.min(lower, 1));
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let result = d;
  for (let n = 1; n <= maxIterations; n += 1) {
    const step = -n * (n - a);
    b += 2;
    d = step * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + step / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    result *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return logFront + Math.log(result);
}
