/**
 * Cheap non-cryptographic 32-bit hashing for the hot path (FNV-1a and murmur3's finaliser).
 * Not for secrets: fingerprints here identify templates, never keys.
 */

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units, from `seed` (default: the FNV offset basis). */
export function hashString(text: string, seed: number = FNV_OFFSET): number {
  let hash = seed | 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/**
 * 30-bit hash of a whole text (FNV-1a, then mixed with the length): a small-integer Map key, which
 * V8 stores unboxed and hashes for free, for a cache keyed by long strings.
 */
export function hashText(text: string): number {
  let hash = FNV_OFFSET;
  const length = text.length;
  for (let index = 0; index < length; index++) {
    hash = Math.imul(hash ^ text.charCodeAt(index), FNV_PRIME);
  }
  return mixHash(hash ^ Math.imul(length, 0x9e3779b1)) & 0x3fffffff;
}

/** murmur3 fmix32: spreads every input bit over the output. */
export function mixHash(value: number): number {
  let hash = value | 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Order-dependent combination of two 32-bit hashes. */
export function combineHash(hash: number, value: number): number {
  return mixHash(Math.imul(hash ^ value, 0x9e3779b1) + 0x7f4a7c15);
}

const HEX_CODES = Uint8Array.from('0123456789abcdef', (character) => character.charCodeAt(0));

function hexCode(value: number, shift: number): number {
  return HEX_CODES[(value >>> shift) & 15]!;
}

/** Two 32-bit words as 16 lowercase hex digits (one flat string, no `toString(16)`/`padStart`). */
export function toHex64(high: number, low: number): string {
  return String.fromCharCode(
    hexCode(high, 28),
    hexCode(high, 24),
    hexCode(high, 20),
    hexCode(high, 16),
    hexCode(high, 12),
    hexCode(high, 8),
    hexCode(high, 4),
    hexCode(high, 0),
    hexCode(low, 28),
    hexCode(low, 24),
    hexCode(low, 20),
    hexCode(low, 16),
    hexCode(low, 12),
    hexCode(low, 8),
    hexCode(low, 4),
    hexCode(low, 0),
  );
}

/**
 * `<band>:<12 hex digits>` for an LSH band (0–99), built flat in one call: a template literal
 * would make a cons string that every later hash or comparison flattens again.
 */
export function toBandKey(band: number, high: number, low: number): string {
  if (band < 10) {
    return String.fromCharCode(
      0x30 + band,
      0x3a,
      hexCode(high, 28),
      hexCode(high, 24),
      hexCode(high, 20),
      hexCode(high, 16),
      hexCode(high, 12),
      hexCode(high, 8),
      hexCode(high, 4),
      hexCode(high, 0),
      hexCode(low, 28),
      hexCode(low, 24),
      hexCode(low, 20),
      hexCode(low, 16),
    );
  }
  return String.fromCharCode(
    0x30 + Math.floor(band / 10),
    0x30 + (band % 10),
    0x3a,
    hexCode(high, 28),
    hexCode(high, 24),
    hexCode(high, 20),
    hexCode(high, 16),
    hexCode(high, 12),
    hexCode(high, 8),
    hexCode(high, 4),
    hexCode(high, 0),
    hexCode(low, 28),
    hexCode(low, 24),
    hexCode(low, 20),
    hexCode(low, 16),
  );
}

/** A 64-bit (two independent 32-bit halves) fingerprint of a string, as 16 hex digits. */
export function fingerprintString(text: string): string {
  return toHex64(hashString(text), hashString(text, 0x2545f491));
}
