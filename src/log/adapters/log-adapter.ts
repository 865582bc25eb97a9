import type { Result } from '../../shared/distillguard-error.js';
import type { Exchange } from '../exchange.js';

/** The names `analyze --format` takes, besides `auto` (sniffed per file). */
export type LogFormatName =
  | 'v1'
  | 'glasswally'
  | 'litellm'
  | 'portkey'
  | 'helicone'
  | 'langfuse'
  | 'otel'
  | 'gateway-duckdb';

/**
 * A foreign log format read as log v1, version 1 (docs/log-adapters.md). One parsed record in,
 * its exchanges out: one for most formats, several for an OTLP export that carries many spans,
 * none for a record that is not a model call (a Langfuse span, an embeddings call).
 *
 * @example
 * const adapter: LogAdapter = { name: 'litellm', label: 'a LiteLLM spend log', sniff, convert };
 */
export interface LogAdapter {
  readonly name: LogFormatName;
  /** What a record of this format is, for humans: `a LiteLLM spend log`. */
  readonly label: string;
  /** True when a parsed record looks like this format (cheap: field names only). */
  sniff(value: unknown): boolean;
  /** The record as log-v1 exchanges, or why it cannot be one. Never throws. */
  convert(value: unknown): Result<Exchange | Exchange[], string>;
}

/** Why a line was rejected, with a code a script can act on (`foreign_format`: see `format`). */
export interface LineProblem {
  reason: string;
  code: string;
  /** The format the line looks like, for `--format`. */
  format?: LogFormatName;
}
