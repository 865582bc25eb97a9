import { glasswallyAdapter } from './glasswally.js';
import { heliconeAdapter } from './helicone.js';
import { langfuseAdapter } from './langfuse.js';
import { litellmAdapter } from './litellm.js';
import type { LogAdapter, LogFormatName } from './log-adapter.js';
import { otelGenAiAdapter } from './otel-genai.js';
import { portkeyAdapter } from './portkey.js';
import { v1Adapter } from './v1.js';

/** Every record adapter, in the order they are sniffed (the most specific shapes first). */
export const LOG_ADAPTERS: readonly LogAdapter[] = [
  v1Adapter,
  glasswallyAdapter,
  litellmAdapter,
  heliconeAdapter,
  portkeyAdapter,
  langfuseAdapter,
  otelGenAiAdapter,
];

/** Every name `--format` accepts. `gateway-duckdb` is a file (the gateway's store), not a record. */
export const LOG_FORMATS: readonly ('auto' | LogFormatName)[] = [
  'auto',
  ...LOG_ADAPTERS.map((adapter) => adapter.name),
  'gateway-duckdb',
];

export function logAdapterNamed(name: LogFormatName): LogAdapter | undefined {
  return LOG_ADAPTERS.find((adapter) => adapter.name === name);
}

/**
 * The format most of `records` (a file's first few) look like, or undefined when none matches:
 * one odd first line does not decide a file.
 */
export function sniffLogFormat(records: readonly unknown[]): LogFormatName | undefined {
  let best: LogAdapter | undefined;
  let bestCount = 0;
  for (const adapter of LOG_ADAPTERS) {
    let matches = 0;
    for (const value of records) if (adapter.sniff(value)) matches += 1;
    if (matches > bestCount) {
      best = adapter;
      bestCount = matches;
    }
  }
  return best?.name;
}

/** The adapter a rejected record looks like, other than the ones it was read with. */
export function lookAlikeOf(
  value: unknown,
  readWith: readonly LogFormatName[],
): LogAdapter | undefined {
  return LOG_ADAPTERS.find((adapter) => !readWith.includes(adapter.name) && adapter.sniff(value));
}
