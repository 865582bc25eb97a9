import type { Exchange } from '../../log/exchange.js';
import { truncateExchange } from '../../log/serialise-exchange.js';
import {
  type SerialisedExchange,
  serialiseForStore,
  truncateSerialised,
} from './serialised-exchange.js';

/** Where exchange records end up (DuckDB by default), version 1. */
export interface ExchangeSink {
  readonly version: 1;
  /** Writes the batch, all or nothing; a sink serialises per record (`serialiseExchange`). */
  writeBatch(exchanges: Exchange[]): Promise<void>;
  /**
   * Optional: writes records already serialised (`serialiseForStore`), all or nothing, storing
   * the same rows `writeBatch` would for their records. A sink that has it gets every record this
   * way, serialised when it is queued, so the queue holds strings instead of the records' objects.
   */
  writeSerialised?(rows: SerialisedExchange[]): Promise<void>;
  count(): Promise<number>;
  close(): Promise<void>;
  /**
   * Deletes the records whose `ts` is before `before` (RFC 3339); resolves to how many. Optional:
   * a store without it cannot apply `retention_days`.
   */
  deleteBefore?(before: string): Promise<number>;
}

/** The recorder's state, for `/readyz`, `/admin/health` and `/metrics`. */
export interface RecorderHealth {
  /** False while the store is failing (the last write failed) or the queue is nearly full. */
  ok: boolean;
  pending: number;
  pendingBytes: number;
  written: number;
  /** Batches that failed (each is retried record by record, then with backoff). */
  failed: number;
  /** Records refused because the queue was full (the drop policy: newest dropped, counted). */
  dropped: number;
  /** Records the store refused alone, stored instead in their truncated form. */
  quarantined: number;
  /** The last store error, when the last write failed. */
  lastError: string | null;
}

/** Queues exchange records on the hot path and writes them in batches after the responses. */
export interface ExchangeRecorder {
  /**
   * O(1); never waits on storage. `bytes` is the record's approximate size (its body), which
   * bounds the queue's memory. Returns false when the queue is full and the record was dropped.
   */
  record(exchange: Exchange, bytes?: number): boolean;
  /** Writes everything queued so far. */
  flush(): Promise<void>;
  /** Flushes, then closes the sink: nothing accepted is lost while the store works. */
  close(): Promise<void>;
  health(): RecorderHealth;
  readonly pending: number;
  readonly written: number;
  readonly failed: number;
  readonly dropped: number;
}

export interface BatchingRecorderOptions {
  sink: ExchangeSink;
  maxBatch?: number;
  flushIntervalMs?: number;
  /** Records queued at most; beyond it new records are dropped and counted. */
  maxPendingRecords?: number;
  /** Approximate bytes queued at most (bodies); beyond it new records are dropped and counted. */
  maxPendingBytes?: number;
  /** Longest wait between retries while the store is failing (doubling from 100 ms). */
  maxRetryDelayMs?: number;
  onError?: (error: unknown) => void;
}

// Readiness turns false past this share of either bound, before anything is dropped.
const NEARLY_FULL = 0.8;

/**
 * Batches records and writes one batch at a time, so storage latency never reaches a response.
 * Poison is isolated per record: a failed batch is written again record by record, and a record
 * the store refuses alone is stored truncated (`truncated.reason: sink_rejected`), so one bad
 * record never fails the others. When even a truncated record is refused the store itself is
 * down: the queue is kept, in order, and retried with backoff. The queue is bounded; when full,
 * new records are dropped and counted (`dropped`), never the evidence already queued.
 */
export function createBatchingRecorder({
  sink,
  // Sinks write off the request path (DuckDB in its own thread), so bigger batches only save
  // work: a DuckDB commit has a fixed cost of ~3 ms; with its appends, ~19 µs of CPU a row at
  // 300 rows, ~10 µs at 2048 (docs/performance.md). A 500 ms interval bounds commits to two a
  // second whatever the traffic; SIGTERM and `close` still flush everything queued.
  maxBatch = 2048,
  flushIntervalMs = 500,
  maxPendingRecords = 100_000,
  maxPendingBytes = 256 * 1024 * 1024,
  maxRetryDelayMs = 5_000,
  onError = (error) => process.stderr.write(`exchange recorder: ${String(error)}\n`),
}: BatchingRecorderOptions): ExchangeRecorder {
  // A sink that takes serialised rows gets each record serialised at the end of the event-loop
  // turn that queued it (after its response is written, so not in its latency): the record's
  // objects then die young, where ~2,000 queued records kept them alive for up to 500 ms, long
  // enough to be copied out of the young generation by the collector (docs/performance.md).
  const writeSerialised = sink.writeSerialised?.bind(sink);
  // queue[0 .. serialisedTo) are rows; the rest are records queued in this turn.
  let serialisedTo = 0;
  let serialising: NodeJS.Immediate | null = null;
  const serialiseQueued = () => {
    if (serialising) clearImmediate(serialising);
    serialising = null;
    for (; serialisedTo < queue.length; serialisedTo += 1)
      queue[serialisedTo] = serialiseForStore(queue[serialisedTo] as Exchange);
  };
  const write = (batch: (Exchange | SerialisedExchange)[]): Promise<void> =>
    writeSerialised
      ? writeSerialised(batch as SerialisedExchange[])
      : sink.writeBatch(batch as Exchange[]);
  const truncate = (record: Exchange | SerialisedExchange): Exchange | SerialisedExchange =>
    writeSerialised
      ? truncateSerialised(record as SerialisedExchange, { reason: 'sink_rejected' })
      : truncateExchange(record as Exchange, { reason: 'sink_rejected' });
  let queue: (Exchange | SerialisedExchange)[] = [];
  let sizes: number[] = [];
  let pendingBytes = 0;
  let written = 0;
  let failed = 0;
  let dropped = 0;
  let quarantined = 0;
  let lastError: string | null = null;
  let retryDelay = 0;
  let writing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const take = (count: number) => {
    queue = queue.slice(count);
    serialisedTo = Math.max(0, serialisedTo - count);
    for (let index = 0; index < count; index += 1) pendingBytes -= sizes[index] ?? 0;
    sizes = sizes.slice(count);
    written += count;
  };
  const schedule = (delay: number) => {
    if (timer) return;
    timer = setTimeout(() => void flush(), delay);
    timer.unref();
  };
  // Writes a failed batch record by record; false when the store refuses even a minimal record.
  const isolate = async (batch: (Exchange | SerialisedExchange)[]): Promise<boolean> => {
    for (const record of batch) {
      try {
        await write([record]);
      } catch {
        try {
          await write([truncate(record)]);
          quarantined += 1;
        } catch (error) {
          lastError = String(error);
          return false;
        }
      }
      take(1);
    }
    return true;
  };
  const writeOnce = async () => {
    while (queue.length > 0) {
      if (writeSerialised) serialiseQueued();
      const batch = queue.slice(0, maxBatch);
      try {
        await write(batch);
        take(batch.length);
        lastError = null;
        retryDelay = 0;
      } catch (error) {
        failed += 1;
        onError(error);
        lastError = String(error);
        if (await isolate(batch)) {
          lastError = null;
          retryDelay = 0;
          continue;
        }
        retryDelay = Math.min(maxRetryDelayMs, retryDelay === 0 ? 100 : retryDelay * 2);
        schedule(retryDelay);
        return;
      }
    }
  };
  const flush = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (writing) return writing.then(() => (queue.length > 0 ? flush() : undefined));
    writing = writeOnce().finally(() => {
      writing = null;
    });
    return writing;
  };
  return {
    record(exchange, bytes = 0) {
      if (queue.length >= maxPendingRecords || pendingBytes + bytes > maxPendingBytes) {
        dropped += 1;
        return false;
      }
      queue.push(exchange);
      if (writeSerialised && serialising === null) serialising = setImmediate(serialiseQueued);
      sizes.push(bytes);
      pendingBytes += bytes;
      // While the store is failing, the backoff timer decides when to try again.
      if (retryDelay > 0) schedule(retryDelay);
      else if (queue.length >= maxBatch) void flush();
      else schedule(flushIntervalMs);
      return true;
    },
    flush,
    async close() {
      await flush();
      await sink.close();
    },
    health() {
      const nearlyFull =
        queue.length >= maxPendingRecords * NEARLY_FULL ||
        pendingBytes >= maxPendingBytes * NEARLY_FULL;
      return {
        ok: lastError === null && !nearlyFull,
        pending: queue.length,
        pendingBytes,
        written,
        failed,
        dropped,
        quarantined,
        lastError,
      };
    },
    get pending() {
      return queue.length;
    },
    get written() {
      return written;
    },
    get failed() {
      return failed;
    },
    get dropped() {
      return dropped;
    },
  };
}

/** Keeps records in memory (tests, the demo's summary). */
export function createMemoryExchangeSink(): ExchangeSink & { exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  return {
    version: 1,
    exchanges,
    async writeBatch(batch) {
      exchanges.push(...batch);
    },
    count: async () => exchanges.length,
    async close() {},
    async deleteBefore(before) {
      const cutoff = Date.parse(before);
      const kept = exchanges.filter((exchange) => !(Date.parse(exchange.ts) < cutoff));
      const deleted = exchanges.length - kept.length;
      exchanges.splice(0, exchanges.length, ...kept);
      return deleted;
    },
  };
}
