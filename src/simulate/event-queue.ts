/**
 * A binary min-heap of timed tasks. Ties on time break by insertion order, so the merge of many
 * agents' clocks is deterministic.
 */
export interface EventQueue<T> {
  push(at: number, item: T): void;
  /** Removes and returns the earliest item (its time is then `lastTime`), or undefined when empty. */
  pop(): T | undefined;
  /** The time of the item `pop` returned last. */
  readonly lastTime: number;
  peekTime(): number | undefined;
  readonly size: number;
}

export function createEventQueue<T>(): EventQueue<T> {
  // Parallel arrays and "hole" sifting (moves, not swaps): this heap holds every account's next
  // event, hundreds of thousands at seed scale, and is touched once per exchange.
  const times: number[] = [];
  const orders: number[] = [];
  const items: T[] = [];
  let order = 0;
  let lastTime = Number.NaN;
  return {
    get size() {
      return items.length;
    },
    get lastTime() {
      return lastTime;
    },
    push(at, item) {
      const rank = order++;
      let index = items.length;
      times.push(at);
      orders.push(rank);
      items.push(item);
      while (index > 0) {
        const parent = (index - 1) >> 1;
        const parentTime = times[parent] as number;
        if (parentTime < at || (parentTime === at && (orders[parent] as number) < rank)) break;
        times[index] = parentTime;
        orders[index] = orders[parent] as number;
        items[index] = items[parent] as T;
        index = parent;
      }
      times[index] = at;
      orders[index] = rank;
      items[index] = item;
    },
    pop() {
      const size = items.length;
      if (size === 0) return undefined;
      const top = items[0] as T;
      lastTime = times[0] as number;
      const time = times[size - 1] as number;
      const rank = orders[size - 1] as number;
      const item = items[size - 1] as T;
      times.pop();
      orders.pop();
      items.pop();
      const remaining = size - 1;
      if (remaining === 0) return top;
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= remaining) break;
        const right = left + 1;
        let child = left;
        if (right < remaining) {
          const leftTime = times[left] as number;
          const rightTime = times[right] as number;
          if (
            rightTime < leftTime ||
            (rightTime === leftTime && (orders[right] as number) < (orders[left] as number))
          ) {
            child = right;
          }
        }
        const childTime = times[child] as number;
        if (time < childTime || (time === childTime && rank < (orders[child] as number))) break;
        times[index] = childTime;
        orders[index] = orders[child] as number;
        items[index] = items[child] as T;
        index = child;
      }
      times[index] = time;
      orders[index] = rank;
      items[index] = item;
      return top;
    },
    peekTime: () => times[0],
  };
}
