import { DistillguardError } from '../shared/distillguard-error.js';
import type { AccountRecord, Exchange } from './exchange.js';

/** Exchanges in file order, each with an optional companion value (e.g. precomputed features). */
export interface ExchangeBatch<Extra> {
  exchanges: Exchange[];
  extras?: Extra[];
}

/** One input file, read in its own order. */
export interface ExchangeSource<Extra> {
  file: string;
  batches: AsyncIterable<ExchangeBatch<Extra>>;
}

export interface MergeExchangeSourcesOptions {
  /**
   * How far back in time an exchange may come after a newer one of the same file and still be
   * put in its place (default {@link DEFAULT_REORDER_WINDOW_MS}). Further back throws
   * `log_out_of_order`. Memory holds about this much time of traffic per file.
   */
  reorderWindowMs?: number;
  /** Called for each exchange dropped because the same `id` at the same `ts` came before. */
  onDuplicate?: (exchange: Exchange) => void;
  /**
   * Account facts carried by the input (Glasswally), first per account, keyed by account id.
   * Each is handed to `onAccount` just before its account's first exchange in time order, with
   * `created_at` = that exchange's time, whichever file read it first.
   */
  accountFacts?: Map<string, AccountRecord>;
  onAccount?: (account: AccountRecord) => void;
}

/**
 * A replica's log is written as requests finish, so its order can lag arrival (`ts`) by the
 * longest request in flight: a few seconds covers a gateway's default upstream timeout ordering
 * in practice without holding much traffic in memory.
 */
export const DEFAULT_REORDER_WINDOW_MS = 5000;

interface Entry<Extra> {
  exchange: Exchange;
  extra: Extra | undefined;
  timeMs: number;
}

interface SourceState<Extra> {
  file: string;
  iterator: AsyncIterator<ExchangeBatch<Extra>>;
  /** Waiting entries from `head` on; released slots are emptied (see `releaseInOrder`). */
  buffer: (Entry<Extra> | undefined)[];
  head: number;
  newestMs: number;
  newestTs: string;
  read: number;
  done: boolean;
}

/** Time order with the id as tie-break: a total order, so the result never depends on layout. */
function before(a: Entry<unknown>, b: Entry<unknown>): boolean {
  return a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.exchange.id < b.exchange.id);
}

function insert<Extra>(state: SourceState<Extra>, entry: Entry<Extra>): void {
  const { buffer } = state;
  let at = buffer.length;
  while (at > state.head && before(entry, buffer[at - 1] as Entry<Extra>)) at -= 1;
  if (at === buffer.length) buffer.push(entry);
  else buffer.splice(at, 0, entry);
}

function formatDuration(ms: number): string {
  if (ms < 120_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/**
 * Merges several exchange logs into one stream in time order (`ts`, then `id`), as if they were
 * one sorted file: each file is put in order within a reorder window, the files are merged, and
 * an exchange repeated with the same `id` and `ts` (a line copied twice, the same file passed
 * twice, overlapping exports) is dropped. Memory holds about one window of traffic per file.
 *
 * Throws `DistillguardError('log_out_of_order')` when an exchange is older than a newer one of
 * its file by more than the window; the caller sorts the input (`sortExchangeFiles`) or stops.
 *
 * @example
 * for await (const batch of mergeExchangeSources([{ file, batches: readExchangeBatches([file]) }]))
 *   batch.exchanges.forEach((exchange) => detector.observe(exchange));
 */
export async function* mergeExchangeSources<Extra>(
  sources: readonly ExchangeSource<Extra>[],
  {
    reorderWindowMs = DEFAULT_REORDER_WINDOW_MS,
    onDuplicate,
    accountFacts,
    onAccount,
  }: MergeExchangeSourcesOptions = {},
): AsyncGenerator<ExchangeBatch<Extra>> {
  const states: SourceState<Extra>[] = sources.map(({ file, batches }) => ({
    file,
    iterator: batches[Symbol.asyncIterator](),
    buffer: [],
    head: 0,
    newestMs: Number.NEGATIVE_INFINITY,
    newestTs: '',
    read: 0,
    done: false,
  }));
  const emittedAccounts = new Set<string>();
  let last: Entry<Extra> | undefined;
  let exchanges: Exchange[] = [];
  let extras: Extra[] = [];
  let anyExtra = false;

  const pull = async (state: SourceState<Extra>): Promise<void> => {
    const next = await state.iterator.next();
    if (next.done) {
      state.done = true;
      return;
    }
    const batch = next.value;
    for (let position = 0; position < batch.exchanges.length; position += 1) {
      const exchange = batch.exchanges[position] as Exchange;
      const timeMs = Date.parse(exchange.ts);
      state.read += 1;
      if (timeMs < state.newestMs - reorderWindowMs) {
        throw new DistillguardError(
          'log_out_of_order',
          `${state.file}: exchange ${state.read} (id ${exchange.id}, ts ${exchange.ts}) is ${formatDuration(state.newestMs - timeMs)} older than one read before it (ts ${state.newestTs}), beyond the reorder window of ${formatDuration(reorderWindowMs)}: sort the file by ts or widen --reorder-window`,
          { file: state.file, exchange: state.read, id: exchange.id },
        );
      }
      if (timeMs > state.newestMs) {
        state.newestMs = timeMs;
        state.newestTs = exchange.ts;
      }
      const extra = batch.extras?.[position];
      if (extra !== undefined) anyExtra = true;
      insert(state, { exchange, extra, timeMs });
    }
  };

  const release = (entry: Entry<Extra>) => {
    if (
      last !== undefined &&
      last.timeMs === entry.timeMs &&
      last.exchange.id === entry.exchange.id
    ) {
      onDuplicate?.(entry.exchange);
      return;
    }
    last = entry;
    if (accountFacts !== undefined && accountFacts.size > 0) {
      const accountId = entry.exchange.account_id;
      const facts = accountFacts.get(accountId);
      if (facts !== undefined && !emittedAccounts.has(accountId)) {
        emittedAccounts.add(accountId);
        onAccount?.({ ...facts, account_id: accountId, created_at: entry.exchange.ts });
      }
    }
    exchanges.push(entry.exchange);
    extras.push(entry.extra as Extra);
  };

  const flush = (): ExchangeBatch<Extra> | undefined => {
    if (exchanges.length === 0) return undefined;
    const batch: ExchangeBatch<Extra> = anyExtra ? { exchanges, extras } : { exchanges };
    exchanges = [];
    extras = [];
    return batch;
  };

  try {
    yield* releaseInOrder();
  } finally {
    // Stopped early (an error, a consumer that breaks): let each reader close its file and
    // workers, or their threads keep the process alive.
    await Promise.all(
      states.filter((state) => !state.done).map((state) => state.iterator.return?.()),
    );
  }

  async function* releaseInOrder(): AsyncGenerator<ExchangeBatch<Extra>> {
    for (;;) {
      // The earliest waiting exchange is safe to release once no file can still bring one before
      // it: each unfinished file's next exchange is at most one window older than its newest.
      let earliest: SourceState<Extra> | undefined;
      let lowest: SourceState<Extra> | undefined;
      let floorMs = Number.POSITIVE_INFINITY;
      for (const state of states) {
        if (state.head < state.buffer.length) {
          const head = state.buffer[state.head] as Entry<Extra>;
          if (
            earliest === undefined ||
            before(head, earliest.buffer[earliest.head] as Entry<Extra>)
          )
            earliest = state;
        }
        if (!state.done) {
          floorMs = Math.min(floorMs, state.newestMs - reorderWindowMs);
          if (lowest === undefined || state.newestMs < lowest.newestMs) lowest = state;
        }
      }
      const head = earliest?.buffer[earliest.head];
      if (head === undefined || !(head.timeMs < floorMs)) {
        if (lowest === undefined) break;
        const ready = flush();
        if (ready) yield ready;
        await pull(lowest);
        continue;
      }
      // Release from the earliest file while it stays before every other file's head and the floor.
      const state = earliest as SourceState<Extra>;
      let bound: Entry<Extra> | undefined;
      for (const other of states) {
        if (other === state || other.buffer.length === other.head) continue;
        const otherHead = other.buffer[other.head] as Entry<Extra>;
        if (bound === undefined || before(otherHead, bound)) bound = otherHead;
      }
      while (state.head < state.buffer.length) {
        const entry = state.buffer[state.head] as Entry<Extra>;
        if (!(entry.timeMs < floorMs) || (bound !== undefined && before(bound, entry))) break;
        release(entry);
        // Emptied at once, not at the next compaction: a slot kept thousands of released
        // exchanges alive long enough to be promoted, and the old generation's garbage was most
        // of analyze's GC time (docs/performance.md).
        state.buffer[state.head] = undefined;
        state.head += 1;
      }
      if (state.head > 4096 && state.head * 2 > state.buffer.length) {
        state.buffer = state.buffer.slice(state.head);
        state.head = 0;
      }
    }
    const ready = flush();
    if (ready) yield ready;
  }
}
