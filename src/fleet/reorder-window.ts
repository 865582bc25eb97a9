import type { Exchange } from '../log/exchange.js';

/** Restores event-time order across gateways whose batches reach the stream out of order. */
export interface ReorderWindow {
  /**
   * Takes one record in stream order; returns the records now older than the newest event time
   * seen minus the window, in `(ts, id)` order. A record older than one already released is late:
   * it comes back at once with `ts` raised to the last released time (counted in `late`).
   */
  push(exchange: Exchange, publisher?: string): Exchange[];
  /**
   * A publisher's watermark (on a batch or a heartbeat message): nothing older than
   * `watermarkMs` will come from `publisher`. Returns the records it releases.
   */
  mark(publisher: string, watermarkMs: number): Exchange[];
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
  /** Per publisher: its watermark and the newest event time seen from it (absent before v2). */
  publishers?: [string, PublisherMark][];
}

/** What the window knows of one publisher, all in event time read from the stream. */
export interface PublisherMark {
  /** Its newest watermark (`-Infinity`: it never sent one, e.g. a version-3 gateway). */
  markMs: number;
  /** The newest event time from it (record or watermark): it is live while this is in the window. */
  seenMs: number;
}

/** The key of records published without a publisher id (version-3 gateways): never marked. */
const ANONYMOUS = '';

interface Entry {
  timeMs: number;
  exchange: Exchange;
}

const before = (a: Entry, b: Entry) =>
  a.timeMs < b.timeMs || (a.timeMs === b.timeMs && a.exchange.id < b.exchange.id);

/**
 * An event-time reorder window of `windowMs` with per-publisher watermarks: a record at event time
 * T is released as soon as every live publisher's watermark is past T, and at the latest once an
 * event time `windowMs` newer has been seen. A publisher is live while the newest event time seen
 * from it is within `windowMs` of the newest seen overall; one without a watermark (a version-3
 * gateway) holds records to the cap, as before watermarks. Everything read is on the stream (no
 * wall clock), so a replay of the same stream reproduces it exactly (docs/fleet.md, Ordering).
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
  const publishers = new Map<string, PublisherMark>();
  /** Event time at or past which a record may still come from a live publisher. */
  const markFloor = (): number => {
    let floor = Number.POSITIVE_INFINITY;
    // A publisher gone by the liveness rule is forgotten: every gateway restart brings a new id,
    // and the map is scanned per record. One that comes back starts again from its next mark.
    for (const [id, { markMs, seenMs }] of publishers)
      if (seenMs <= newestMs - windowMs) publishers.delete(id);
      else if (markMs < floor) floor = markMs;
    return floor;
  };
  const see = (publisher: string, timeMs: number, markMs: number) => {
    const known = publishers.get(publisher);
    if (known) {
      if (timeMs > known.seenMs) known.seenMs = timeMs;
      if (markMs > known.markMs) known.markMs = markMs;
    } else publishers.set(publisher, { markMs, seenMs: timeMs });
    if (timeMs > newestMs) newestMs = timeMs;
  };

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
  const release = (limitMs: number, beforeMs = Number.NEGATIVE_INFINITY): Exchange[] => {
    const released: Exchange[] = [];
    while (
      heap.length > 0 &&
      ((heap[0] as Entry).timeMs <= limitMs || (heap[0] as Entry).timeMs < beforeMs)
    ) {
      const { timeMs, exchange } = pop();
      releasedMs = timeMs;
      releasedTs = exchange.ts;
      released.push(exchange);
    }
    return released;
  };

  return {
    push(exchange, publisher = ANONYMOUS) {
      const timeMs = Date.parse(exchange.ts);
      see(publisher, timeMs, Number.NEGATIVE_INFINITY);
      if (timeMs < releasedMs) {
        late += 1;
        return [{ ...exchange, ts: releasedTs }];
      }
      heap.push({ timeMs, exchange });
      siftUp(heap.length - 1);
      return release(newestMs - windowMs, markFloor());
    },
    mark(publisher, watermarkMs) {
      if (!Number.isFinite(watermarkMs)) return [];
      see(publisher, watermarkMs, watermarkMs);
      return release(newestMs - windowMs, markFloor());
    },
    drain: () => release(Number.POSITIVE_INFINITY),
    exportState: () => ({
      held: heap,
      newestMs,
      releasedMs,
      releasedTs,
      late,
      publishers: [...publishers].map(([id, mark]) => [id, { ...mark }]),
    }),
    importState(state) {
      heap.length = 0;
      // Pushed again in order: the heap's layout is rebuilt, its release order is the same.
      for (const entry of state.held) {
        heap.push(entry);
        siftUp(heap.length - 1);
      }
      ({ newestMs, releasedMs, releasedTs, late } = state);
      publishers.clear();
      for (const [id, mark] of state.publishers ?? []) publishers.set(id, { ...mark });
    },
    get held() {
      return heap.length;
    },
    get late() {
      return late;
    },
  };
}
