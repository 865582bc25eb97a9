import { DuckDBInstance } from '@duckdb/node-api';
import type { ExchangeSink } from './exchange-recorder.js';

/**
 * Exchange records in an embedded DuckDB file (table `exchanges`): the columns queries filter on,
 * plus the full log-v1 record as JSON text, so `COPY (SELECT record …)` gives back a v1 log.
 *
 * @example
 * const sink = await createDuckDbExchangeSink({ path: 'gateway.duckdb' });
 */
export async function createDuckDbExchangeSink({
  path,
}: {
  path: string;
}): Promise<ExchangeSink & { query(sql: string): Promise<Record<string, unknown>[]> }> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE IF NOT EXISTS exchanges (
    id VARCHAR, ts VARCHAR, account_id VARCHAR, endpoint VARCHAR, model VARCHAR,
    status INTEGER, latency_ms DOUBLE, record VARCHAR)`);
  let closed = false;
  return {
    version: 1,
    async writeBatch(exchanges) {
      const appender = await connection.createAppender('exchanges');
      for (const exchange of exchanges) {
        appender.appendVarchar(exchange.id);
        appender.appendVarchar(exchange.ts);
        appender.appendVarchar(exchange.account_id);
        appender.appendVarchar(exchange.endpoint);
        appender.appendVarchar(exchange.model);
        appender.appendInteger(exchange.status);
        appender.appendDouble(exchange.latency_ms ?? 0);
        appender.appendVarchar(JSON.stringify(exchange));
        appender.endRow();
      }
      appender.closeSync();
    },
    async count() {
      const reader = await connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM exchanges');
      return Number(reader.getRowObjects()[0]?.n ?? 0);
    },
    async query(sql) {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJson() as Record<string, unknown>[];
    },
    async close() {
      if (closed) return;
      closed = true;
      connection.closeSync();
      instance.closeSync();
    },
  };
}
