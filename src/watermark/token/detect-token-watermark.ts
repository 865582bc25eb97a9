import { createContextHasher } from '../context-hasher.js';
import { greenThreshold, SCHEME_TAG, tokenValue } from '../keyed-random.js';
import type { WatermarkKey } from '../keys/watermark-key.js';
import { logBinomialUpperTail } from '../statistics/binomial-tail.js';
import { logGammaUpperTail } from '../statistics/gamma-tail.js';
import { assertTokenIds } from './assert-token-ids.js';
import { createContextSeedTable } from './context-seed-table.js';
import type { TokenWatermarkScheme } from './watermark-scheme.js';

const SEED_CACHE_CAPACITY = 1 << 18;
/** Positions looked up before their new contexts are seeded together. */
const CHUNK = 1024;

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
  const hasher = createContextHasher(key.secret, tag);
  const threshold = scheme.kind === 'green-list' ? greenThreshold(scheme.gamma) : 0;
  const valueScore = (value: number): number => {
    if (scheme.kind === 'green-list') return value < threshold ? 1 : 0;
    return -Math.log1p(-(value + 0.5) / 4294967296);
  };
  // Seeds cached per seeded tuple (the window, plus the token itself with self-hash). The table
  // is emptied between texts once it holds SEED_CACHE_CAPACITY tuples (bounded memory per key;
  // within one text it grows with the text, as its dedup must).
  const seededLength = selfHash ? width + 1 : width;
  const table = createContextSeedTable({
    width,
    selfHash,
    seedOf: hasher.seedOf,
    seedMany: hasher.seedMany,
  });
  const scorePair = (window: readonly number[], token: number): number => {
    const tuple = selfHash ? [...window, token] : window;
    assertTokenIds([...window, token]);
    if (tuple.length !== seededLength) {
      // A window of another width: seeded directly, not cached.
      const seed = new Uint32Array(2);
      hasher.seedOf(tuple, 0, tuple.length, seed);
      return valueScore(tokenValue(seed[0]!, seed[1]!, token));
    }
    if (table.size >= SEED_CACHE_CAPACITY) table.clear();
    const record = table.recordOf(tuple, 0);
    return valueScore(tokenValue(table.seed0(record), table.seed1(record), token));
  };

  return {
    score(ids, { promptLength = 0 } = {}) {
      const start = Math.max(width, promptLength);
      const room = Math.max(0, ids.length - start);
      const scores = new Float64Array(room);
      const positions = new Int32Array(room);
      assertTokenIds(ids);
      if (table.size >= SEED_CACHE_CAPACITY) table.clear();
      table.startText();
      // A long text builds the hashing lanes before its first chunk: in a fresh process its
      // first LANE_WARMUP_CONTEXTS contexts were otherwise hashed one at a time in not yet optimised code.
      hasher.expect(seededLength, room);
      // In chunks, so that the new contexts of a chunk are seeded in one batch.
      const chunk = Math.min(room, CHUNK);
      const records = new Int32Array(chunk);
      const starts = new Int32Array(chunk);
      let count = 0;
      for (let first = start; first < ids.length; first += chunk) {
        const end = Math.min(ids.length, first + chunk);
        const found = table.newPairRecords(ids, first - width, end - width, records, starts);
        for (let index = 0; index < found; index += 1) {
          const record = records[index]!;
          const position = starts[index]! + width;
          scores[count] = valueScore(
            tokenValue(table.seed0(record), table.seed1(record), ids[position]!),
          );
          positions[count] = position;
          count += 1;
        }
      }
      return {
        scores: scores.slice(0, count),
        positions: positions.slice(0, count),
        tokens: Math.max(0, ids.length - promptLength),
        duplicates: room - count,
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
