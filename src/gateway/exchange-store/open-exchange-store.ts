import type { GatewayConfig } from '../gateway-config.js';
import { createDuckDbExchangeSink } from './duckdb-exchange-sink.js';
import { createMemoryExchangeSink, type ExchangeSink } from './exchange-recorder.js';
import { type GovernedSinkOptions, governExchangeSink } from './governance/index.js';
import { createJsonLinesExchangeSink } from './json-lines-exchange-sink.js';

/**
 * The exchange store a gateway's config names, with its data governance (retention, body
 * sampling, redaction) applied.
 *
 * @example
 * const sink = await openExchangeStore(config.store);
 */
export async function openExchangeStore(
  store: GatewayConfig['store'],
  options: GovernedSinkOptions = {},
): Promise<ExchangeSink> {
  if (store.kind === 'memory') return createMemoryExchangeSink();
  const sink =
    store.kind === 'duckdb'
      ? await createDuckDbExchangeSink({ path: store.path })
      : await createJsonLinesExchangeSink({ path: store.path });
  if (store.retention_days === undefined && store.bodies === undefined) return sink;
  return governExchangeSink(sink, store, options);
}
