import { createJsonLinesWriter } from '../../log/index.js';
import type { ExchangeSink } from './exchange-recorder.js';

/** Exchange records appended to a log-v1 JSON Lines file (gzip when it ends in `.gz`). */
export async function createJsonLinesExchangeSink({
  path,
}: {
  path: string;
}): Promise<ExchangeSink> {
  const writer = await createJsonLinesWriter(path);
  return {
    version: 1,
    async writeBatch(exchanges) {
      for (const exchange of exchanges) await writer.write(exchange);
    },
    count: async () => writer.count,
    close: () => writer.close(),
  };
}
