import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  holmAdjust,
  logBinomialUpperTail,
  logGammaFunction,
  logGammaUpperTail,
  logRegularizedBeta,
} from './index.js';

// Independent references: exact sums in log space (log-sum-exp of pmf terms).
function logSumExp(values: number[]): number {
  const maximum = Math.max(...values);
  return maximum + Math.log(values.reduce((sum, value) => sum + Math.exp(value - maximum), 0));
}
function logFactorial(n: number): number {
  let total = 0;
  for (let k = 2; k <= n; k += 1) total += Math.log(k);
  return total;
}
function referenceBinomialTail(k: number, n: number, p: number): number {
  const terms: number[] = [];
  for (let i = k; i <= n; i += 1) {
    terms.push(
      logFactorial(n) -
        logFactorial(i) -
        logFactorial(n - i) +
        i * Math.log(p) +
        (n - i) * Math.log1p(-p),
    );
  }
  return logSumExp(terms);
}
function referenceGammaTail(x: number, n: number): number {
  // Q(n, x) = e^-x Σ_{k<n} x^k / k! for integer n.
  const terms: number[] = [];
  for (let k = 0; k < n; k += 1) terms.push(-x + k * Math.log(x) - logFactorial(k));
  return logSumExp(terms);
}

const close = (actual: number, expected: number, relative = 1e-9) =>
  assert.ok(
    Math.abs(actual - expected) <= relative * Math.max(1, Math.abs(expected)),
    `${actual} != ${expected}`,
  );

describe('logGammaFunction', () => {
  const cases: [number, number][] = [
    [0.5, 0.5 * Math.log(Math.PI)],
    [1, 0],
    [2, 0],
    [10, Math.log(362880)],
    [0.1, Math.log(9.513507698668732)],
    [
      171.5,
      logFactorial(170) +
        logGammaFunction(1.5) +
        (() => {
          let total = 0;
          for (let k = 1; k <= 170; k += 1) total += Math.log(k + 0.5) - Math.log(k);
          return total;
        })(),
    ],
  ];
  for (const [x, expected] of cases)
    test(`ln Γ(${x})`, () => close(logGammaFunction(x), expected, 1e-12));
});

describe('logRegularizedBeta', () => {
  const cases: [number, number, number, number][] = [
    [0.5, 2, 3, 0.6875],
    [0.3, 1, 1, 0.3],
    [0.9, 5, 0.5, 0.3166429150200122 /* scipy.special.betainc(5, 0.5, 0.9) */],
    [0.2, 0.5, 0.5, (2 / Math.PI) * Math.asin(Math.sqrt(0.2))],
  ];
  for (const [x, a, b, expected] of cases) {
    test(`I_${x}(${a}, ${b})`, () => close(Math.exp(logRegularizedBeta(x, a, b)), expected, 1e-12));
  }
});

describe('logBinomialUpperTail (exact green-list p-value)', () => {
  const cases: [number, number, number][] = [
    [8, 10, 0.5],
    [1, 1, 0.25],
    [30, 100, 0.25],
    [60, 100, 0.25],
    [180, 200, 0.25],
    [700, 1000, 0.5],
    [2600, 10_000, 0.25],
  ];
  for (const [k, n, p] of cases) {
    test(`P(X ≥ ${k}; n=${n}, p=${p})`, () =>
      close(logBinomialUpperTail(k, n, p), referenceBinomialTail(k, n, p), 1e-8));
  }
  test('56/1024 for 8 of 10 fair coins', () =>
    close(Math.exp(logBinomialUpperTail(8, 10, 0.5)), 56 / 1024, 1e-12));
  test('all of 1000 green at γ = 0.25 is 0.25^1000, far below double range', () =>
    close(logBinomialUpperTail(1000, 1000, 0.25), 1000 * Math.log(0.25), 1e-10));
  test('zero successes gives p = 1, impossible counts give p = 0', () => {
    assert.equal(logBinomialUpperTail(0, 10, 0.25), 0);
    assert.equal(logBinomialUpperTail(11, 10, 0.25), Number.NEGATIVE_INFINITY);
  });
});

describe('logGammaUpperTail (exact exponential-scheme p-value)', () => {
  const cases: [number, number][] = [
    [0.5, 1],
    [3, 1],
    [700, 1],
    [5, 10],
    [15, 10],
    [600, 200],
    [150, 200],
    [1300, 1000],
  ];
  for (const [score, count] of cases) {
    test(`Q(${count}, ${score})`, () =>
      close(logGammaUpperTail(score, count), referenceGammaTail(score, count), 1e-8));
  }
  test('Q(1/2, x) = erfc(√x)', () =>
    close(Math.exp(logGammaUpperTail(1, 0.5)), 0.157299207050285, 1e-9));
});

describe('holmAdjust', () => {
  test('matches the step-down definition and keeps the input order', () => {
    const p = [0.01, 0.04, 0.03, 0.005];
    const adjusted = holmAdjust(p.map(Math.log)).map(Math.exp);
    const expected = [0.03, 0.06, 0.06, 0.02];
    adjusted.forEach((value, index) => {
      close(value, expected[index]!, 1e-12);
    });
  });
  test('caps at 1', () => assert.deepEqual(holmAdjust([Math.log(0.6), Math.log(0.7)]), [0, 0]));
});
