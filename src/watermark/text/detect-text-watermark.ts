import type { WatermarkKey } from '../keys/watermark-key.js';
import { logBinomialUpperTail } from '../statistics/binomial-tail.js';
import { windowedTest } from '../windowed-test.js';
import { createLexicalScanner } from './lexical-scanner.js';
import { LEXICAL_VARIANTS } from './lexical-variants.js';
import { createTextChoice } from './text-choice.js';

/** Result of testing text for the lexical watermark of one key. */
export interface TextDetection {
  /** Variant words seen outside protected spans. */
  readonly candidates: number;
  /** Distinct (previous word, class) contexts with a majority spelling (ties dropped). */
  readonly scored: number;
  /** Contexts whose majority spelling is the keyed one. */
  readonly matches: number;
  /** Natural log of the exact binomial p-value (p = 1/2 per context), window-corrected. */
  readonly logPValue: number;
  readonly pValue: number;
  readonly looks: number;
}

/** One vote per distinct context: did the text mostly use the keyed spelling there? */
export interface TextVotes {
  readonly candidates: number;
  /** 1 = keyed spelling in the majority, 0 = the other; in order of first occurrence. */
  readonly outcomes: Uint8Array;
}

/**
 * Collects the votes of one key over texts (many generations of a suspect may be pooled).
 * Under the null the majority spelling in a context does not depend on the key, so each distinct
 * context matches with probability exactly 1/2 and the count is Binomial(n, 1/2).
 */
export function collectTextVotes(texts: Iterable<string>, key: WatermarkKey): TextVotes {
  const choose = createTextChoice(key);
  const tallies = new Map<string, { keyed: number; other: number }>();
  let candidates = 0;
  for (const text of texts) {
    const scanner = createLexicalScanner();
    for (const run of text.split(/\s+/)) {
      if (run === '') continue;
      scanner.run(run, ({ previousWord, classIndex, variant }) => {
        candidates += 1;
        const contextKey = `${previousWord}\u0000${classIndex}`;
        let tally = tallies.get(contextKey);
        if (!tally) {
          tally = { keyed: 0, other: 0 };
          tallies.set(contextKey, tally);
        }
        if (choose(previousWord, classIndex) === variant) tally.keyed += 1;
        else tally.other += 1;
        return variant;
      });
    }
  }
  const outcomes: number[] = [];
  for (const { keyed, other } of tallies.values()) {
    if (keyed !== other) outcomes.push(keyed > other ? 1 : 0);
  }
  return { candidates, outcomes: Uint8Array.from(outcomes) };
}

/**
 * Tests text (or pooled texts) for the lexical watermark of `key`, with windows for text that
 * mixes watermarked and clean parts (Bonferroni over the looks).
 *
 * @example
 * const { pValue } = detectTextWatermark([answer], key);
 */
export function detectTextWatermark(
  texts: Iterable<string>,
  key: WatermarkKey,
  { windowSize = 0 }: { windowSize?: number } = {},
): TextDetection {
  const { candidates, outcomes } = collectTextVotes(texts, key);
  const test = (from: number, to: number) => {
    let matches = 0;
    for (let index = from; index < to; index += 1) matches += outcomes[index]!;
    return logBinomialUpperTail(matches, to - from, 1 / 2);
  };
  const windowed = windowedTest(outcomes.length, test, windowSize);
  let matches = 0;
  for (const outcome of outcomes) matches += outcome;
  return {
    candidates,
    scored: outcomes.length,
    matches,
    logPValue: windowed.logPValue,
    pValue: Math.exp(windowed.logPValue),
    looks: windowed.looks,
  };
}

/** Number of lexical classes (for reports). */
export const LEXICAL_CLASS_COUNT = LEXICAL_VARIANTS.length;
