import { hash as digest } from 'node:crypto';
import type { AccountDirectory, ApiKeyRecord } from '../control-plane/account-directory.js';

/** One way a presented key maps to a stored hash (minted keys, imported SHA-256 hashes). */
export type KeyDerivation = (apiKey: string, sha256Hex: string) => string;

/**
 * Finds the stored record of a presented key, or `undefined` when no derivation matches;
 * `sha256Hex` is the key's SHA-256 when the caller already has it.
 */
export type KeyLookup = (apiKey: string, sha256Hex?: string) => ApiKeyRecord | undefined;

// Keys verified recently: SHA-256 of the key → the stored hash that matched. A one-shot SHA-256
// costs ~0.7 µs, the HMAC ~5 µs (and each extra derivation tried, another). Only digests are
// held (never the key), and only for keys that exist.
const KEY_CACHE_LIMIT = 10_000;

/**
 * Looks a key up in the directory under each derivation in turn; the SHA-256 of the key (hex) is
 * computed once, serves as the cache key and is what imported hashes are derived from.
 */
export function createKeyLookup({
  derivations,
  directory,
}: {
  derivations: readonly KeyDerivation[];
  directory: AccountDirectory;
}): KeyLookup {
  const keyCache = new Map<string, string>();
  return (apiKey, fingerprint = digest('sha256', apiKey, 'hex')) => {
    const cached = keyCache.get(fingerprint);
    if (cached !== undefined) {
      const key = directory.findKeyByHash(cached);
      if (key) {
        // Least recently used first: a Map iterates in insertion order.
        keyCache.delete(fingerprint);
        keyCache.set(fingerprint, cached);
        return key;
      }
      keyCache.delete(fingerprint);
    }
    for (const derive of derivations) {
      const stored = derive(apiKey, fingerprint);
      const key = directory.findKeyByHash(stored);
      if (!key) continue;
      if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value ?? '');
      keyCache.set(fingerprint, stored);
      return key;
    }
    return undefined;
  };
}
