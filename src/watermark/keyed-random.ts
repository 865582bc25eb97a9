import { createHmac } from 'node:crypto';

/** Domain-separation prefix of every watermark HMAC message (docs/watermark-spec.md §2). */
export const SPEC_PREFIX = Buffer.from('distillguard-wm-v1', 'ascii');

/** One-byte scheme tags in the HMAC message, so the schemes never share pseudo-random values. */
export const SCHEME_TAG = {
  greenList: 0x01,
  greenListSelfHash: 0x02,
  exponential: 0x03,
  text: 0x10,
} as const;

const TWO_TO_32 = 4294967296;

/** MurmurHash3's 32-bit finaliser: a bijection on uint32 with full avalanche. */
export function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * HMAC-SHA256(secret, prefix ‖ tag ‖ u8 count ‖ count × u32be id) → the first two big-endian
 * uint32 words (s0, s1) of the digest. The context seed of spec §2.
 */
export function contextSeed(
  secret: Uint8Array,
  tag: number,
  contextIds: readonly number[],
): [number, number] {
  const message = Buffer.alloc(SPEC_PREFIX.length + 2 + 4 * contextIds.length);
  SPEC_PREFIX.copy(message, 0);
  message[SPEC_PREFIX.length] = tag;
  message[SPEC_PREFIX.length + 1] = contextIds.length;
  contextIds.forEach((id, index) => {
    message.writeUInt32BE(id >>> 0, SPEC_PREFIX.length + 2 + 4 * index);
  });
  const digest = createHmac('sha256', secret).update(message).digest();
  return [digest.readUInt32BE(0), digest.readUInt32BE(4)];
}

/** The keyed uint32 value of a token under a context seed: mix32(mix32(token ⊕ s1) ⊕ s0). */
export function tokenValue(seed0: number, seed1: number, token: number): number {
  return mix32((mix32((token ^ seed1) >>> 0) ^ seed0) >>> 0);
}

/** A token value as a uniform number in (0, 1). */
export function tokenUniform(seed0: number, seed1: number, token: number): number {
  return (tokenValue(seed0, seed1, token) + 0.5) / TWO_TO_32;
}

/** The integer threshold below which a token value is green at green fraction γ. */
export function greenThreshold(gamma: number): number {
  return Math.floor(gamma * TWO_TO_32);
}

/** Caches context seeds per key and tag (one HMAC per distinct context). */
export interface SeedCache {
  seed(contextIds: readonly number[]): [number, number];
}

/** A seed cache holding at most `capacity` contexts (cleared when full: bounded memory). */
export function createSeedCache(secret: Uint8Array, tag: number, capacity = 1 << 18): SeedCache {
  const cache = new Map<string, [number, number]>();
  return {
    seed(contextIds) {
      const cacheKey = contextIds.join(',');
      let seed = cache.get(cacheKey);
      if (!seed) {
        if (cache.size >= capacity) cache.clear();
        seed = contextSeed(secret, tag, contextIds);
        cache.set(cacheKey, seed);
      }
      return seed;
    },
  };
}
