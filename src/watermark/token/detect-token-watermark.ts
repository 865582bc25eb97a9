import {
  createSeedCache,
  greenThreshold,
  SCHEME_TAG,
  type SeedCache,
  tokenValue,
} from '../keyed-random.js';
import type { WatermarkKey } from '../keys/watermark-key.js';
import { logBinomialUpperTail } from '../statistics/binomial-tail.js';
import { logGammaUpperTail } from '../statistics/gamma-tail.js';
import type { TokenWatermarkScheme } from './watermark-scheme.js';

/** Per-token evidence: `scores[i]` for the i-th scored (context, token) pair, in text order. */
export interface TokenScores {
  /** 1/0 green indicator (green-list) or −ln(1 − r) (exponential), one per scored pair. */
  readonly scores: Float64Array;
  /** Index in the token sequence of each scored pair. */
  readonly positions: Int32Array;
  /** Tokens seen, and tokens skipped as repeats of an earlier (context, token) pair. */
  readonly tokens: number;
  readonly duplicates: number;
}

/** The result of one test (one key, one text or window). */
export interface TokenDetection {
  readonly scheme: TokenWatermarkScheme['kind'];
  /** Distinct (context, token) pairs scored. */
  readonly scored: number;
  /** Green count (green-list) or summed exponential score. */
  readonly statistic: number;
  /** Natural log of the exact one-sided p-value (binomial tail or gamma tail). */
  readonly logPValue: number;
  readonly pValue: number;
}

/** Computes the keyed scorer once per key; `score` then runs at table-lookup speed. */
export interface TokenScorer {
  score(ids: readonly number[], options?: { promptLength?: number }): TokenScores;
  /** Score of one (context window, token) pair: 1/0 green, or −ln(1 − r). */
  scorePair(window: readonly number[], token: number): number;
  /** Exact test of `scores[from..to)` (p-value of their sum under the null). */
  test(scores: { readonly scores: ArrayLike<number> }, from?: number, to?: number): TokenDetection;
}

/**
 * Scores token ids against one key: each distinct (context, token) pair counts once (repeats carry
 * no new evidence and would break the null distribution), the first `promptLength` tokens are
 * context only, and tokens without a full context window are skipped.
 */
export function createTokenScorer(scheme: TokenWatermarkScheme, key: WatermarkKey): TokenScorer {
  const width = scheme.contextWidth;
  const selfHash = scheme.kind === 'green-list' && scheme.selfHash;
  const tag =
    scheme.kind === 'exponential'
      ? SCHEME_TAG.exponential
      : selfHash
        ? SCHEME_TAG.greenListSelfHash
        : SCHEME_TAG.greenList;
  const seeds: SeedCache = createSeedCache(key.secret, tag);
  const threshold = scheme.kind === 'green-list' ? greenThreshold(scheme.gamma) : 0;
  const valueScore = (value: number): number => {
    if (scheme.kind === 'green-list') return value < threshold ? 1 : 0;
    return -Math.log1p(-(value + 0.5) / 4294967296);
  };
  const scorePair = (window: readonly number[], token: number): number => {
    const [seed0, seed1] = seeds.seed(selfHash ? [...window, token] : window);
    return valueScore(tokenValue(seed0, seed1, token));
  };
  // Hot path: windows of up to two ids below 2^21 become one number (no string building);
  // the seed of a window is cached under that key, so a repeated context costs two Map lookups.
  const numericWindows = width <= 2;
  const windowSeeds = new Map<number | string, [number, number]>();

  return {
    score(ids, { promptLength = 0 } = {}) {
      const seen = new Map<number | string, Set<number>>();
      const scores: number[] = [];
      const positions: number[] = [];
      let duplicates = 0;
      const start = Math.max(width, promptLength);
      for (let position = start; position < ids.length; position += 1) {
        const token = ids[position]!;
        let windowKey: number | string;
        const last = ids[position - 1]!;
        const before = width === 2 ? ids[position - 2]! : 0;
        if (numericWindows && last < 2097152 && before < 2097152) {
          windowKey = before * 2097152 + last;
        } else {
          windowKey = wideWindowKey(ids, position - width, position);
        }
        let followers = seen.get(windowKey);
        if (!followers) {
          followers = new Set();
          seen.set(windowKey, followers);
        }
        if (followers.has(token)) {
          duplicates += 1;
          continue;
        }
        followers.add(token);
        if (selfHash) {
          scores.push(scorePair(ids.slice(position - width, position), token));
        } else {
          let seed = windowSeeds.get(windowKey);
          if (!seed) {
            if (windowSeeds.size >= 1 << 18) windowSeeds.clear();
            seed = seeds.seed(ids.slice(position - width, position));
            windowSeeds.set(windowKey, seed);
          }
          scores.push(valueScore(tokenValue(seed[0], seed[1], token)));
        }
        positions.push(position);
      }
      return {
        scores: Float64Array.from(scores),
        positions: Int32Array.from(positions),
        tokens: Math.max(0, ids.length - promptLength),
        duplicates,
      };
    },
    scorePair,
    test({ scores }, from = 0, to = scores.length) {
      let statistic = 0;
      for (let index = from; index < to; index += 1) statistic += scores[index]!;
      const scored = Math.max(0, to - from);
      const logPValue =
        scheme.kind === 'green-list'
          ? logBinomialUpperTail(statistic, scored, scheme.gamma)
          : logGammaUpperTail(statistic, scored);
      return { scheme: scheme.kind, scored, statistic, logPValue, pValue: Math.exp(logPValue) };
    },
  };
}

/**
 * Tests token ids for a watermark under one key (exact p-value, repeats deduplicated).
 *
 * @example
 * const { pValue } = detectTokenWatermark(model.encode(text), greenListScheme(), key);
 */
export function detectTokenWatermark(
  ids: readonly number[],
  scheme: TokenWatermarkScheme,
  key: WatermarkKey,
  options: { promptLength?: number } = {},
): TokenDetection {
  const scorer = createTokenScorer(scheme, key);
  return scorer.test(scorer.score(ids, options));
}

/** A window's ids as one character each (ids below 2^16), else joined with commas. */
function wideWindowKey(ids: readonly number[], from: number, to: number): string {
  // The leading NUL keeps the two encodings apart.
  let key = '\u0000';
  for (let index = from; index < to; index += 1) {
    const id = ids[index]!;
    if (id >= 65536) return ids.slice(from, to).join(',');
    key += String.fromCharCode(id);
  }
  return key;
}
