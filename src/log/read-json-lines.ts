import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Result } from '../shared/distillguard-error.js';

/** A line a reader could not use: the file, its 1-based line number and why. */
export interface LineRejection {
  file: string;
  line: number;
  reason: string;
}

export interface ReadJsonLinesOptions {
  /** Called once per rejected line; the rest of the file still flows. */
  onReject?: (rejection: LineRejection) => void;
  /** Longer lines are rejected without buffering them whole (bounded memory). Default 16 MiB. */
  maxLineLength?: number;
}

/**
 * Streams a JSON Lines file (gzip when the name ends in `.gz`) in batches of parsed records,
 * with memory bounded by the chunk size and `maxLineLength`. Blank lines are skipped.
 *
 * @example
 * for await (const batch of readJsonLineBatches('x.jsonl.gz', parseExchange)) handle(batch);
 */
export async function* readJsonLineBatches<T>(
  path: string,
  parse: (value: unknown) => Result<T, string>,
  { onReject, maxLineLength = 16 * 1024 * 1024 }: ReadJsonLinesOptions = {},
): AsyncGenerator<T[]> {
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const source = path.endsWith('.gz') ? file.pipe(createGunzip({ chunkSize: 1 << 20 })) : file;
  if (source !== file) file.on('error', (error) => source.destroy(error));
  source.setEncoding('utf8');
  const reject = (line: number, reason: string) => onReject?.({ file: path, line, reason });
  let carry = '';
  let lineNumber = 0;
  let skippingLongLine = false;

  const handleLine = (text: string, batch: T[]) => {
    lineNumber += 1;
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      reject(lineNumber, `malformed JSON (${(error as Error).message})`);
      return;
    }
    const parsed = parse(value);
    if (parsed.success) batch.push(parsed.value);
    else reject(lineNumber, parsed.error);
  };

  try {
    for await (const chunk of source as AsyncIterable<string>) {
      const batch: T[] = [];
      let start = 0;
      let newline = chunk.indexOf('\n');
      while (newline !== -1) {
        if (skippingLongLine) {
          lineNumber += 1;
          reject(lineNumber, `line longer than ${maxLineLength} characters`);
          skippingLongLine = false;
        } else if (carry !== '') {
          handleLine(carry + chunk.slice(start, newline), batch);
          carry = '';
        } else {
          handleLine(chunk.slice(start, newline), batch);
        }
        start = newline + 1;
        newline = chunk.indexOf('\n', start);
      }
      if (!skippingLongLine && start < chunk.length) {
        carry += chunk.slice(start);
        if (carry.length > maxLineLength) {
          carry = '';
          skippingLongLine = true;
        }
      }
      if (batch.length > 0) yield batch;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') {
      // The partial line before the cut is part of the same damage: report it once.
      reject(lineNumber + 1, `truncated or corrupt gzip data (${(error as Error).message})`);
      carry = '';
      skippingLongLine = false;
    } else {
      throw error;
    }
  }
  const last: T[] = [];
  if (skippingLongLine) {
    lineNumber += 1;
    reject(lineNumber, `line longer than ${maxLineLength} characters`);
  } else if (carry !== '') {
    handleLine(carry, last);
  }
  if (last.length > 0) yield last;
}

/** Streams a JSON Lines file record by record (see {@link readJsonLineBatches}). */
export async function* readJsonLines<T>(
  path: string,
  parse: (value: unknown) => Result<T, string>,
  options: ReadJsonLinesOptions = {},
): AsyncGenerator<T> {
  for await (const batch of readJsonLineBatches(path, parse, options)) yield* batch;
}
