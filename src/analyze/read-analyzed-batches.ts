import { createReadStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import type { PromptFeatures } from '../detect/prompt/prompt-features.js';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import type { LineRejection, LogFormat } from '../log/index.js';
import type { AnalyzedBatch, ExchangeColumns, LineBatch, LineFinding } from './analyzed-batch.js';
import { type ColumnDecoder, createColumnDecoder } from './create-column-decoder.js';
import { createLineAnalyzer, type LineAnalyzer } from './create-line-analyzer.js';

export interface ReadAnalyzedBatchesOptions {
  onReject?: (rejection: LineRejection) => void;
  /** Account facts carried by Glasswally events, once per account, before its batch. */
  onAccount?: (account: AccountRecord) => void;
  format?: LogFormat;
  /** Analysis workers (default `availableParallelism()`). */
  workers?: number;
  /**
   * For the engine only: the workers answer in columns (typed arrays, interned strings) and the
   * exchanges and features rebuilt from them carry only what `observe` reads (no prompt or
   * answer text, no MinHash signature, the first LSH band; see `createColumnDecoder`).
   */
  compact?: boolean;
  /** A longer line (in bytes; the in-thread reader counts characters) is rejected unread. */
  maxLineLength?: number;
  /**
   * The calling thread analyses a batch itself whenever every worker already has this many
   * batches pending (default: never; `analyze` uses {@link WORKER_BACKLOG}). The engine's thread
   * is then busy instead of waiting on workers: on two cores one worker plus the engine's thread
   * balance (the engine takes about a third of a worker's time per exchange). Such batches come
   * back as whole objects, as with `compact: false`.
   */
  shareAfter?: number;
}

/** Batches pending per worker before `analyze`'s own thread takes the next one itself. */
export const WORKER_BACKLOG = 2;

/** Exchanges of one read chunk in file order, each with its precomputed prompt features. */
export interface AnalyzedExchanges {
  exchanges: Exchange[];
  features: PromptFeatures[];
}

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;
const EMPTY = new Uint8Array(0);
const EMPTY_BATCH: AnalyzedBatch = {
  kind: 'objects',
  id: -1,
  exchanges: [],
  features: [],
  accounts: [],
  rejections: [],
  spent: new ArrayBuffer(0),
};

type WorkerAnswer = AnalyzedBatch | ExchangeColumns;

/**
 * Streams `.jsonl` / `.jsonl.gz` exchange logs like `readExchangeBatches` (same batches, same
 * rejections with file and line, same Glasswally account facts), but JSON.parse, validation and
 * the prompt analysers run in `worker_threads`; the main thread only inflates and finds line
 * ends, and hands whole lines over as bytes (decoding them there would cost it as much again).
 * Order is kept: batch k is yielded after batch k-1 whatever worker finished first.
 *
 * @example
 * for await (const { exchanges, features } of readAnalyzedBatches(['log.jsonl.gz']))
 *   exchanges.forEach((exchange, i) => detector.observe(exchange, features[i]));
 */
export async function* readAnalyzedBatches(
  paths: readonly string[],
  {
    onReject,
    onAccount,
    format = 'auto',
    workers: workerCount = availableParallelism(),
    compact = false,
    maxLineLength = 16 * 1024 * 1024,
    shareAfter = Number.POSITIVE_INFINITY,
  }: ReadAnalyzedBatchesOptions = {},
): AsyncGenerator<AnalyzedExchanges> {
  // Line buffers the workers handed back: a fresh megabyte per chunk would cost page faults and
  // garbage collections driven by external memory on the thread that runs the engine.
  const spare: ArrayBuffer[] = [];
  const maxSpare = Math.max(1, workerCount) * 2 + 2;
  const pool = Array.from({ length: Math.max(1, workerCount) }, () => {
    const worker = new Worker(new URL('./analyze-worker.js', import.meta.url));
    const pending = new Map<
      number,
      { resolve: (batch: WorkerAnswer) => void; reject: (error: Error) => void }
    >();
    worker.on('message', (batch: WorkerAnswer) => {
      if (spare.length < maxSpare) spare.push(batch.spent);
      pending.get(batch.id)?.resolve(batch);
      pending.delete(batch.id);
    });
    const fail = (error: Error) => {
      for (const { reject } of pending.values()) reject(error);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (pending.size > 0) fail(new Error(`analysis worker exited with code ${code}`));
    });
    // Columns are decoded when their batch's turn comes, which is also this worker's sending
    // order (jobs go out and come back in id order): the order its string table grew in. The
    // objects then live only while the engine reads them.
    return { worker, pending, decoder: createColumnDecoder() };
  });
  const sharing = Number.isFinite(shareAfter);
  const maxInFlight = pool.length * 2 + (sharing ? 2 : 0);
  let ownAnalyzer: LineAnalyzer | undefined;
  const seenAccounts = new Set<string>();
  let nextId = 0;

  interface Queued {
    file: string;
    /** A worker's answer, or the job the calling thread runs when its turn comes. */
    result: Promise<WorkerAnswer> | LineBatch;
    decoder: ColumnDecoder | undefined;
    /** Rejections found while splitting (over-long lines), merged with the worker's by line. */
    local: LineFinding[];
  }
  const queue: Queued[] = [];

  const submit = (file: string, bytes: Uint8Array, firstLine: number, local: Queued['local']) => {
    const id = nextId++;
    let result: Promise<WorkerAnswer>;
    let decoder: ColumnDecoder | undefined;
    if (bytes.length === 0) {
      result = Promise.resolve({ ...EMPTY_BATCH, id });
    } else {
      let target = pool[0] as (typeof pool)[number];
      for (const member of pool) if (member.pending.size < target.pending.size) target = member;
      if (sharing && target.pending.size >= shareAfter) {
        // Zlib hands out fresh slices, never overwritten: the view can wait for its turn.
        queue.push({
          file,
          result: { id, bytes, firstLine, format, compact: false, lean: compact },
          decoder,
          local,
        });
        return;
      }
      result = new Promise<WorkerAnswer>((resolve, reject) => {
        target.pending.set(id, { resolve, reject });
      });
      decoder = target.decoder;
      // An own copy, transferred: a view into zlib's buffer would clone the whole buffer.
      let buffer = spare.pop();
      if (buffer === undefined || buffer.byteLength < bytes.length) {
        buffer = new ArrayBuffer(Math.max(bytes.length, 2 * CHUNK_BYTES));
      }
      const owned = new Uint8Array(buffer, 0, bytes.length);
      owned.set(bytes);
      const job: LineBatch = { id, bytes: owned, firstLine, format, compact };
      target.worker.postMessage(job, [buffer]);
    }
    // Unobserved until dequeued: keep an early worker failure from being reported as unhandled.
    result.catch(() => undefined);
    queue.push({ file, result, decoder, local });
  };

  const settle = async (queued: Queued): Promise<AnalyzedExchanges | undefined> => {
    let answer: WorkerAnswer;
    if (queued.result instanceof Promise) answer = await queued.result;
    else {
      ownAnalyzer ??= createLineAnalyzer();
      answer = ownAnalyzer(queued.result).batch;
    }
    const batch =
      answer.kind === 'columns'
        ? { ...answer, ...(queued.decoder as ColumnDecoder).decode(answer) }
        : answer;
    const rejections =
      queued.local.length === 0
        ? batch.rejections
        : [...batch.rejections, ...queued.local].sort((a, b) => a.line - b.line);
    for (const finding of rejections) onReject?.({ ...finding, file: queued.file });
    if (onAccount) {
      for (const { position, facts } of batch.accounts) {
        const exchange = batch.exchanges[position] as Exchange;
        if (seenAccounts.has(exchange.account_id)) continue;
        seenAccounts.add(exchange.account_id);
        onAccount({ ...facts, account_id: exchange.account_id, created_at: exchange.ts });
      }
    }
    return batch.exchanges.length > 0
      ? { exchanges: batch.exchanges, features: batch.features }
      : undefined;
  };

  try {
    for (const path of paths) {
      const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
      const source = path.endsWith('.gz')
        ? file.pipe(createGunzip({ chunkSize: CHUNK_BYTES }))
        : file;
      if (source !== file) file.on('error', (error) => source.destroy(error));
      let carry: Buffer[] = [];
      let carryLength = 0;
      let lineNumber = 0;
      let skippingLongLine = false;
      const tooLong = `line longer than ${maxLineLength} bytes`;
      const keepTail = (tail: Buffer) => {
        if (skippingLongLine || tail.length === 0) return;
        carry.push(tail);
        carryLength += tail.length;
        if (carryLength > maxLineLength) {
          carry = [];
          carryLength = 0;
          skippingLongLine = true;
        }
      };
      try {
        for await (const chunk of source as AsyncIterable<Buffer>) {
          const lastNewline = chunk.lastIndexOf(NEWLINE);
          if (lastNewline === -1) {
            keepTail(chunk);
            continue;
          }
          const local: Queued['local'] = [];
          let start = 0;
          if (skippingLongLine) {
            lineNumber += 1;
            local.push({ line: lineNumber, reason: tooLong });
            skippingLongLine = false;
            start = chunk.indexOf(NEWLINE) + 1;
          }
          const whole = chunk.subarray(start, lastNewline + 1);
          const bytes = carry.length > 0 ? Buffer.concat([...carry, whole]) : whole;
          carry = [];
          carryLength = 0;
          const firstLine = lineNumber + 1;
          for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) {
            lineNumber += 1;
          }
          submit(path, bytes, firstLine, local);
          keepTail(chunk.subarray(lastNewline + 1));
          while (queue.length >= maxInFlight) {
            const ready = await settle(queue.shift() as Queued);
            if (ready) yield ready;
          }
        }
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'Z_BUF_ERROR' && code !== 'Z_DATA_ERROR') throw error;
        // The partial line before the cut is part of the same damage: report it once.
        const reason = `truncated or corrupt gzip data (${(error as Error).message})`;
        submit(path, EMPTY, 0, [{ line: lineNumber + 1, reason }]);
        carry = [];
        skippingLongLine = false;
      }
      if (skippingLongLine) {
        lineNumber += 1;
        submit(path, EMPTY, 0, [{ line: lineNumber, reason: tooLong }]);
      } else if (carry.length > 0) {
        lineNumber += 1;
        submit(path, Buffer.concat(carry), lineNumber, []);
      }
    }
    while (queue.length > 0) {
      const ready = await settle(queue.shift() as Queued);
      if (ready) yield ready;
    }
  } finally {
    await Promise.all(pool.map(({ worker }) => worker.terminate()));
  }
}
