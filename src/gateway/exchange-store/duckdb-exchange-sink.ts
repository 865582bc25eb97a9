import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { Exchange } from '../../log/exchange.js';
import type { DuckDbWorkerMessage, DuckDbWorkerReply } from './duckdb-exchange-worker.js';
import type { ExchangeSink } from './exchange-recorder.js';
import { type SerialisedExchange, serialiseForStore } from './serialised-exchange.js';

const same = (row: SerialisedExchange) => row;
// Rows per slice of the event loop: ~64 × 5 µs keeps every pause well under 1 ms when the rows
// are serialised here (`writeBatch`); rows the recorder serialised when queued are only copied.
const ROWS_PER_SLICE = 64;

/**
 * Exchange records in an embedded DuckDB file (table `exchanges`): the columns queries filter on,
 * plus the full log-v1 record as JSON text, so `COPY (SELECT record …)` gives back a v1 log.
 * DuckDB runs in its own worker thread, at a lower priority: the gateway thread only serialises
 * rows (`writeBatch`) or takes them serialised (`writeSerialised`), and posts them in slices that
 * yield to the event loop, so appends and commits never stall a response.
 * Both resolve once the batch is committed.
 *
 * @example
 * const sink = await createDuckDbExchangeSink({ path: 'gateway.duckdb' });
 */
export async function createDuckDbExchangeSink({
  path,
}: {
  path: string;
}): Promise<ExchangeSink & { query(sql: string): Promise<Record<string, unknown>[]> }> {
  const worker = new Worker(new URL('./duckdb-exchange-worker.js', import.meta.url), {
    workerData: { duckDbExchangeWorker: true, path },
    // The parent's flags (`--input-type`, `--cpu-prof`…) are not for this thread.
    execArgv: [],
  });
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let failure: Error | null = null;
  // The thread holds the process open only while an answer is awaited (a drain), not idle.
  const settle = () => {
    if (waiting.size === 0) worker.unref();
  };
  const failAll = (error: Error) => {
    failure ??= error;
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
    settle();
  };
  await new Promise<void>((resolve, reject) => {
    worker.once('message', (reply: DuckDbWorkerReply) => {
      if (reply.type === 'ready') resolve();
      else reject(new Error(`DuckDB store ${path}: ${reply.type === 'failed' ? reply.error : ''}`));
    });
    worker.once('error', reject);
  });
  worker.on('message', (reply: DuckDbWorkerReply) => {
    if (reply.type !== 'answer') return;
    const pending = waiting.get(reply.id);
    if (!pending) return;
    waiting.delete(reply.id);
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(new Error(`DuckDB store ${path}: ${reply.error}`));
    settle();
  });
  worker.on('error', (error) => failAll(error));
  worker.on('exit', () => failAll(new Error(`DuckDB store ${path}: the writer thread exited`)));
  settle();

  const ask = (message: Extract<DuckDbWorkerMessage, { id: number }>): Promise<unknown> => {
    if (failure) return Promise.reject(failure);
    worker.ref();
    return new Promise((resolve, reject) => {
      waiting.set(message.id, { resolve, reject });
      worker.postMessage(message);
    });
  };
  // Batches and retention's deletes one at a time (the recorder already writes one at a time).
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  };
  // Rows go in slices between turns of the event loop; `row` serialises a record when the
  // recorder has not already.
  const writeRows = async <T>(records: T[], row: (record: T) => SerialisedExchange) => {
    for (let start = 0; ; start += ROWS_PER_SLICE) {
      if (start > 0) await yieldToEventLoop();
      if (failure) throw failure;
      const values: (string | number)[] = [];
      const end = Math.min(records.length, start + ROWS_PER_SLICE);
      for (let index = start; index < end; index += 1) {
        const { id, ts, account_id, endpoint, model, status, latency_ms, line } = row(
          records[index] as T,
        );
        values.push(id, ts, account_id, endpoint, model, status, latency_ms, line);
      }
      // The last slice carries the commit: one message fewer per batch to wake the writer.
      if (end === records.length) {
        await ask({ type: 'batch', id: nextId++, rows: values });
        return;
      }
      worker.postMessage({ type: 'rows', rows: values } satisfies DuckDbWorkerMessage);
    }
  };
  let closed: Promise<void> | null = null;
  return {
    version: 1,
    // `serialiseForStore` never throws; lone surrogates are stored as U+FFFD.
    writeBatch: (exchanges: Exchange[]) => serial(() => writeRows(exchanges, serialiseForStore)),
    writeSerialised: (rows: SerialisedExchange[]) => serial(() => writeRows(rows, same)),
    async count() {
      return (await ask({ type: 'count', id: nextId++ })) as number;
    },
    // Between batches: a batch's rows travel in several messages around one open appender.
    deleteBefore: (before) =>
      serial(async () => (await ask({ type: 'deleteBefore', id: nextId++, before })) as number),
    async query(sql) {
      return (await ask({ type: 'query', id: nextId++, sql })) as Record<string, unknown>[];
    },
    close() {
      closed ??= (async () => {
        if (failure) return;
        await ask({ type: 'close', id: nextId++ });
        await worker.terminate();
      })();
      return closed;
    },
  };
}
