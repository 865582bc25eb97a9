import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { LogFormat } from '../create-log-value-parser.js';
import { sniffLogFormat } from './log-adapters.js';

/**
 * How a file holds its records: JSON Lines (`lines`), one JSON document (an array, an API page
 * with `data`, an OTLP export), Parquet in the log-v1 layout, or the gateway's DuckDB store.
 */
export type LogContainer = 'lines' | 'document' | 'parquet' | 'duckdb';

/** A file as a reader should take it: its container and the format of its records. */
export interface LogInput {
  path: string;
  container: LogContainer;
  /**
   * A foreign format sniffed or forced, or `auto` (log v1 and Glasswally line by line; for a
   * document, sniffed when it is read).
   */
  format: LogFormat;
}

const HEAD_BYTES = 1 << 20;
const SNIFF_RECORDS = 5;

/**
 * Decides how to read `path`: the container from its name and first bytes (DuckDB's magic
 * `DUCK` at byte 8, a leading `[` or a multi-line object for a JSON document), and with
 * `requested` = `auto` the format from its first records, so each file of one `analyze` run
 * may be a different format. A forced format is kept as given.
 *
 * @example
 * await resolveLogInput('spend-logs.jsonl'); // { container: 'lines', format: 'litellm', … }
 */
export async function resolveLogInput(
  path: string,
  requested: LogFormat = 'auto',
): Promise<LogInput> {
  if (requested === 'gateway-duckdb' || (await isDuckDbFile(path))) {
    return { path, container: 'duckdb', format: 'gateway-duckdb' };
  }
  if (path.endsWith('.parquet')) return { path, container: 'parquet', format: 'v1' };
  const head = await readHead(path);
  const lines = head.text.split('\n');
  if (!head.whole) lines.pop(); // the last line may be cut
  const filled = lines.filter((line) => line.trim() !== '');
  const first = filled[0]?.trim() ?? head.text.trimStart();
  // Pretty-printed JSON opens a multi-line value and indents what follows; a JSON Lines file
  // whose first line is malformed is still JSON Lines (the reader reports that line).
  const document =
    first.startsWith('[') ||
    first === '{' ||
    (first.startsWith('{') && !parses(first) && /^\s/.test(filled[1] ?? ''));
  if (document) return { path, container: 'document', format: requested };
  if (requested !== 'auto') return { path, container: 'lines', format: requested };
  const records: unknown[] = [];
  for (const line of lines) {
    if (records.length >= SNIFF_RECORDS) break;
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      // A malformed line is the reader's to report.
    }
  }
  // A first line longer than the head: an OTLP export names its shape first.
  if (records.length === 0 && /^\s*\{\s*"resourceSpans"/.test(head.text)) {
    return { path, container: 'lines', format: 'otel' };
  }
  return { path, container: 'lines', format: formatOfRecords(records) };
}

/** The format to read sniffed records with: a foreign one, or `auto` for log v1 and Glasswally. */
export function formatOfRecords(records: readonly unknown[]): LogFormat {
  const sniffed = sniffLogFormat(records);
  return sniffed === undefined || sniffed === 'v1' || sniffed === 'glasswally' ? 'auto' : sniffed;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function isDuckDbFile(path: string): Promise<boolean> {
  if (path.endsWith('.gz')) return false;
  const file = await open(path, 'r');
  try {
    const bytes = Buffer.alloc(12);
    const { bytesRead } = await file.read(bytes, 0, 12, 0);
    return bytesRead === 12 && bytes.toString('latin1', 8, 12) === 'DUCK';
  } finally {
    await file.close();
  }
}

/** The first megabyte of text (inflated when `.gz`), and whether it is the whole file. */
async function readHead(path: string): Promise<{ text: string; whole: boolean }> {
  const file = createReadStream(path, { highWaterMark: 1 << 16 });
  const source = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  if (source !== file) file.on('error', (error) => source.destroy(error));
  const chunks: Buffer[] = [];
  let bytes = 0;
  let whole = true;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      bytes += chunk.length;
      if (bytes >= HEAD_BYTES) {
        whole = false;
        break;
      }
    }
  } catch {
    // A corrupt gzip stream: sniff what came out; the reader reports the damage.
    whole = false;
  } finally {
    file.destroy();
    if (source !== file) source.destroy();
  }
  return { text: Buffer.concat(chunks).subarray(0, HEAD_BYTES).toString('utf8'), whole };
}
