// The DuckDB writer thread behind `createDuckDbExchangeSink`: appends and commits happen here,
// so a commit (tens of ms on a busy disk) never stalls the gateway's event loop.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { type DuckDBAppender, DuckDBInstance } from '@duckdb/node-api';

/** Messages from the gateway thread, handled strictly in order. */
export type DuckDbWorkerMessage =
  /** Appends rows (`DUCKDB_ROW_WIDTH` values each) to the open batch; no answer. */
  | { type: 'rows'; rows: (string | number)[] }
  /** Appends the batch's last rows and commits the batch. */
  | { type: 'batch'; id: number; rows: (string | number)[] }
  | { type: 'count'; id: number }
  | { type: 'query'; id: number; sql: string }
  /** Deletes the rows whose `ts` is before `before` (retention); answers how many. */
  | { type: 'deleteBefore'; id: number; before: string }
  | { type: 'close'; id: number };

/** Replies: `ready` once the table exists, then one answer per message with an `id`. */
export type DuckDbWorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; error: string }
  | { type: 'answer'; id: number; ok: true; value: unknown }
  | { type: 'answer'; id: number; ok: false; error: string };

// Values per row, in the column order of the `exchanges` table.
const DUCKDB_ROW_WIDTH = 8;
// A checkpoint compresses the table's open row group (122,880 rows) again each time it runs, so
// at DuckDB's default (16 MiB of WAL, ~25k records) a row group was compressed about five times:
// 20.7 µs of CPU per record over 800k records against 8.7 µs at 256 MiB (docs/performance.md).
// The cost: up to this much WAL beside the store, replayed on the next start.
const CHECKPOINT_THRESHOLD = '256MiB';
// 10 nice levels below the request thread: the scheduler gives it ~1/10 of a shared core while
// requests are waiting, and all of it otherwise.
const WRITER_NICENESS = 10;

const data = workerData as { duckDbExchangeWorker?: boolean; path?: string } | null;
const port = parentPort;
// Only when started by the sink (a gateway embedded in some other worker must not react).
if (port && data?.duckDbExchangeWorker === true && typeof data.path === 'string') {
  const path = data.path;
  lowerThreadPriority();
  // One DuckDB thread: this writer only appends, and DuckDB's default pool (one per core) burnt
  // ~20% more gateway CPU per request on a 2-core machine in bench/gateway.
  const instance = await DuckDBInstance.create(path, {
    threads: '1',
    checkpoint_threshold: CHECKPOINT_THRESHOLD,
  }).catch((error: unknown) => {
    port.postMessage({ type: 'failed', error: String(error) } satisfies DuckDbWorkerReply);
    return null;
  });
  if (instance) {
    const connection = await instance.connect();
    await connection.run(`CREATE TABLE IF NOT EXISTS exchanges (
      id VARCHAR, ts VARCHAR, account_id VARCHAR, endpoint VARCHAR, model VARCHAR,
      status INTEGER, latency_ms DOUBLE, record VARCHAR)`);
    let appender: DuckDBAppender | null = null;
    let appendError: unknown = null;
    const append = async (rows: (string | number)[]) => {
      if (appendError) return;
      try {
        appender ??= await connection.createAppender('exchanges');
        for (let index = 0; index < rows.length; index += DUCKDB_ROW_WIDTH) {
          appender.appendVarchar(rows[index] as string);
          appender.appendVarchar(rows[index + 1] as string);
          appender.appendVarchar(rows[index + 2] as string);
          appender.appendVarchar(rows[index + 3] as string);
          appender.appendVarchar(rows[index + 4] as string);
          appender.appendInteger(rows[index + 5] as number);
          appender.appendDouble(rows[index + 6] as number);
          appender.appendVarchar(rows[index + 7] as string);
          appender.endRow();
        }
      } catch (error) {
        appendError = error;
      }
    };
    const commit = () => {
      const current = appender;
      appender = null;
      if (appendError) {
        const error = appendError;
        appendError = null;
        // Rows of a failed batch are not committed: the recorder retries the whole batch.
        throw error;
      }
      current?.closeSync();
    };
    const answer = async (message: DuckDbWorkerMessage): Promise<unknown> => {
      switch (message.type) {
        case 'rows':
          return append(message.rows);
        case 'batch':
          await append(message.rows);
          return commit();
        case 'count': {
          const reader = await connection.runAndReadAll(
            'SELECT count(*)::INTEGER AS n FROM exchanges',
          );
          return Number(reader.getRowObjects()[0]?.n ?? 0);
        }
        case 'query':
          return (await connection.runAndReadAll(message.sql)).getRowObjectsJson();
        case 'deleteBefore':
          // `ts` is written by toISOString(): one width, so text order is time order.
          return (await connection.run('DELETE FROM exchanges WHERE ts < $1', [message.before]))
            .rowsChanged;
        case 'close':
          connection.closeSync();
          instance.closeSync();
          return undefined;
      }
    };
    // One chain keeps the messages in order across the async appender creation.
    let chain = Promise.resolve();
    port.on('message', (message: DuckDbWorkerMessage) => {
      chain = chain.then(async () => {
        try {
          const value = await answer(message);
          if (message.type !== 'rows')
            port.postMessage({
              type: 'answer',
              id: message.id,
              ok: true,
              value,
            } satisfies DuckDbWorkerReply);
        } catch (error) {
          if (message.type !== 'rows')
            port.postMessage({
              type: 'answer',
              id: message.id,
              ok: false,
              error: String(error instanceof Error ? error.message : error),
            } satisfies DuckDbWorkerReply);
        }
        if (message.type === 'close') port.close();
      });
    });
    port.postMessage({ type: 'ready' } satisfies DuckDbWorkerReply);
  }
}

/**
 * Makes this thread yield to the request path when they share a core: Linux applies
 * `setpriority` to the one thread whose id it is given (and DuckDB's own threads inherit it).
 * A no-op elsewhere.
 */
function lowerThreadPriority(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0)
      setPriority(threadId, Math.min(19, getPriority(threadId) + WRITER_NICENESS));
  } catch {
    // Not Linux, or not permitted: the thread keeps the process's priority.
  }
}
