import type { Exchange } from '../log/exchange.js';

/** Restores event-time order across gateways whose batches reach the stream out of order. */
export interface ReorderWindow {
  /**
   * Takes one record in stream order; returns the records now older than the newest event time
   * seen minus the window, in `(ts, id)` order. A record older than one already released is late:
   * it comes back at once with `ts` raised to the last released time (counted in `late`).
   */
  push(exchange: Exchange): Exchange[];
  /** Releases everything held (end of a recorded stream; never during live operation). */
  drain(): Exchange[];
  readonly held: number;
  readonly late: number;
  /** What it holds and where it stands, as plain data (a detector service snapshot). */
  exportState(): ReorderWindowState;
  importState(state: ReorderWindowState): void;
}

export interface ReorderWindowState {
  held: { timeMs: number; exchange: Exchange }[];
  newestMs: number;
  releasedMs: number;
  releasedTs: string;
  late: number;
}

interface Entry {
  timeMs: number;
  exchange: Exchange;
}

const before = (a: Entry, b: Entry) =>
  a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.exchange.id < b.exchange.id);

/**
 * An event-time reorder window of `windowMs`: a record is released once a record `windowMs`
 * newer has been seen. The output depends only on the input order (no wall clock), so a replay of
 * the same stream reproduces it exactly (docs/fleet.md, Ordering).
 *
 * @example
 * const window = createReorderWindow({ windowMs: 5_000 });
 * for (const exchange of window.push(record)) detector.observe(exchange);
 */
export function createReorderWindow({ windowMs }: { windowMs: number }): ReorderWindow {
  const heap: Entry[] = [];
  let newestMs = Number.NEGATIVE_INFINITY;
  let releasedMs = Number.NEGATIVE_INFINITY;
  let releasedTs = '';
  let late = 0;

  const siftUp = (start: number) => {
    let index = start;
    const entry = heap[index] as Entry;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = heap[parent] as Entry;
      if (!before(entry, above)) break;
      heap[index] = above;
      index = parent;
    }
    heap[index] = entry;
  };
  const pop = (): Entry => {
    const top = heap[0] as Entry;
    const last = heap.pop() as Entry;
    if (heap.length > 0) {
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child =
          right < heap.length && before(heap[right] as Entry, heap[left] as Entry) ? right : left;
        if (!before(heap[child] as Entry, last)) break;
        heap[index] = heap[child] as Entry;
        index = child;
      }
      heap[index] = last;
    }
    return top;
  };
  const release = (limitMs: number): Exchange[] => {
    const released: Exchange[] = [];
    while (heap.length > 0 && (heap[0] as Entry).timeMs <= limitMs) {
      const { timeMs, exchange } = pop();
      releasedMs = timeMs;
      releasedTs = exchange.ts;
      released.push(exchange);
    }
    return released;
  };

  return {
    push(exchange) {
      const timeMs = Date.parse(exchange.ts);
      if (timeMs < releasedMs) {
        late += 1;
        return [{ ...exchange, ts: releasedTs }];
      }
      heap.push({ timeMs, exchange });
      siftUp(heap.length - 1);
      if (timeMs > newestMs) newestMs = timeMs;
      return release(newestMs - windowMs);
    },
    drain: () => release(Number.POSITIVE_INFINITY),
    exportState: () => ({ held: heap, newestMs, releasedMs, releasedTs, late }),
    importState(state) {
      heap.length = 0;
      // Pushed again in order: the heap's layout is rebuilt, its release order is the same.
      for (const entry of state.held) {
        heap.push(entry);
        siftUp(heap.length - 1);
      }
      ({ newestMs, releasedMs, releasedTs, late } = state);
    },
    get held() {
      return heap.length;
    },
    get late() {
      return late;
    },
  };
}
