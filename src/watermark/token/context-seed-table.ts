/*
 * Why this exists: detection needs, for every (context, token) pair, whether the pair already
 * occurred in the text (repeats are dropped, spec §4) and the context's keyed seed (one HMAC per
 * distinct context, cached per key). Two hash sets, one of pairs and one of contexts pointing to
 * their seeds, cost five or six cache misses per token: as much as the HMACs. Here one open-
 * addressing table holds each seeded tuple inline, in one 32-byte slot up to h = 4: its ids, its
 * seed, the text it last occurred in and the token that first followed it there. A pair repeats
 * iff its context occurred in this text and the token is that first follower, or the pair is in a
 * small side set of later followers. Most contexts of width ≥ 2 have one follower, so a token
 * costs one slot read. With self-hash the token is part of the seeded tuple: the tuple is the pair.
 * Ids are stored as uint32 (spec §2 hashes u32be(id)), so every id must be an integer in
 * 0..2^32 − 1 for the comparisons to be exact (the scorer checks: assert-token-ids.ts).
 */

/** Writes the seed (s0, s1) of `ids[from..to)` into `output[at]`, `output[at + 1]`. */
export type SeedFunction = (
  ids: ArrayLike<number>,
  from: number,
  to: number,
  output: Uint32Array,
  at: number,
) => void;

/**
 * Writes the seeds of `ids[froms[k] .. froms[k] + count)`, k < total, to `output[outputAt[k]]`,
 * `output[outputAt[k] + 1]` (the same as `SeedFunction` for each; faster in a batch).
 */
export type SeedManyFunction = (
  ids: ArrayLike<number>,
  froms: Int32Array,
  total: number,
  count: number,
  output: Uint32Array,
  outputAt: Int32Array,
) => void;

/** Seeded tuples of one length with their seeds, and the pairs met in the current text. */
export interface ContextSeedTable {
  /** Tuples held (seeds cached). */
  readonly size: number;
  /** The record of the seeded tuple at `ids[from..)`, added and seeded if absent. */
  recordOf(ids: ArrayLike<number>, from: number): number;
  /**
   * The record of the seeded tuple at `ids[from..)` when the pair `ids[from..from + width]` has
   * not occurred since `startText`, else −1. Records stay valid until the next lookup.
   */
  newPairRecord(ids: ArrayLike<number>, from: number): number;
  /**
   * `newPairRecord` for every `start` in `from..to` (in order), keeping the new pairs: their
   * records go to `records`, their starts to `starts` (both with room for `to − from`); returns
   * how many. New tuples are seeded together at the end (one batch). Records stay valid until
   * the next lookup.
   */
  newPairRecords(
    ids: ArrayLike<number>,
    from: number,
    to: number,
    records: Int32Array,
    starts: Int32Array,
  ): number;
  seed0(record: number): number;
  seed1(record: number): number;
  /** Starts a text: every pair counts as unseen again; seeds stay. */
  startText(): void;
  /** Forgets every tuple and seed (bounds memory between texts). */
  clear(): void;
}

const EMPTY = 0;
const NO_TEXT = 1;

/**
 * Creates the table for contexts of `width` ids (seeded with the token too when `selfHash`).
 *
 * @example
 * const table = createContextSeedTable({ width: 2, selfHash: false, seedOf: hasher.seedOf });
 * table.startText();
 * const record = table.newPairRecord(ids, position - 2); // −1: a repeat
 * if (record >= 0) use(tokenValue(table.seed0(record), table.seed1(record), ids[position]));
 */
export function createContextSeedTable({
  width,
  selfHash,
  seedOf,
  seedMany,
}: {
  width: number;
  selfHash: boolean;
  seedOf: SeedFunction;
  seedMany?: SeedManyFunction;
}): ContextSeedTable {
  const length = selfHash ? width + 1 : width;
  const SEED = length;
  const TEXT = length + 2;
  const FOLLOWER = length + 3;
  // A slot: the tuple's ids, s0, s1, the text it last occurred in (EMPTY: a free slot; NO_TEXT:
  // held, in no text yet) and its first follower there; padded to a power of two. At most three
  // quarters full: probes stay short and mostly within the slot's cache line or the next.
  const shift = Math.ceil(Math.log2(length + 4));
  let slots = new Uint32Array(64 << shift);
  let mask = (slots.length >>> shift) - 1;
  let size = 0;
  let text = NO_TEXT;
  const followers = createFollowerSet(width + 1);

  const hashOf = (ids: ArrayLike<number>, from: number): number => {
    let state = 0x9e3779b9;
    for (let index = from; index < from + length; index += 1) {
      state = Math.imul(state ^ ids[index]!, 0x85ebca6b);
      state = (state << 13) | (state >>> 19);
    }
    return finish(state);
  };
  const grow = () => {
    const old = slots;
    slots = new Uint32Array(old.length * 2);
    mask = (slots.length >>> shift) - 1;
    for (let base = 0; base < old.length; base += 1 << shift) {
      if (old[base + TEXT] === EMPTY) continue;
      let slot = hashOf(old, base) & mask;
      while (slots[(slot << shift) + TEXT] !== EMPTY) slot = (slot + 1) & mask;
      for (let word = 0; word < 1 << shift; word += 1)
        slots[(slot << shift) + word] = old[base + word]!;
    }
  };
  // Room for `added` more tuples: no growth (which moves records) until they are in.
  const reserve = (added: number) => {
    while (4 * (size + added) > 3 * (mask + 1)) grow();
  };
  // The tuple's slot; a new tuple is added unseeded and `added` is set.
  let added = false;
  const probe = (ids: ArrayLike<number>, from: number, hash: number): number => {
    let slot = hash & mask;
    for (;;) {
      const base = slot << shift;
      if (slots[base + TEXT] === EMPTY) break;
      let offset = 0;
      while (offset < length && slots[base + offset] === ids[from + offset]) offset += 1;
      if (offset === length) {
        added = false;
        return base;
      }
      slot = (slot + 1) & mask;
    }
    const base = slot << shift;
    size += 1;
    for (let offset = 0; offset < length; offset += 1) slots[base + offset] = ids[from + offset]!;
    slots[base + TEXT] = NO_TEXT;
    added = true;
    return base;
  };
  const find = (ids: ArrayLike<number>, from: number, hash: number): number => {
    reserve(1);
    const base = probe(ids, from, hash);
    if (added) seedOf(ids, from, from + length, slots, base + SEED);
    return base;
  };
  // Whether the pair at `from` is new in this text, its context's record being `record`.
  const isNewPair = (ids: ArrayLike<number>, from: number, hash: number, record: number) => {
    const token = ids[from + width]!;
    if (slots[record + TEXT] !== text) {
      slots[record + TEXT] = text;
      slots[record + FOLLOWER] = token;
      return true;
    }
    if (slots[record + FOLLOWER] === token) return false;
    return followers.isNew(ids, from, hash);
  };
  let pendingFroms = new Int32Array(0);
  let pendingAt = new Int32Array(0);
  const seedPending =
    seedMany ??
    ((ids, froms, total, count, output, outputAt) => {
      for (let index = 0; index < total; index += 1)
        seedOf(ids, froms[index]!, froms[index]! + count, output, outputAt[index]!);
    });

  return {
    get size() {
      return size;
    },
    recordOf(ids, from) {
      return find(ids, from, hashOf(ids, from));
    },
    newPairRecord(ids, from) {
      const hash = hashOf(ids, from);
      const record = find(ids, from, hash);
      return isNewPair(ids, from, hash, record) ? record : -1;
    },
    newPairRecords(ids, from, to, records, starts) {
      const room = Math.max(0, to - from);
      reserve(room);
      if (pendingFroms.length < room) {
        pendingFroms = new Int32Array(room);
        pendingAt = new Int32Array(room);
      }
      let found = 0;
      let pending = 0;
      for (let start = from; start < to; start += 1) {
        const hash = hashOf(ids, start);
        const record = probe(ids, start, hash);
        if (added) {
          pendingFroms[pending] = start;
          pendingAt[pending] = record + SEED;
          pending += 1;
        }
        if (!isNewPair(ids, start, hash, record)) continue;
        records[found] = record;
        starts[found] = start;
        found += 1;
      }
      if (pending > 0) seedPending(ids, pendingFroms, pending, length, slots, pendingAt);
      return found;
    },
    seed0(record) {
      return slots[record + SEED]!;
    },
    seed1(record) {
      return slots[record + SEED + 1]!;
    },
    startText() {
      text = text === 0xffffffff ? NO_TEXT + 1 : text + 1;
      followers.clear();
    },
    clear() {
      slots = new Uint32Array(64 << shift);
      mask = (slots.length >>> shift) - 1;
      size = 0;
    },
  };
}

/** MurmurHash3's finaliser: spreads every input bit over the slot bits. */
function finish(hash: number): number {
  let state = hash ^ (hash >>> 16);
  state = Math.imul(state, 0x85ebca6b);
  state ^= state >>> 13;
  state = Math.imul(state, 0xc2b2ae35);
  return state ^ (state >>> 16);
}

/**
 * Pairs of `pairLength` ids that were not their context's first follower in the current text,
 * remembered by position (nothing is copied); `contextHash` keys them with the token.
 */
function createFollowerSet(pairLength: number) {
  // [hash, position + 1] per slot (0 = empty), at most half full.
  let slots = new Int32Array(2 * 64);
  let size = 0;
  const place = (table: Int32Array, hash: number, value: number) => {
    const mask = table.length / 2 - 1;
    let slot = hash & mask;
    while (table[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
    table[2 * slot] = hash;
    table[2 * slot + 1] = value;
  };
  return {
    isNew(ids: ArrayLike<number>, from: number, contextHash: number): boolean {
      const hash = finish(contextHash ^ Math.imul(ids[from + pairLength - 1]!, 0x9e3779b1));
      const mask = slots.length / 2 - 1;
      for (let slot = hash & mask; slots[2 * slot + 1] !== 0; slot = (slot + 1) & mask) {
        if (slots[2 * slot] !== hash) continue;
        const stored = slots[2 * slot + 1]! - 1;
        let offset = 0;
        while (offset < pairLength && ids[stored + offset] === ids[from + offset]) offset += 1;
        if (offset === pairLength) return false;
      }
      place(slots, hash, from + 1);
      size += 1;
      if (2 * size > mask + 1) {
        const old = slots;
        slots = new Int32Array(old.length * 2);
        for (let slot = 0; slot < old.length; slot += 2) {
          if (old[slot + 1] !== 0) place(slots, old[slot]!, old[slot + 1]!);
        }
      }
      return true;
    },
    clear() {
      if (size === 0) return;
      slots.fill(0);
      size = 0;
    },
  };
}
