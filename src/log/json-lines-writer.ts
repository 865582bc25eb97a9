import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { constants, createGzip, type ZlibOptions } from 'node:zlib';
import { stringifyWellFormed } from './stringify-well-formed.js';

/**
 * Writes one JSON object per line; gzip when the path ends in `.gz`. Lone surrogates in strings
 * are written as U+FFFD ({@link stringifyWellFormed}): every line is valid UTF-8 JSON.
 */
export interface JsonLinesWriter {
  /** Returns a promise only when the stream wants the caller to wait (backpressure). */
  write(record: unknown): Promise<void> | undefined;
  /** Flushes and closes; resolves once the file is complete on disk. */
  close(): Promise<void>;
  readonly path: string;
  readonly count: number;
}

export interface JsonLinesWriterOptions {
  /** gzip level 1–9; default 6 (zlib's default, byte-identical across runs). */
  gzipLevel?: number;
  /**
   * Add to an existing file instead of replacing it (a `.gz` file gets another gzip member,
   * which gunzip reads as one stream). A plain file cut in the middle of a line gets a newline
   * first, so the cut line stays one rejected line and the next record stays whole.
   */
  append?: boolean;
}

/**
 * @example
 * const writer = await createJsonLinesWriter('out/exchanges.jsonl.gz');
 * for (const exchange of exchanges) await writer.write(exchange);
 * await writer.close();
 */
export async function createJsonLinesWriter(
  path: string,
  { gzipLevel = constants.Z_DEFAULT_COMPRESSION, append = false }: JsonLinesWriterOptions = {},
): Promise<JsonLinesWriter> {
  await mkdir(dirname(path), { recursive: true });
  const cutLine = append && !path.endsWith('.gz') && (await endsInsideLine(path));
  const file = createWriteStream(path, { highWaterMark: 1 << 20, flags: append ? 'a' : 'w' });
  if (cutLine) file.write('\n');
  let sink: Writable = file;
  if (path.endsWith('.gz')) {
    // A deep zlib buffer lets generation and compression overlap instead of waiting on `drain`.
    const gzipOptions: ZlibOptions & { highWaterMark: number } = {
      level: gzipLevel,
      chunkSize: 1 << 16,
      highWaterMark: 1 << 23,
    };
    const gzip = createGzip(gzipOptions);
    gzip.pipe(file);
    sink = gzip;
  }
  let failure: Error | undefined;
  sink.on('error', (error) => {
    failure = error;
  });
  file.on('error', (error) => {
    failure = error;
  });
  // Small writes are joined into ~256 KiB strings: one stream write per line is the slow path.
  let pending: string[] = [];
  let pendingLength = 0;
  let count = 0;
  const flush = (): Promise<void> | undefined => {
    if (pending.length === 0) return undefined;
    const text = pending.join('');
    pending = [];
    pendingLength = 0;
    if (!sink.write(text)) return once(sink, 'drain').then(() => undefined);
    return undefined;
  };
  return {
    path,
    get count() {
      return count;
    },
    write(record) {
      if (failure) throw failure;
      const line = `${stringifyWellFormed(record)}\n`;
      pending.push(line);
      pendingLength += line.length;
      count += 1;
      return pendingLength >= 1 << 18 ? flush() : undefined;
    },
    async close() {
      await flush();
      const finished = once(file, 'close');
      sink.end();
      await finished;
      if (failure) throw failure;
    },
  };
}

async function endsInsideLine(path: string): Promise<boolean> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  } finally {
    await handle?.close();
  }
}
