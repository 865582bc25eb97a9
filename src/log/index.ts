/**
 * Exchange log v1: types, streaming readers and writers for JSONL / `.jsonl.gz` / Parquet, and the
 * adapters for foreign logs (Glasswally, LiteLLM, Portkey, Helicone, Langfuse, OpenTelemetry GenAI,
 * the gateway's DuckDB store). Contracts: docs/log-format.md, docs/log-adapters.md.
 */

export * from './adapters/index.js';
export {
  createLogValueParser,
  type LogFormat,
  type ParsedRecord,
} from './create-log-value-parser.js';
export * from './exchange.js';
export { checkExchangeInputs, guardInputErrors } from './exchange-input-errors.js';
export {
  createJsonLinesWriter,
  type JsonLinesWriter,
  type JsonLinesWriterOptions,
} from './json-lines-writer.js';
export {
  DEFAULT_REORDER_WINDOW_MS,
  type ExchangeBatch,
  type ExchangeSource,
  type MergeExchangeSourcesOptions,
  mergeExchangeSources,
} from './merge-exchange-sources.js';
export { readParquetExchanges, writeParquetExchanges } from './parquet.js';
export { isRfc3339, parseAccountRecord, parseExchange } from './parse-exchange.js';
export { parseJsonLine } from './parse-json-line.js';
export {
  type ReadExchangesOptions,
  readAccounts,
  readExchangeBatches,
  readExchanges,
} from './read-exchanges.js';
export {
  type LineRejection,
  lineRejection,
  type ReadJsonLinesOptions,
  readJsonLineBatches,
  readJsonLines,
} from './read-json-lines.js';
export { createRejectionSummary, type RejectionSummary } from './rejection-summary.js';
export { serialiseExchange, truncateExchange } from './serialise-exchange.js';
export { type SortExchangeFilesOptions, sortExchangeFiles } from './sort-exchange-files.js';
