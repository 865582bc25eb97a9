import { readFile } from 'node:fs/promises';
import type { LanguageModel } from '../language-model/index.js';
import { readJsonLines } from '../log/index.js';
import type { Result } from '../shared/distillguard-error.js';
import type { WatermarkKey } from './keys/watermark-key.js';
import { holmAdjust } from './statistics/holm-adjust.js';
import { detectTextWatermark } from './text/detect-text-watermark.js';
import { createTokenScorer } from './token/detect-token-watermark.js';
import type { TokenWatermarkScheme } from './token/watermark-scheme.js';
import { windowedTest } from './windowed-test.js';

/** One text to test: an exchange's response, a `{ text }` line, or `{ token_ids }` from an engine. */
interface DetectRecord {
  id: string;
  accountId?: string;
  text?: string;
  tokenIds?: number[];
}

export interface RecordDetection {
  readonly id: string;
  /** The account the record was served to, when the input says so. */
  readonly servedTo?: string;
  /** Most significant test: key, level, p-values (Holm over every key × level of the record). */
  readonly best: {
    readonly key: string;
    readonly level: 'token' | 'text';
    readonly scored: number;
    readonly pValue: number;
    readonly adjustedPValue: number;
  } | null;
  /** Accounts (or key names) whose watermark is detected at family-wise level alpha. */
  readonly detected: string[];
}

export interface FileDetection {
  readonly format: 'distillguard.watermark-detection.v1';
  readonly records: number;
  readonly rejectedLines: number;
  readonly keysTested: number;
  readonly levels: ('token' | 'text')[];
  readonly correction: 'holm-bonferroni (per record, over keys × levels × windows)';
  readonly alpha: number;
  /** Records in which each account's (or key's) watermark was detected. */
  readonly detectedCounts: Record<string, number>;
  readonly results: RecordDetection[];
}

export interface DetectFileOptions {
  keys: readonly WatermarkKey[];
  /** Token-level scheme; omitted = text level only. */
  scheme?: TokenWatermarkScheme;
  /** Tokenizer for texts without token ids (the demo model's). */
  tokenizer: Pick<LanguageModel, 'encode'>;
  text?: boolean;
  alpha?: number;
  windowSize?: number;
}

/**
 * Tests every record of a file for the watermarks of many keys: `.jsonl`/`.jsonl.gz` lines are
 * exchanges (log v1, `response.text`), `{ "text" }` or `{ "token_ids" }` objects; any other file
 * is one plain text.
 */
export async function detectWatermarksInFile(
  path: string,
  { keys, scheme, tokenizer, text = true, alpha = 1e-6, windowSize = 200 }: DetectFileOptions,
): Promise<FileDetection> {
  let rejectedLines = 0;
  const records: DetectRecord[] = [];
  if (/\.jsonl(\.gz)?$/.test(path)) {
    for await (const record of readJsonLines(path, parseDetectRecord, {
      onReject: () => {
        rejectedLines += 1;
      },
    })) {
      records.push(record);
    }
  } else {
    records.push({ id: 'file', text: await readFile(path, 'utf8') });
  }
  const levels: ('token' | 'text')[] = [
    ...(scheme ? ['token' as const] : []),
    ...(text ? ['text' as const] : []),
  ];
  const scorers = scheme ? keys.map((key) => createTokenScorer(scheme, key)) : [];
  const detectedCounts: Record<string, number> = {};
  const results = records.map((record, index): RecordDetection => {
    const tests: {
      key: WatermarkKey;
      level: 'token' | 'text';
      scored: number;
      logPValue: number;
    }[] = [];
    if (scheme) {
      const ids = record.tokenIds ?? tokenizer.encode(record.text ?? '');
      keys.forEach((key, keyIndex) => {
        const scorer = scorers[keyIndex]!;
        const scores = scorer.score(ids);
        const windowed = windowedTest(
          scores.scores.length,
          (from, to) => scorer.test(scores, from, to).logPValue,
          windowSize,
        );
        tests.push({
          key,
          level: 'token',
          scored: scores.scores.length,
          logPValue: windowed.logPValue,
        });
      });
    }
    if (text && record.text !== undefined) {
      for (const key of keys) {
        const detection = detectTextWatermark([record.text], key, { windowSize: windowSize / 4 });
        tests.push({
          key,
          level: 'text',
          scored: detection.scored,
          logPValue: detection.logPValue,
        });
      }
    }
    const adjusted = holmAdjust(tests.map((entry) => entry.logPValue));
    let bestIndex = -1;
    tests.forEach((entry, testIndex) => {
      if (bestIndex < 0 || entry.logPValue < tests[bestIndex]!.logPValue) bestIndex = testIndex;
    });
    const detected = [
      ...new Set(
        tests
          .filter((_, testIndex) => adjusted[testIndex]! <= Math.log(alpha))
          .map((entry) => entry.key.account ?? entry.key.name),
      ),
    ];
    for (const name of detected) detectedCounts[name] = (detectedCounts[name] ?? 0) + 1;
    const best = tests[bestIndex];
    return {
      id: record.id || `record-${index + 1}`,
      ...(record.accountId ? { servedTo: record.accountId } : {}),
      best: best
        ? {
            key: best.key.name,
            level: best.level,
            scored: best.scored,
            pValue: Math.exp(best.logPValue),
            adjustedPValue: Math.exp(adjusted[bestIndex]!),
          }
        : null,
      detected,
    };
  });
  return {
    format: 'distillguard.watermark-detection.v1',
    records: records.length,
    rejectedLines,
    keysTested: keys.length,
    levels,
    correction: 'holm-bonferroni (per record, over keys × levels × windows)',
    alpha,
    detectedCounts,
    results,
  };
}

function parseDetectRecord(value: unknown): Result<DetectRecord, string> {
  if (typeof value !== 'object' || value === null)
    return { success: false, error: 'not an object' };
  const fields = value as Record<string, unknown>;
  const id = typeof fields.id === 'string' ? fields.id : '';
  const accountId = typeof fields.account_id === 'string' ? fields.account_id : undefined;
  const base = { id, ...(accountId ? { accountId } : {}) };
  if (Array.isArray(fields.token_ids)) {
    // Token ids are hashed as u32 (spec §2): anything else is not a token id of any tokenizer.
    if (!fields.token_ids.every((item) => typeof item === 'number' && item >>> 0 === item)) {
      return { success: false, error: 'token_ids must be integers in 0..2^32 − 1' };
    }
    const text = typeof fields.text === 'string' ? { text: fields.text } : {};
    return { success: true, value: { ...base, ...text, tokenIds: fields.token_ids as number[] } };
  }
  if (typeof fields.text === 'string')
    return { success: true, value: { ...base, text: fields.text } };
  const response = fields.response;
  if (typeof response === 'object' && response !== null) {
    const text = (response as Record<string, unknown>).text;
    if (typeof text === 'string') return { success: true, value: { ...base, text } };
  }
  return { success: false, error: 'no text, token_ids or response.text' };
}
