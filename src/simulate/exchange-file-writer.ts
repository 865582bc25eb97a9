import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable, WritableOptions } from 'node:stream';
import { createGzip, type ZlibOptions } from 'node:zlib';

/**
 * gzip level of `exchanges.jsonl.gz`. Level 3 compresses about twice as fast as zlib's default
 * (6) for files about a third larger; compression, not generation, bounds the simulator at scale.
 */
export const EXCHANGE_GZIP_LEVEL = 3;

const BUFFER_BYTES = 1 << 20;

export interface ExchangeFileWriter {
  /** Queues one record; await the promise when one is returned (backpressure). */
  write(record: object): Promise<void> | undefined;
  close(): Promise<void>;
}

export interface ExchangeFileWriterOptions {
  gzipLevel?: number;
}

/**
 * A JSON-lines writer for the simulator's large output: lines are encoded into 1 MiB writes and
 * the gzip stream may hold 8 MiB, so the generator keeps running while zlib compresses earlier
 * batches on the libuv thread pool instead of stopping at every write for `drain`.
 *
 * @example
 * const writer = await createExchangeFileWriter('runs/x/exchanges.jsonl.gz');
 * for (const exchange of exchanges) await writer.write(exchange);
 * await writer.close();
 */
export async function createExchangeFileWriter(
  path: string,
  { gzipLevel = EXCHANGE_GZIP_LEVEL }: ExchangeFileWriterOptions = {},
): Promise<ExchangeFileWriter> {
  await mkdir(dirname(path), { recursive: true });
  const file = createWriteStream(path, { highWaterMark: 1 << 20 });
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
  const flush = (): Promise<void> | undefined => {
    if (used === 0) return undefined;
    const chunk = buffer.subarray(0, used);
    buffer = Buffer.allocUnsafe(BUFFER_BYTES);
    used = 0;
    return send(chunk);
  };
  const send = (chunk: Buffer | string): Promise<void> | undefined =>
    sink.write(chunk) ? undefined : once(sink, 'drain').then(() => undefined);
  return {
    write(record) {
      if (failure) throw failure;
      const json = JSON.stringify(record);
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
