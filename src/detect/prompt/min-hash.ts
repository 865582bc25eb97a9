import { mixHash, toBandKey } from './string-hash.js';

/** Value of a slot no shingle fell into (only for an empty shingle set). */
export const EMPTY_SLOT = 0xffffffff;

const PROBES_PER_SLOT = 24;

/** One-permutation MinHash with optimal densification, and LSH banding of the signature. */
export interface MinHasher {
  readonly size: number;
  readonly bands: number;
  /** Signature of `count` shingle hashes, as a new `Uint32Array(size)` (a view on a shared slab). */
  sign(shingles: Uint32Array, count: number): Uint32Array;
  /** Band keys `<band>:<hex>`; rows = size / bands slots per band. */
  bandKeys(signature: Uint32Array): string[];
  /**
   * `bandKeys(sign(shingles, count))[0]` without the signature: only the first band's slots are
   * densified and no array is allocated (what the detection engine reads, see `lean`).
   */
  firstBandKey(shingles: Uint32Array, count: number): string;
}

/**
 * One-permutation hashing (Li, Owen, Zhang 2012): one hash per shingle picks a slot (high bits)
 * and a value (an independent mix); each slot keeps its minimum. Empty slots borrow the value of a
 * non-empty slot chosen by a fixed per-slot probe sequence ("optimal densification", Shrivastava
 * 2017), which keeps `P(slot equal) = Jaccard` even for short prompts with fewer shingles than slots.
 */
export function createMinHasher(size = 64, bands = 16): MinHasher {
  if (!Number.isInteger(size) || size < 1 || size > 4096) {
    throw new RangeError(`minhashSize must be an integer in 1..4096, got ${size}`);
  }
  if (!Number.isInteger(bands) || bands < 1 || bands > 99 || size % bands !== 0) {
    throw new RangeError(`lshBands must divide minhashSize (${size}), got ${bands}`);
  }
  const rows = size / bands;
  const probes = new Uint16Array(size * PROBES_PER_SLOT);
  for (let slot = 0; slot < size; slot++) {
    for (let attempt = 0; attempt < PROBES_PER_SLOT; attempt++) {
      probes[slot * PROBES_PER_SLOT + attempt] =
        mixHash(Math.imul(slot + 1, 0x9e3779b1) ^ Math.imul(attempt + 1, 0x85ebca6b)) % size;
    }
  }
  const filled = new Uint8Array(size);
  const raw = new Uint32Array(size);
  // Slot = top bits of the hash when the size is a power of two (the default), else a multiply.
  const shift = Number.isInteger(Math.log2(size)) && size > 1 ? 32 - Math.log2(size) : -1;
  // Signatures are views on shared slabs: a fresh small typed array per call costs a backing-store
  // allocation each; a view costs one object. A slab lives while any of its signatures does.
  const SLAB_SIGNATURES = 256;
  let slab = new ArrayBuffer(0);
  let emptySignature: Uint32Array | undefined;
  let slabOffset = 0;
  function allocateSignature(): Uint32Array {
    if (slabOffset + size * 4 > slab.byteLength) {
      slab = new ArrayBuffer(size * 4 * SLAB_SIGNATURES);
      slabOffset = 0;
    }
    const signature = new Uint32Array(slab, slabOffset, size);
    slabOffset += size * 4;
    return signature;
  }

  /** Each slot's minimum of `shingles[0..count)` in `raw`, `filled[slot]` = 1 where one fell. */
  function fill(shingles: Uint32Array, count: number): void {
    raw.fill(EMPTY_SLOT);
    filled.fill(0);
    for (let index = 0; index < count; index++) {
      const hash = shingles[index]!;
      const slot = shift >= 0 ? hash >>> shift : Math.floor(((hash >>> 0) * size) / 4294967296);
      const value = mixHash(hash ^ 0x5bd1e995);
      if (value < raw[slot]! || filled[slot] === 0) {
        raw[slot] = value;
        filled[slot] = 1;
      }
    }
  }

  /** The densified value of `slot` after `fill` of a non-empty set. */
  function slotValue(slot: number): number {
    if (filled[slot] === 1) return raw[slot]!;
    let donor = -1;
    const base = slot * PROBES_PER_SLOT;
    for (let attempt = 0; attempt < PROBES_PER_SLOT; attempt++) {
      const candidate = probes[base + attempt]!;
      if (filled[candidate] === 1) {
        donor = candidate;
        break;
      }
    }
    // Rare (almost every slot empty): fall back to the next filled slot, still deterministic.
    for (let step = 1; donor < 0 && step < size; step++) {
      const candidate = (slot + step) % size;
      if (filled[candidate] === 1) donor = candidate;
    }
    return raw[donor < 0 ? slot : donor]!;
  }

  /** The key of `band` over `signature` (or the first band's densified slots when null). */
  function bandKey(band: number, signature: Uint32Array | null): string {
    let high = 0x2545f491 ^ band;
    let low = 0x6c62272e + band;
    for (let row = band * rows; row < (band + 1) * rows; row++) {
      const value = signature === null ? slotValue(row) : signature[row]!;
      high = mixHash(Math.imul(high ^ value, 0x9e3779b1));
      low = mixHash((low + value) | 0);
    }
    return toBandKey(band, high, low);
  }

  return {
    size,
    bands,
    sign(shingles, count) {
      const signature = allocateSignature();
      fill(shingles, count);
      if (count === 0) {
        signature.fill(EMPTY_SLOT);
        return signature;
      }
      for (let slot = 0; slot < size; slot++) signature[slot] = slotValue(slot);
      return signature;
    },
    bandKeys(signature) {
      const keys = new Array<string>(bands);
      for (let band = 0; band < bands; band++) keys[band] = bandKey(band, signature);
      return keys;
    },
    firstBandKey(shingles, count) {
      fill(shingles, count);
      if (count === 0) {
        emptySignature ??= new Uint32Array(size).fill(EMPTY_SLOT);
        return bandKey(0, emptySignature);
      }
      return bandKey(0, null);
    },
  };
}

/**
 * Jaccard estimate of two MinHash signatures: the share of slots that agree (0 when lengths
 * differ or a signature is of an empty set). Standard error ≈ sqrt(J(1-J)/size).
 *
 * @example estimateSimilarity(a.minhash, b.minhash) // 0.82
 */
export function estimateSimilarity(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let equal = 0;
  for (let index = 0; index < a.length; index++) {
    const value = a[index]!;
    if (value === b[index] && value !== EMPTY_SLOT) equal += 1;
  }
  return equal / a.length;
}
