import type { WatermarkKey } from '../keys/watermark-key.js';
import { holmAdjust } from '../statistics/holm-adjust.js';
import { windowedTest } from '../windowed-test.js';
import { createTokenScorer, type TokenDetection } from './detect-token-watermark.js';
import type { TokenWatermarkScheme } from './watermark-scheme.js';

/** The verdict for one key among many. */
export interface KeyVerdict {
  readonly key: string;
  readonly account?: string;
  readonly epoch?: number;
  /** Whole-text test. */
  readonly whole: TokenDetection;
  /** Most significant look (whole text or a window), Bonferroni-corrected over looks. */
  readonly logPValue: number;
  readonly window: { readonly from: number; readonly to: number; readonly looks: number };
  /** After Holm–Bonferroni over all keys tested. */
  readonly adjustedLogPValue: number;
  readonly adjustedPValue: number;
  readonly detected: boolean;
}

export interface MultiKeyDetection {
  readonly correction: 'holm-bonferroni';
  readonly alpha: number;
  readonly keysTested: number;
  readonly tokens: number;
  readonly duplicates: number;
  /** Most significant first. */
  readonly verdicts: KeyVerdict[];
  /** Accounts (or key names) whose watermark is detected at family-wise level `alpha`. */
  readonly detected: string[];
}

export interface MultiKeyOptions {
  /** Family-wise error rate across all keys (default 1e-6). */
  alpha?: number;
  /** Window size in scored pairs for mixed text (default 200; 0 = whole text only). */
  windowSize?: number;
  promptLength?: number;
}

/**
 * Tests token ids against many keys at once (e.g. every account's derived key) and names the
 * keys whose watermark is present, controlling the family-wise error rate with Holm–Bonferroni.
 *
 * @example
 * const { detected } = detectWithKeys(ids, greenListScheme(), accountKeys);
 */
export function detectWithKeys(
  ids: readonly number[],
  scheme: TokenWatermarkScheme,
  keys: readonly WatermarkKey[],
  { alpha = 1e-6, windowSize = 200, promptLength = 0 }: MultiKeyOptions = {},
): MultiKeyDetection {
  let tokens = 0;
  let duplicates = 0;
  const partial = keys.map((key) => {
    const scorer = createTokenScorer(scheme, key);
    const scores = scorer.score(ids, { promptLength });
    tokens = scores.tokens;
    duplicates = scores.duplicates;
    const whole = scorer.test(scores);
    const windowed = windowedTest(
      scores.scores.length,
      (from, to) => scorer.test(scores, from, to).logPValue,
      windowSize,
    );
    return { key, whole, windowed };
  });
  const adjusted = holmAdjust(partial.map((entry) => entry.windowed.logPValue));
  const verdicts: KeyVerdict[] = partial.map(({ key, whole, windowed }, index) => ({
    key: key.name,
    ...(key.account === undefined ? {} : { account: key.account }),
    ...(key.epoch === undefined ? {} : { epoch: key.epoch }),
    whole,
    logPValue: windowed.logPValue,
    window: { from: windowed.from, to: windowed.to, looks: windowed.looks },
    adjustedLogPValue: adjusted[index]!,
    adjustedPValue: Math.exp(adjusted[index]!),
    detected: adjusted[index]! <= Math.log(alpha),
  }));
  verdicts.sort((a, b) => a.adjustedLogPValue - b.adjustedLogPValue);
  const detected = [...new Set(verdicts.filter((v) => v.detected).map((v) => v.account ?? v.key))];
  return {
    correction: 'holm-bonferroni',
    alpha,
    keysTested: keys.length,
    tokens,
    duplicates,
    verdicts,
    detected,
  };
}
