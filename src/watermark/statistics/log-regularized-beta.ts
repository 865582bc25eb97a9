import { logGammaFunction } from './log-gamma-function.js';

const EPSILON = 1e-15;
const TINY = 1e-300;

/**
 * Natural log of the regularised incomplete beta function I_x(a, b), accurate far into the tail
 * (results like -5000 are exact in log space where the plain value would underflow to 0).
 * Continued fraction by the modified Lentz method (Numerical Recipes §6.4).
 */
export function logRegularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError('logRegularizedBeta needs a > 0 and b > 0');
  if (x <= 0) return Number.NEGATIVE_INFINITY;
  if (x >= 1) return 0;
  const logFront =
    logGammaFunction(a + b) -
    logGammaFunction(a) -
    logGammaFunction(b) +
    a * Math.log(x) +
    b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) {
    return logFront + Math.log(continuedFraction(x, a, b)) - Math.log(a);
  }
  const complement = Math.exp(logFront + Math.log(continuedFraction(1 - x, b, a)) - Math.log(b));
  return Math.log1p(-Math.min(complement, 1));
}

function continuedFraction(x: number, a: number, b: number): number {
  const maxIterations = 10_000 + 10 * Math.ceil(Math.sqrt(Math.max(a, b)));
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let result = d;
  for (let m = 1; m <= maxIterations; m += 1) {
    const twoM = 2 * m;
    let step = (m * (b - m) * x) / ((a + twoM - 1) * (a + twoM));
    d = 1 + step * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + step / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    result *= d * c;
    step = (-(a + m) * (a + b + m) * x) / ((a + twoM) * (a + twoM + 1));
    d = 1 + step * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + step / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    result *= delta;
    if (Math.abs(delta - 1) < EPSILON) return result;
  }
  return result;
}
