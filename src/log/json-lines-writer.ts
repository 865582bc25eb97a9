import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable, WritableOptions } from 'node:stream';
import { constants, createGzip, type ZlibOptions } from 'node:zlib';
import { stringifyWellFormed } from './stringify-well-formed.js';

/**
 * Writes one JSON object per line; gzip when the path ends in `.gz`. Lone surrogates in strings
 * are written as U+FFFD ({@link stringifyWellFormed}): every line is valid UTF-8 JSON.
 */
export interface JsonLinesWriter {
  /** Queues one record; await the promise when one is returned (backpressure). */
  write(record: unknown): Promise<void> | undefined;
  /** Writes one line already serialised (no newline); same backpressure contract as `write`. */
  writeLine(line: string): Promise<void> | undefined;
  /** Flushes and closes; resolves once the file is complete on disk. */
  close(): Promise<void>;
  readonly path: string;
  readonly count: number;
}

export interface JsonLinesWriterOptions {
  /**
   * gzip level 1–9; default zlib's own (6). The output is byte-identical across runs for a
   * given level. The simulator writes its large exchange file at a faster level.
   */
  gzipLevel?: number;
  /**
   * Add to an existing file instead of replacing it (a `.gz` file gets another gzip member,
   * which gunzip reads as one stream). A plain file cut in the middle of a line gets a newline
   * first, so the cut line stays one rejected line and the next record stays whole.
   */
  append?: boolean;
}

const BUFFER_BYTES = 1 << 20;

/**
 * The one JSON Lines writer (verdicts, simulator output, gateway logs): lines are encoded into
 * 1 MiB writes and the gzip stream may hold 8 MiB, so the producer keeps running while zlib
 * compresses earlier batches on the libuv thread pool instead of stopping at every `drain`.
 *
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
    // zlib streams take the stream options too (absent from the ZlibOptions type).
    const gzipOptions: ZlibOptions & WritableOptions = {
      level: gzipLevel,
      chunkSize: 1 << 16,
      highWaterMark: 1 << 23,
    };
    const gzip = createGzip(gzipOptions);
    gzip.pipe(file);
    sink = gzip;
  }
  let failure: Error | undefined;
  const fail = (error: Error) => {
    failure = error;
  };
  sink.on('error', fail);
  file.on('error', fail);
  // Lines are encoded straight into a 1 MiB buffer: joining strings and then encoding the joined
  // text copied every byte twice (a third of the writer's main-thread time).
  let buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  let used = 0;
  let count = 0;
  const send = (chunk: Buffer | string): Promise<void> | undefined =>
    sink.write(chunk) ? undefined : once(sink, 'drain').then(() => undefined);
  const flush = (): Promise<void> | undefined => {
    if (used === 0) return undefined;
    const chunk = buffer.subarray(0, used);
    buffer = Buffer.allocUnsafe(BUFFER_BYTES);
    used = 0;
    return send(chunk);
  };
  const writeLine = (json: string): Promise<void> | undefined => {
    if (failure) throw failure;
    count += 1;
    // UTF-8 takes at most 3 bytes per UTF-16 unit (4 per surrogate pair).
    const worstCase = json.length * 3 + 1;
    let pending: Promise<void> | undefined;
    if (used + worstCase > buffer.length) {
      pending = flush();
      if (worstCase > buffer.length) {
        const alone = send(`${json}\n`);
        return pending && alone
          ? Promise.all([pending, alone]).then(() => undefined)
          : (pending ?? alone);
      }
    }
    used += buffer.write(json, used);
    buffer[used++] = 10;
    return pending;
  };
  return {
    path,
    get count() {
      return count;
    },
    write: (record) => writeLine(String(stringifyWellFormed(record))),
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
