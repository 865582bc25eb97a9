import { createHmac } from 'node:crypto';
import { SCHEME_TAG, SPEC_PREFIX } from '../keyed-random.js';
import type { WatermarkKey } from '../keys/watermark-key.js';
import { LEXICAL_VARIANTS } from './lexical-variants.js';

/**
 * The keyed variant for a (previous word, class): s0 mod 2 where (s0, …) is
 * HMAC-SHA256(secret, prefix ‖ 0x10 ‖ u8 len ‖ UTF-8(previous word) ‖ UTF-8(first variant)) (spec §4).
 * Cached per key (bounded).
 */
export function createTextChoice(key: WatermarkKey, capacity = 1 << 16) {
  const cache = new Map<string, number>();
  return (previousWord: string, classIndex: number): number => {
    const cacheKey = `${previousWord}\u0000${classIndex}`;
    let chosen = cache.get(cacheKey);
    if (chosen === undefined) {
      const pair = LEXICAL_VARIANTS[classIndex]!;
      const previous = Buffer.from(previousWord.slice(0, 255), 'utf8').subarray(0, 255);
      const message = Buffer.concat([
        SPEC_PREFIX,
        Buffer.from([SCHEME_TAG.text, previous.length]),
        previous,
        Buffer.from(pair[0], 'utf8'),
      ]);
      const digest = createHmac('sha256', key.secret).update(message).digest();
      chosen = digest.readUInt32BE(0) % pair.length;
      if (cache.size >= capacity) cache.clear();
      cache.set(cacheKey, chosen);
    }
    return chosen;
  };
}
