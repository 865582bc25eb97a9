import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Exchange } from './exchange.js';
import { createJsonLinesWriter } from './json-lines-writer.js';
import { loadDuckDb } from './load-duck-db.js';
import { parseExchange } from './parse-exchange.js';
import type { LineRejection } from './read-json-lines.js';

/**
 * Parquet layout of log v1 (docs/log-format.md): one row per exchange; scalar fields as columns,
 * `request` and `response` as JSON text columns so any engine (DuckDB, Spark, pandas) reads them.
 */
const columns: Record<string, string> = {
  id: 'VARCHAR',
  ts: 'VARCHAR',
  account_id: 'VARCHAR',
  api_key_id: 'VARCHAR',
  org_id: 'VARCHAR',
  ip: 'VARCHAR',
  user_agent: 'VARCHAR',
  tls_fingerprint: 'VARCHAR',
  header_order: 'VARCHAR',
  endpoint: 'VARCHAR',
  model: 'VARCHAR',
  request: 'VARCHAR',
  response: 'VARCHAR',
  status: 'INTEGER',
  latency_ms: 'DOUBLE',
};

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Writes exchanges to a Parquet file through DuckDB (zstd-compressed, in time order as given). */
export async function writeParquetExchanges(
  exchanges: AsyncIterable<Exchange> | Iterable<Exchange>,
  path: string,
): Promise<number> {
  const directory = await mkdtemp(join(tmpdir(), 'distillguard-parquet-'));
  try {
    const staging = join(directory, 'staging.jsonl');
    const writer = await createJsonLinesWriter(staging);
    for await (const exchange of exchanges) {
      const row: Record<string, unknown> = {
        ...exchange,
        request: JSON.stringify(exchange.request),
      };
      if (exchange.response) row.response = JSON.stringify(exchange.response);
      await writer.write(row);
    }
    await writer.close();
    const instance = await (await loadDuckDb()).DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const columnSpec = `{${Object.entries(columns)
        .map(([name, type]) => `${name}: '${type}'`)
        .join(', ')}}`;
      await connection.run(
        `COPY (SELECT * FROM read_json(${quote(staging)}, format = 'newline_delimited', columns = ${columnSpec}))
         TO ${quote(path)} (FORMAT parquet, COMPRESSION zstd)`,
      );
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    return writer.count;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * Streams exchanges from a Parquet file written by {@link writeParquetExchanges} or by another
 * tool with the same columns (`request`/`response` as JSON text or as structs). Rows that do not
 * form a valid exchange are rejected with their 1-based row number.
 */
export async function* readParquetExchanges(
  path: string,
  { onReject }: { onReject?: (rejection: LineRejection) => void } = {},
): AsyncGenerator<Exchange[]> {
  const instance = await (await loadDuckDb()).DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const result = await connection.stream(`SELECT * FROM read_parquet(${quote(path)})`);
    let row = 0;
    for await (const rows of result.yieldRowObjectJson()) {
      const batch: Exchange[] = [];
      for (const raw of rows) {
        row += 1;
        const record: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(raw)) {
          if (value === null) continue;
          record[key] =
            (key === 'request' || key === 'response') && typeof value === 'string'
              ? safeJson(value)
              : value;
        }
        const parsed = parseExchange(record);
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

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
