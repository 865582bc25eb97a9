import { createJsonLinesWriter } from '../../log/index.js';
import type { ExchangeSink } from './exchange-recorder.js';
import { serialiseExchange } from './serialise-exchange.js';

/**
 * Exchange records appended to a log-v1 JSON Lines file (gzip when it ends in `.gz`). Each
 * record is serialised on its own (`serialiseExchange`): one that cannot be is written truncated.
 */
export async function createJsonLinesExchangeSink({
  path,
}: {
  path: string;
}): Promise<ExchangeSink> {
  const writer = await createJsonLinesWriter(path);
  return {
    version: 1,
    async writeBatch(exchanges) {
      for (const exchange of exchanges) await writer.writeLine(serialiseExchange(exchange).line);
    },
    count: async () => writer.count,
    close: () => writer.close(),
  };
}
