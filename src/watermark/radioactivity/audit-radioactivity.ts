import { randomBytes } from 'node:crypto';
import { createWatermarkKey, type WatermarkKey } from '../keys/watermark-key.js';
import { logBinomialUpperTail } from '../statistics/binomial-tail.js';
import { holmAdjust } from '../statistics/holm-adjust.js';
import { createLexicalScanner } from '../text/lexical-scanner.js';
import { createTextChoice } from '../text/text-choice.js';
import { createTokenScorer } from '../token/detect-token-watermark.js';
import type { TokenWatermarkScheme } from '../token/watermark-scheme.js';
import {
  addCount,
  type ContextCounts,
  countContexts,
  type SelectionOptions,
  selectOverrepresented,
} from './select-overrepresented.js';

/** One key's result in a radioactivity audit. */
export interface RadioactivityKeyResult {
  readonly key: string;
  readonly account?: string;
  readonly epoch?: number;
  /** Green count (green-list), summed score (exponential) or keyed-spelling matches (text). */
  readonly statistic: number;
  readonly logPValue: number;
  readonly pValue: number;
  /** Holm–Bonferroni over the keys tested. */
  readonly adjustedPValue: number;
  readonly detected: boolean;
}

/** The JSON evidence bundle of an audit (keys by name only; secrets never appear). */
export interface RadioactivityEvidence {
  readonly format: 'distillguard.radioactivity.v1';
  readonly watermark: 'green-list' | 'exponential' | 'text';
  readonly scheme?: TokenWatermarkScheme;
  /** Closed (the suspect's generations) or open (its top-1 predictions); absent = closed. */
  readonly mode?: 'closed' | 'open';
  readonly test: string;
  readonly correction: 'holm-bonferroni';
  readonly alpha: number;
  /** Suspect units read, distinct (window, unit) pairs, and pairs scored after selection. */
  readonly suspectUnits: number;
  readonly distinctPairs: number;
  readonly scoredPairs: number;
  /** Open mode: positions where the suspect gave a prediction with a full context window. */
  readonly predictions?: number;
  readonly selection: { minCount: number; threshold: number; filteredToServedWindows: boolean };
  readonly keys: RadioactivityKeyResult[];
  /** Fresh random keys run through the same test: their p-values should look uniform. */
  readonly controls: { readonly count: number; readonly pValues: number[] };
  readonly detected: string[];
}

export interface AuditOptions extends SelectionOptions {
  keys: readonly WatermarkKey[];
  /** Family-wise error rate across keys (default 1e-6). */
  alpha?: number;
  /** Number of random control keys (default 20). */
  controls?: number;
}

/**
 * Token-level radioactivity audit of a closed model (Sander et al. 2024, adapted): `suspect` are
 * the suspect's generations and `reference` generations of the provider's own model without a
 * watermark, both tokenized with the watermark's tokenizer. Pairs the suspect over-produces
 * relative to the reference (each distinct pair once; optionally only windows of served text)
 * are scored under every key, with an exact binomial (green-list) or gamma (exponential) test.
 *
 * @example
 * const evidence = auditTokenRadioactivity(suspectIds, referenceIds, greenListScheme({ delta: 3 }), { keys });
 */
export function auditTokenRadioactivity(
  suspect: readonly (readonly number[])[],
  reference: readonly (readonly number[])[],
  scheme: TokenWatermarkScheme,
  options: AuditOptions,
): RadioactivityEvidence {
  const width = scheme.contextWidth;
  const suspectCounts = countContexts(suspect, width);
  const selected = selectOverrepresented(suspectCounts, countContexts(reference, width), options);
  const pairs = selected.map(({ window, unit }) => ({
    window: window.split(',').map(Number),
    unit,
  }));
  const testKey = (key: WatermarkKey) => {
    const scorer = createTokenScorer(scheme, key);
    const scores = pairs.map(({ window, unit }) => scorer.scorePair(window, unit));
    const detection = scorer.test({ scores });
    return { statistic: detection.statistic, logPValue: detection.logPValue };
  };
  return buildEvidence({
    watermark: scheme.kind,
    scheme,
    test:
      scheme.kind === 'green-list'
        ? `exact binomial tail, P(green) = γ = ${scheme.gamma} per selected pair`
        : 'exact gamma tail, sum of Exp(1) scores over selected pairs',
    suspectUnits: suspect.reduce((total, ids) => total + ids.length, 0),
    distinctPairs: countPairs(suspectCounts),
    scoredPairs: pairs.length,
    options,
    testKey,
  });
}

/**
 * Text-level radioactivity audit: per (previous word, lexical class) context, the spelling the
 * suspect over-uses relative to the reference is compared with each key's keyed spelling; under
 * the null each context matches with probability 1/2 exactly (binomial test). Defaults differ
 * from the token audit (minCount 5, threshold 0): a lexical watermark shifts a spelling's share
 * by a few points only, so any over-use counts, but only in contexts seen often enough.
 */
export function auditTextRadioactivity(
  suspectTexts: readonly string[],
  referenceTexts: readonly string[],
  options: AuditOptions,
): RadioactivityEvidence {
  const suspectCounts = countVariants(suspectTexts);
  const selection = { minCount: 5, threshold: 0, ...options };
  const selectedPairs = selectOverrepresented(
    suspectCounts,
    countVariants(referenceTexts),
    selection,
  );
  // At most one spelling per context: both spellings of a pair are never both keyed.
  const seenContexts = new Set<string>();
  const contexts = selectedPairs
    .filter(({ window }) => {
      if (seenContexts.has(window)) return false;
      seenContexts.add(window);
      return true;
    })
    .map(({ window, unit }) => {
      const [previousWord, classIndex] = window.split('\u0000');
      return { previousWord: previousWord!, classIndex: Number(classIndex), variant: unit };
    });
  const testKey = (key: WatermarkKey) => {
    const choose = createTextChoice(key);
    let matches = 0;
    for (const { previousWord, classIndex, variant } of contexts) {
      if (choose(previousWord, classIndex) === variant) matches += 1;
    }
    return { statistic: matches, logPValue: logBinomialUpperTail(matches, contexts.length, 0.5) };
  };
  let units = 0;
  for (const followers of suspectCounts.values()) {
    for (const count of followers.values()) units += count;
  }
  return buildEvidence({
    watermark: 'text',
    test: 'exact binomial tail, P(keyed spelling) = 1/2 per selected context',
    options: selection,
    suspectUnits: units,
    distinctPairs: countPairs(suspectCounts),
    scoredPairs: contexts.length,
    testKey,
  });
}

function countVariants(texts: readonly string[]): ContextCounts {
  const counts: ContextCounts = new Map();
  for (const text of texts) {
    const scanner = createLexicalScanner();
    for (const run of text.split(/\s+/)) {
      if (run === '') continue;
      scanner.run(run, ({ previousWord, classIndex, variant }) => {
        addCount(counts, `${previousWord}\u0000${classIndex}`, variant);
        return variant;
      });
    }
  }
  return counts;
}

function countPairs(counts: ContextCounts): number {
  let pairs = 0;
  for (const followers of counts.values()) pairs += followers.size;
  return pairs;
}

/** Tests every key and control key and assembles the evidence bundle (shared by both modes). */
export function buildEvidence({
  watermark,
  scheme,
  mode,
  test,
  suspectUnits,
  distinctPairs,
  scoredPairs,
  predictions,
  options,
  testKey,
}: {
  watermark: RadioactivityEvidence['watermark'];
  scheme?: TokenWatermarkScheme;
  mode?: 'closed' | 'open';
  test: string;
  predictions?: number;
  suspectUnits: number;
  distinctPairs: number;
  scoredPairs: number;
  options: AuditOptions;
  testKey: (key: WatermarkKey) => { statistic: number; logPValue: number };
}): RadioactivityEvidence {
  const open = mode === 'open';
  const {
    keys,
    alpha = 1e-6,
    controls = 20,
    minCount = open ? 1 : 2,
    threshold = open ? 0 : 0.2,
    windows,
  } = options;
  const results = keys.map((key) => ({ key, ...testKey(key) }));
  const adjusted = holmAdjust(results.map((result) => result.logPValue));
  const keyResults: RadioactivityKeyResult[] = results.map(
    ({ key, statistic, logPValue }, index) => ({
      key: key.name,
      ...(key.account === undefined ? {} : { account: key.account }),
      ...(key.epoch === undefined ? {} : { epoch: key.epoch }),
      statistic,
      logPValue,
      pValue: Math.exp(logPValue),
      adjustedPValue: Math.exp(adjusted[index]!),
      detected: adjusted[index]! <= Math.log(alpha),
    }),
  );
  keyResults.sort((a, b) => a.logPValue - b.logPValue);
  const controlPValues = Array.from({ length: controls }, (_, index) =>
    Math.exp(testKey(createWatermarkKey(`control-${index}`, randomBytes(32))).logPValue),
  );
  return {
    format: 'distillguard.radioactivity.v1',
    watermark,
    ...(scheme ? { scheme } : {}),
    ...(mode === undefined ? {} : { mode }),
    test,
    correction: 'holm-bonferroni',
    alpha,
    suspectUnits,
    distinctPairs,
    scoredPairs,
    ...(predictions === undefined ? {} : { predictions }),
    selection: { minCount, threshold, filteredToServedWindows: windows !== undefined },
    keys: keyResults,
    controls: { count: controls, pValues: controlPValues },
    detected: [...new Set(keyResults.filter((r) => r.detected).map((r) => r.account ?? r.key))],
  };
}
