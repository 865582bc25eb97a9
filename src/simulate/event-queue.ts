/**
 * A binary min-heap of timed tasks. Ties on time break by insertion order, so the merge of many
 * agents' clocks is deterministic.
 */
export interface EventQueue<T> {
  push(at: number, item: T): void;
  /** Removes and returns the earliest item, or undefined when empty. */
  pop(): { at: number; item: T } | undefined;
  peekTime(): number | undefined;
  readonly size: number;
}

export function createEventQueue<T>(): EventQueue<T> {
  const times: number[] = [];
  const orders: number[] = [];
  const items: T[] = [];
  let order = 0;
  const less = (a: number, b: number): boolean => {
    const timeA = times[a] as number;
    const timeB = times[b] as number;
    return timeA < timeB || (timeA === timeB && (orders[a] as number) < (orders[b] as number));
  };
  const swap = (a: number, b: number): void => {
    const time = times[a] as number;
    times[a] = times[b] as number;
    times[b] = time;
    const rank = orders[a] as number;
    orders[a] = orders[b] as number;
    orders[b] = rank;
    const item = items[a] as T;
    items[a] = items[b] as T;
    items[b] = item;
  };
  return {
    get size() {
      return items.length;
    },
    push(at, item) {
      times.push(at);
      orders.push(order++);
      items.push(item);
      let index = items.length - 1;
      while (index > 0) {
        const parent = (index - 1) >> 1;
        if (!less(index, parent)) break;
        swap(index, parent);
        index = parent;
      }
    },
    pop() {
      if (items.length === 0) return undefined;
      const at = times[0] as number;
      const item = items[0] as T;
      const last = items.length - 1;
      swap(0, last);
      times.pop();
      orders.pop();
      items.pop();
      let index = 0;
      const size = items.length;
      for (;;) {
        const left = 2 * index + 1;
        const right = left + 1;
        let smallest = index;
        if (left < size && less(left, smallest)) smallest = left;
        if (right < size && less(right, smallest)) smallest = right;
        if (smallest === index) break;
        swap(index, smallest);
        index = smallest;
      }
      return { at, item };
    },
    peekTime: () => times[0],
  };
}
