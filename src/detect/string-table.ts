import { refill, type StatefulPart } from './part-state.js';
/**
 * Interns strings per namespace to dense ids (0, 1, 2, … in order of first sight) without a JS
 * string or Map entry per value: at seed scale the linkage index holds tens of millions of
 * values (one template hash and one LSH band per distinct prompt), where a `Map<string, number>`
 * costs ~100 bytes per value and stops at 2^24 entries. Here a value costs its bytes in a shared
 * arena plus ~18 bytes of typed columns and open-addressing slots.
 */
export interface StringTable extends StatefulPart {
  /** The id of `value` in `namespace` (0–127), assigned on first sight. */
  intern(namespace: number, value: string): number;
  /** The id of `value` in `namespace` when already interned, else -1 (adds nothing). */
  find(namespace: number, value: string): number;
  namespaceOf(id: number): number;
  /** The interned text (a new string each call: meant for output, not the hot path). */
  valueOf(id: number): string;
  readonly size: number;
}

/** Arena chunk size: values never straddle chunks, so a chunk is allocated once and never copied. */
const CHUNK_BITS = 20;
const CHUNK_SIZE = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_SIZE - 1;
const MAX_CHUNKS = 2 ** (32 - CHUNK_BITS);
/** Values longer than this, or with a character beyond Latin-1, are kept as strings (rare). */
const MAX_PACKED_LENGTH = 255;
/** Tag bit: the value lives in the side map, not the arena. */
const SIDE = 0x80;
const INITIAL_CAPACITY = 1024;

/**
 * @example
 * const table = createStringTable();
 * table.intern(0, '192.0.2.1'); // 0
 * table.intern(1, '192.0.2.1'); // 1 (another namespace)
 * table.intern(0, '192.0.2.1'); // 0
 * table.valueOf(1);             // '192.0.2.1'
 */
export function createStringTable(): StringTable {
  let size = 0;
  let capacity = INITIAL_CAPACITY;
  /** Per id: namespace, SIDE when the value is in `side`. */
  let tags = new Uint8Array(capacity);
  let lengths = new Uint8Array(capacity);
  /** Per id: arena offset (chunk << CHUNK_BITS | position). */
  let starts = new Uint32Array(capacity);
  let hashes = new Int32Array(capacity);
  /** Open addressing, linear probing: id + 1, 0 for empty; at most half full. */
  let slots = new Int32Array(INITIAL_CAPACITY * 2);
  let mask = slots.length - 1;
  const chunks: Uint8Array[] = [new Uint8Array(CHUNK_SIZE)];
  let chunkUsed = 0;
  const side = new Map<number, string>();
  const exportState = () => ({
    size,
    capacity,
    tags,
    lengths,
    starts,
    hashes,
    slots,
    mask,
    chunkUsed,
    chunks,
    side,
  });

  const hashOf = (namespace: number, value: string): number => {
    let hash = Math.imul(0x811c9dc5 ^ namespace, 0x01000193);
    for (let position = 0; position < value.length; position += 1) {
      hash = Math.imul(hash ^ value.charCodeAt(position), 0x01000193);
    }
    // Final avalanche so the low bits (the slot) depend on every character.
    hash ^= hash >>> 16;
    hash = Math.imul(hash, 0x85ebca6b);
    return hash ^ (hash >>> 13);
  };

  const equals = (id: number, namespace: number, value: string): boolean => {
    const tag = tags[id] as number;
    if ((tag & ~SIDE) !== namespace) return false;
    if (tag & SIDE) return side.get(id) === value;
    const length = lengths[id] as number;
    if (length !== value.length) return false;
    const start = starts[id] as number;
    const chunk = chunks[start >>> CHUNK_BITS] as Uint8Array;
    const offset = start & CHUNK_MASK;
    for (let position = 0; position < length; position += 1) {
      if (chunk[offset + position] !== value.charCodeAt(position)) return false;
    }
    return true;
  };

  const growColumns = (): void => {
    capacity = Math.ceil(capacity * 1.5);
    const widen = <T extends Uint8Array | Uint32Array | Int32Array>(column: T, make: T): T => {
      make.set(column);
      return make;
    };
    tags = widen(tags, new Uint8Array(capacity));
    lengths = widen(lengths, new Uint8Array(capacity));
    starts = widen(starts, new Uint32Array(capacity));
    hashes = widen(hashes, new Int32Array(capacity));
  };

  const growSlots = (): void => {
    slots = new Int32Array(slots.length * 2);
    mask = slots.length - 1;
    for (let id = 0; id < size; id += 1) {
      let slot = (hashes[id] as number) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
  };

  /** Copies a Latin-1 value into the arena; false when it must go to the side map. */
  const pack = (id: number, value: string): boolean => {
    const length = value.length;
    if (length > MAX_PACKED_LENGTH) return false;
    if (chunkUsed + length > CHUNK_SIZE) {
      // Offsets are 32-bit: past 4 GiB of text, values go to the side map.
      if (chunks.length === MAX_CHUNKS) return false;
      chunks.push(new Uint8Array(CHUNK_SIZE));
      chunkUsed = 0;
    }
    const chunk = chunks[chunks.length - 1] as Uint8Array;
    for (let position = 0; position < length; position += 1) {
      const code = value.charCodeAt(position);
      if (code > 0xff) return false;
      chunk[chunkUsed + position] = code;
    }
    starts[id] = ((chunks.length - 1) << CHUNK_BITS) | chunkUsed;
    lengths[id] = length;
    chunkUsed += length;
    return true;
  };

  /** The slot holding the value, or the empty slot where it would go (`lookup.id` -1). */
  const lookup = { slot: 0, id: -1 };
  const probe = (namespace: number, value: string, hash: number): void => {
    let slot = hash & mask;
    for (let found = slots[slot] as number; found !== 0; found = slots[slot] as number) {
      const id = found - 1;
      if (hashes[id] === hash && equals(id, namespace, value)) {
        lookup.slot = slot;
        lookup.id = id;
        return;
      }
      slot = (slot + 1) & mask;
    }
    lookup.slot = slot;
    lookup.id = -1;
  };

  return {
    exportState,
    importState(state) {
      const restored = state as ReturnType<typeof exportState>;
      ({ size, capacity, tags, lengths, starts, hashes, slots, mask, chunkUsed } = restored);
      refill(chunks, restored.chunks);
      refill(side, restored.side);
    },
    intern(namespace, value) {
      if (namespace < 0 || namespace >= SIDE) throw new RangeError(`namespace ${namespace}`);
      const hash = hashOf(namespace, value);
      probe(namespace, value, hash);
      if (lookup.id >= 0) return lookup.id;
      const slot = lookup.slot;
      const id = size;
      if (id === capacity) growColumns();
      size += 1;
      hashes[id] = hash;
      if (pack(id, value)) tags[id] = namespace;
      else {
        tags[id] = namespace | SIDE;
        side.set(id, value);
      }
      slots[slot] = id + 1;
      if (size * 2 > slots.length) growSlots();
      return id;
    },
    find(namespace, value) {
      if (namespace < 0 || namespace >= SIDE) return -1;
      probe(namespace, value, hashOf(namespace, value));
      return lookup.id;
    },
    namespaceOf: (id) => (tags[id] as number) & ~SIDE,
    valueOf(id) {
      if ((tags[id] as number) & SIDE) return side.get(id) as string;
      const start = starts[id] as number;
      const offset = start & CHUNK_MASK;
      const chunk = chunks[start >>> CHUNK_BITS] as Uint8Array;
      return String.fromCharCode(...chunk.subarray(offset, offset + (lengths[id] as number)));
    },
    get size() {
      return size;
    },
  };
}
