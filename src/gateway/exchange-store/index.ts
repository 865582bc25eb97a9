// The exchange store: the recorder that batches one log-v1 record per proxied request, and the
// sinks it writes to (DuckDB through a worker thread, JSON lines, memory for tests).

export { serialiseExchange, truncateExchange } from '../../log/serialise-exchange.js';
export { createDuckDbExchangeSink } from './duckdb-exchange-sink.js';
export {
  type BatchingRecorderOptions,
  createBatchingRecorder,
  createMemoryExchangeSink,
  type ExchangeRecorder,
  type ExchangeSink,
  type RecorderHealth,
} from './exchange-recorder.js';
export * from './governance/index.js';
export { createJsonLinesExchangeSink } from './json-lines-exchange-sink.js';
export { openExchangeStore } from './open-exchange-store.js';
export {
  type SerialisedExchange,
  serialiseForStore,
  truncateSerialised,
} from './serialised-exchange.js';
