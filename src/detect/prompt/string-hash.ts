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

/** Two 32-bit words as 16 lowercase hex digits. */
export function toHex64(high: number, low: number): string {
  return (high >>> 0).toString(16).padStart(8, '0') + (low >>> 0).toString(16).padStart(8, '0');
}

/** A 64-bit (two independent 32-bit halves) fingerprint of a string, as 16 hex digits. */
export function fingerprintString(text: string): string {
  return toHex64(hashString(text), hashString(text, 0x2545f491));
}
