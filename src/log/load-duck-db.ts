/**
 * The DuckDB bindings, loaded on first use. Every reader of `src/log` (each `analyze` worker
 * too) would otherwise load them (~0.2 CPU-s) for a JSON Lines log that never needs them.
 */
export function loadDuckDb(): Promise<typeof import('@duckdb/node-api')> {
  return import('@duckdb/node-api');
}
