import type { DuckDBInstance } from '@duckdb/node-api';
import { DistillguardError } from '../../shared/distillguard-error.js';
import type { Exchange } from '../exchange.js';
import { loadDuckDb } from '../load-duck-db.js';
import { parseExchange } from '../parse-exchange.js';
import type { LineRejection } from '../read-json-lines.js';

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Streams the exchanges of the gateway's DuckDB exchange store (table `exchanges`, the log-v1
 * record as JSON text in `record`: src/gateway/exchange-store), in time order, read-only. A row
 * whose record is not a valid exchange is rejected with its 1-based row number as `line`.
 *
 * @example
 * for await (const batch of readGatewayStoreBatches('gateway.duckdb')) handle(batch);
 */
export async function* readGatewayStoreBatches(
  path: string,
  { onReject }: { onReject?: ((rejection: LineRejection) => void) | undefined } = {},
): AsyncGenerator<Exchange[]> {
  let instance: DuckDBInstance;
  try {
    instance = await (await loadDuckDb()).DuckDBInstance.create(':memory:');
  } catch (error) {
    throw new DistillguardError('input_unreadable', `${path}: ${(error as Error).message}`);
  }
  const connection = await instance.connect();
  try {
    try {
      await connection.run(`ATTACH ${quote(path)} AS store (READ_ONLY)`);
    } catch (error) {
      const message = (error as Error).message;
      throw new DistillguardError(
        /lock/i.test(message) ? 'input_locked' : 'input_corrupt',
        /lock/i.test(message)
          ? `${path} is open in a running gateway: copy the file (or stop the gateway) and analyze the copy`
          : `${path}: cannot be opened as a DuckDB store (${message.split('\n')[0]})`,
        { file: path },
      );
    }
    const tables = await connection.runAndReadAll(
      `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE database_name = 'store' AND table_name = 'exchanges'`,
    );
    if (Number(tables.getRowObjects()[0]?.n ?? 0) === 0) {
      throw new DistillguardError(
        'input_not_gateway_store',
        `${path} is a DuckDB file without the gateway's \`exchanges\` table: pass the gateway's exchange store (store.path in its config)`,
        { file: path },
      );
    }
    // The gateway writes `ts` with toISOString(): one width, so text order is time order.
    const result = await connection.stream('SELECT record FROM store.exchanges ORDER BY ts, id');
    let row = 0;
    for await (const rows of result.yieldRowObjectJson()) {
      const batch: Exchange[] = [];
      for (const raw of rows) {
        row += 1;
        let value: unknown;
        try {
          value = JSON.parse(String(raw.record));
        } catch (error) {
          onReject?.({
            file: path,
            line: row,
            reason: `row ${row}: malformed JSON record (${(error as Error).message})`,
          });
          continue;
        }
        const parsed = parseExchange(value);
        if (parsed.success) batch.push(parsed.value);
        else onReject?.({ file: path, line: row, reason: `row ${row}: ${parsed.error}` });
      }
      if (batch.length > 0) yield batch;
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
