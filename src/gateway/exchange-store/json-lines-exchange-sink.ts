import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { createJsonLinesWriter } from '../../log/index.js';
import { serialiseExchange } from '../../log/serialise-exchange.js';
import type { ExchangeSink } from './exchange-recorder.js';

/**
 * Exchange records appended to a log-v1 JSON Lines file (gzip when it ends in `.gz`). A restart
 * appends to the file a previous run wrote (issue 16, item 9: it used to be truncated); `count`
 * includes the records already there. Each record is serialised on its own
 * (`serialiseExchange`): one that cannot be is written truncated.
 */
export async function createJsonLinesExchangeSink({
  path,
}: {
  path: string;
}): Promise<ExchangeSink> {
  const existing = await countLines(path);
  const writer = await createJsonLinesWriter(path, { append: true });
  return {
    version: 1,
    async writeBatch(exchanges) {
      for (const exchange of exchanges) await writer.writeLine(serialiseExchange(exchange).line);
    },
    count: async () => existing + writer.count,
    close: () => writer.close(),
  };
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
