import { createReadStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { createJsonLinesWriter } from '../../log/index.js';
import { serialiseExchange } from '../../log/serialise-exchange.js';
import type { ExchangeSink } from './exchange-recorder.js';

/**
 * Exchange records appended to a log-v1 JSON Lines file (gzip when it ends in `.gz`). A restart
 * appends to the file a previous run wrote (issue 16, item 9: it used to be truncated); `count`
 * includes the records already there. Each record is serialised on its own
 * (`serialiseExchange`): one that cannot be is written truncated. `deleteBefore` (retention)
 * rewrites the file without the old records, between two batches.
 */
export async function createJsonLinesExchangeSink({
  path,
}: {
  path: string;
}): Promise<ExchangeSink> {
  let existing = await countLines(path);
  let writer = await createJsonLinesWriter(path, { append: true });
  // Writes and rewrites one at a time: a rewrite swaps the file under the writer.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    version: 1,
    writeBatch: (exchanges) =>
      serial(async () => {
        for (const exchange of exchanges) await writer.writeLine(serialiseExchange(exchange).line);
      }),
    writeSerialised: (rows) =>
      serial(async () => {
        for (const row of rows) await writer.writeLine(row.line);
      }),
    count: async () => existing + writer.count,
    close: () => serial(() => writer.close()),
    deleteBefore: (before) =>
      serial(async () => {
        await writer.close();
        const { kept, deleted } = await rewriteWithout(path, Date.parse(before));
        existing = kept;
        writer = await createJsonLinesWriter(path, { append: true });
        return deleted;
      }),
  };
}

/**
 * Rewrites the file keeping the lines whose `ts` is not before `cutoffMs` (a line that cannot be
 * read is kept: nothing is deleted unjudged), then swaps it in by rename.
 */
async function rewriteWithout(
  path: string,
  cutoffMs: number,
): Promise<{ kept: number; deleted: number }> {
  const temporary = `${path}.retention-${process.pid}${path.endsWith('.gz') ? '.gz' : ''}`;
  const out = await createJsonLinesWriter(temporary);
  let kept = 0;
  let deleted = 0;
  try {
    const file = createReadStream(path);
    const source = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
    if (source !== file) file.on('error', (error) => source.destroy(error));
    try {
      for await (const line of createInterface({ input: source, crlfDelay: Infinity })) {
        if (line.trim() === '') continue;
        if (isBefore(line, cutoffMs)) deleted += 1;
        else {
          await out.writeLine(line);
          kept += 1;
        }
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'Z_BUF_ERROR' && code !== 'Z_DATA_ERROR') throw error;
    }
    await out.close();
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return { kept, deleted };
}

function isBefore(line: string, cutoffMs: number): boolean {
  try {
    const { ts } = JSON.parse(line) as { ts?: unknown };
    return typeof ts === 'string' && Date.parse(ts) < cutoffMs;
  } catch {
    return false;
  }
}

/** Complete lines already in the file (0 when there is none). */
async function countLines(path: string): Promise<number> {
  const file = createReadStream(path);
  const source = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  if (source !== file) file.on('error', (error) => source.destroy(error));
  let lines = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) lines += 1;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A missing file is a first start; a gzip stream cut by a crash still counts what it holds.
    if (code !== 'ENOENT' && code !== 'Z_BUF_ERROR' && code !== 'Z_DATA_ERROR') throw error;
  }
  return lines;
}
