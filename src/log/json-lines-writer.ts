import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { constants, createGzip, type ZlibOptions } from 'node:zlib';

/** Writes one JSON object per line; gzip when the path ends in `.gz`. */
export interface JsonLinesWriter {
  /** Returns a promise only when the stream wants the caller to wait (backpressure). */
  write(record: unknown): Promise<void> | undefined;
  /** Writes one line already serialised (no newline); same backpressure contract as `write`. */
  writeLine(line: string): Promise<void> | undefined;
  /** Flushes and closes; resolves once the file is complete on disk. */
  close(): Promise<void>;
  readonly path: string;
  readonly count: number;
}

export interface JsonLinesWriterOptions {
  /** gzip level 1–9; default 6 (zlib's default, byte-identical across runs). */
  gzipLevel?: number;
}

/**
 * @example
 * const writer = await createJsonLinesWriter('out/exchanges.jsonl.gz');
 * for (const exchange of exchanges) await writer.write(exchange);
 * await writer.close();
 */
export async function createJsonLinesWriter(
  path: string,
  { gzipLevel = constants.Z_DEFAULT_COMPRESSION }: JsonLinesWriterOptions = {},
): Promise<JsonLinesWriter> {
  await mkdir(dirname(path), { recursive: true });
  const file = createWriteStream(path, { highWaterMark: 1 << 20 });
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
  const writeLine = (text: string): Promise<void> | undefined => {
    if (failure) throw failure;
    const line = `${text}\n`;
    pending.push(line);
    pendingLength += line.length;
    count += 1;
    return pendingLength >= 1 << 18 ? flush() : undefined;
  };
  return {
    path,
    get count() {
      return count;
    },
    write: (record) => writeLine(JSON.stringify(record)),
    writeLine,
    async close() {
      await flush();
      const finished = once(file, 'close');
      sink.end();
      await finished;
      if (failure) throw failure;
    },
  };
}
