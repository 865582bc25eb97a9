/*
 * Why this exists: detection looks up every (context, token) pair twice, once to drop repeats and
 * once for the context's cached seed (spec §2). Keyed by strings or nested Map/Set, that cost
 * most of the detection time and much garbage. These are open-addressing hash sets of fixed-length
 * id tuples in typed arrays: the caller hashes the ids where they lie (no key is built; the
 * context's hash extended by the token is the pair's hash), each slot keeps the full hash so most
 * misses are rejected without reading ids, and a hit compares the ids exactly. Two tuples are the
 * same entry iff their ids are equal, as with the `join(',')` keys this replaces.
 */

const GOLDEN = 0x9e3779b9;

/**
 * Extends a running hash by `ids[from..to)` (ids of any size, integral or not). Start from
 * `hashIds(ids, from, to)` and finish with `finishHash` before a lookup.
 */
export function hashIds(ids: ArrayLike<number>, from: number, to: number, hash = GOLDEN): number {
  let state = hash;
  for (let index = from; index < to; index += 1) {
    const id = ids[index]!;
    state = Math.imul(state ^ (id | 0), 0x85ebca6b) ^ ((id / 4294967296) | 0);
    state = (state << 13) | (state >>> 19);
  }
  return state;
}

/** MurmurHash3's finaliser: spreads every input bit over the slot bits. */
export function finishHash(hash: number): number {
  let state = hash ^ (hash >>> 16);
  state = Math.imul(state, 0x85ebca6b);
  state ^= state >>> 13;
  state = Math.imul(state, 0xc2b2ae35);
  return state ^ (state >>> 16);
}

/** A set of id tuples of one fixed length, numbered 0, 1, 2 … in insertion order. */
export interface IdTupleTable {
  /** Number of tuples held. */
  readonly size: number;
  /** Whether the last `findOrAdd` added its tuple (false: it was already there). */
  readonly added: boolean;
  /**
   * The number of the tuple `ids[from..from + length)`, adding it (a copy) if absent;
   * `hash` is `finishHash(hashIds(ids, from, from + length))`.
   */
  findOrAdd(ids: ArrayLike<number>, from: number, hash: number): number;
  /** Forgets every tuple (numbers start again from 0). */
  clear(): void;
}

/**
 * Creates a table of tuples of `length` ids (it grows; `clear` bounds it).
 *
 * @example
 * const contexts = createIdTupleTable(2); // seeds cached per two-id context
 * const entry = contexts.findOrAdd(ids, position - 2, finishHash(hashIds(ids, position - 2, position)));
 * if (contexts.added) seeds[entry] = seedOf(ids.slice(position - 2, position));
 */
export function createIdTupleTable(length: number): IdTupleTable {
  let capacity = 16;
  // Slots (at most half full, so probes stay short) hold entry number + 1 (0 = empty) and the
  // entry's hash; tuples are copied as Float64 so every id stays exact.
  let slots = new Int32Array(capacity * 2);
  let slotHashes = new Int32Array(capacity * 2);
  let tuples = new Float64Array(capacity * length);
  let size = 0;
  let added = false;

  const grow = () => {
    capacity *= 2;
    const grownTuples = new Float64Array(capacity * length);
    grownTuples.set(tuples);
    tuples = grownTuples;
    const oldSlots = slots;
    const oldHashes = slotHashes;
    slots = new Int32Array(capacity * 2);
    slotHashes = new Int32Array(capacity * 2);
    const mask = slots.length - 1;
    for (let old = 0; old < oldSlots.length; old += 1) {
      if (oldSlots[old] === 0) continue;
      let slot = oldHashes[old]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = oldSlots[old]!;
      slotHashes[slot] = oldHashes[old]!;
    }
  };

  return {
    get size() {
      return size;
    },
    get added() {
      return added;
    },
    findOrAdd(ids, from, hash) {
      const mask = slots.length - 1;
      let slot = hash & mask;
      for (let stored = slots[slot]!; stored !== 0; stored = slots[slot]!) {
        if (slotHashes[slot] === hash) {
          const base = (stored - 1) * length;
          let offset = 0;
          while (offset < length && tuples[base + offset] === ids[from + offset]) offset += 1;
          if (offset === length) {
            added = false;
            return stored - 1;
          }
        }
        slot = (slot + 1) & mask;
      }
      if (size === capacity) {
        grow();
        const grownMask = slots.length - 1;
        slot = hash & grownMask;
        while (slots[slot] !== 0) slot = (slot + 1) & grownMask;
      }
      const entry = size;
      size += 1;
      for (let offset = 0; offset < length; offset += 1) {
        tuples[entry * length + offset] = ids[from + offset]!;
      }
      slots[slot] = entry + 1;
      slotHashes[slot] = hash;
      added = true;
      return entry;
    },
    clear() {
      slots.fill(0);
      size = 0;
    },
  };
}

/**
 * Tells whether the tuple of `length` ids at a position of `ids` occurred at a position tested
 * before (each is remembered by its position, nothing is copied). `hash` is
 * `finishHash(hashIds(ids, from, from + length))`.
 *
 * @example
 * const isNew = createTupleDeduplicator(ids, 3); // (two context ids, token)
 * if (!isNew(position - 2, hash)) duplicates += 1;
 */
export function createTupleDeduplicator(
  ids: ArrayLike<number>,
  length: number,
): (from: number, hash: number) => boolean {
  let slots = new Int32Array(64);
  let slotHashes = new Int32Array(64);
  let size = 0;
  const grow = () => {
    const oldSlots = slots;
    const oldHashes = slotHashes;
    slots = new Int32Array(oldSlots.length * 2);
    slotHashes = new Int32Array(oldSlots.length * 2);
    const mask = slots.length - 1;
    for (let old = 0; old < oldSlots.length; old += 1) {
      if (oldSlots[old] === 0) continue;
      let slot = oldHashes[old]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = oldSlots[old]!;
      slotHashes[slot] = oldHashes[old]!;
    }
  };
  return (from, hash) => {
    const mask = slots.length - 1;
    let slot = hash & mask;
    // Slots hold the tuple's position + 1 (0 = empty).
    for (let stored = slots[slot]!; stored !== 0; stored = slots[slot]!) {
      if (slotHashes[slot] === hash) {
        const base = stored - 1;
        let offset = 0;
        while (offset < length && ids[base + offset] === ids[from + offset]) offset += 1;
        if (offset === length) return false;
      }
      slot = (slot + 1) & mask;
    }
    slots[slot] = from + 1;
    slotHashes[slot] = hash;
    size += 1;
    if (2 * size > slots.length) grow();
    return true;
  };
}
