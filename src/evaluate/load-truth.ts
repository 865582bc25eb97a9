import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Verdict } from '../detect/verdict.js';
import type { TruthExchange, TruthRecord } from '../log/exchange.js';
import { type LineRejection, readJsonLines } from '../log/index.js';
import { DistillguardError, type Result } from '../shared/distillguard-error.js';
import { parseTruthExchange, parseTruthRecord, parseVerdict } from './parse-records.js';

export interface LoadedTruth {
  truth: TruthRecord[];
  truthExchanges: TruthExchange[];
  /** The simulator's exchange log beside the truth, when present (needed for leakage and TTD). */
  exchangesPath: string | null;
}

/**
 * Loads ground truth from a `simulate` output directory (or a `truth.jsonl` file, whose siblings
 * `truth-exchanges.jsonl` and `exchanges.jsonl.gz` are used when present). Any malformed line is
 * an error: a metric computed over silently dropped truth would be wrong.
 *
 * @example
 * const { truth, truthExchanges, exchangesPath } = await loadTruth('runs/quickstart');
 */
export async function loadTruth(dirOrFile: string): Promise<LoadedTruth> {
  const kind = await pathKind(dirOrFile);
  if (kind === 'missing') {
    throw new DistillguardError(
      'truth_not_found',
      `${dirOrFile} does not exist: pass a \`distillguard simulate --out\` directory or its truth.jsonl`,
      { path: dirOrFile },
    );
  }
  const directory = kind === 'directory' ? dirOrFile : dirname(dirOrFile);
  const truthPath =
    kind === 'file'
      ? dirOrFile
      : await firstExisting([join(directory, 'truth.jsonl'), join(directory, 'truth.jsonl.gz')]);
  if (truthPath === null) {
    throw new DistillguardError(
      'truth_not_found',
      `no truth.jsonl in ${directory}: pass the directory written by \`distillguard simulate --out\``,
      { path: directory },
    );
  }
  const truth = await readAllStrict(truthPath, parseTruthRecord, 'truth_invalid');
  const truthExchangesPath = await firstExisting([
    join(directory, 'truth-exchanges.jsonl'),
    join(directory, 'truth-exchanges.jsonl.gz'),
  ]);
  const truthExchanges =
    truthExchangesPath === null
      ? []
      : await readAllStrict(truthExchangesPath, parseTruthExchange, 'truth_invalid');
  const exchangesPath = await firstExisting([
    join(directory, 'exchanges.jsonl.gz'),
    join(directory, 'exchanges.jsonl'),
  ]);
  return { truth, truthExchanges, exchangesPath };
}

/** Loads `verdicts.jsonl` (contract: docs/verdicts.md); any malformed line is an error. */
export async function loadVerdicts(path: string): Promise<Verdict[]> {
  if ((await pathKind(path)) !== 'file') {
    throw new DistillguardError(
      'verdicts_not_found',
      `${path} is not a file: pass the verdicts.jsonl written by \`distillguard analyze --out\``,
      { path },
    );
  }
  return readAllStrict(path, parseVerdict, 'verdicts_invalid');
}

async function readAllStrict<T>(
  path: string,
  parse: (value: unknown) => Result<T, string>,
  code: string,
): Promise<T[]> {
  const rejections: LineRejection[] = [];
  const records: T[] = [];
  for await (const record of readJsonLines(path, parse, {
    onReject: (rejection) => rejections.push(rejection),
  })) {
    records.push(record);
  }
  if (rejections.length > 0) {
    const shown = rejections
      .slice(0, 5)
      .map(({ file, line, reason }) => `${file}:${line}: ${reason}`)
      .join('; ');
    const more = rejections.length > 5 ? ` (and ${rejections.length - 5} more)` : '';
    throw new DistillguardError(
      code,
      `${rejections.length} malformed line(s) in ${path}; fix or regenerate the file: ${shown}${more}`,
      { path, rejected: rejections.length },
    );
  }
  return records;
}

async function pathKind(path: string): Promise<'file' | 'directory' | 'missing'> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? 'directory' : 'file';
  } catch {
    return 'missing';
  }
}

async function firstExisting(paths: readonly string[]): Promise<string | null> {
  for (const path of paths) if ((await pathKind(path)) === 'file') return path;
  return null;
}
