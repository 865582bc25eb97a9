import type { ApiKeyHasher } from '../api-key-hasher.js';
import type { KeyDerivation } from './create-key-lookup.js';

/** The keyed hashes of the key modes, each under its own sub-key of the gateway secret. */
export interface KeyDerivations {
  /** A key the gateway minted: HMAC-SHA256(secret, key), as stored since the first release. */
  minted: KeyDerivation;
  /** An imported key, from the SHA-256 (hex) of the key the provider exported. */
  imported: KeyDerivation;
  /** The stored hash of an imported SHA-256 (the import routes' side of `imported`). */
  importedFromSha256(sha256Hex: string): string;
  /** The account id of a pass-through key nobody imported: `pt_` and 128 bits of its HMAC. */
  passthroughAccount(apiKey: string): string;
}

/**
 * The derivations, from the gateway's hasher. Imported hashes and pass-through ids use sub-keys
 * (`hasher.derive`): with one key for all, a client could send the literal text of an exported
 * SHA-256 as its "key" and match the imported record without ever knowing the key.
 */
export function createKeyDerivations(hasher: ApiKeyHasher): KeyDerivations {
  if (!hasher.derive)
    throw new Error('the identity modes need a hasher with derive() (createApiKeyHasher has one)');
  const importedHasher = hasher.derive('imported-sha256');
  const passthroughHasher = hasher.derive('passthrough');
  const importedFromSha256 = (sha256Hex: string) => importedHasher.hash(sha256Hex.toLowerCase());
  return {
    minted: (apiKey) => hasher.hash(apiKey),
    imported: (_apiKey, sha256Hex) => importedFromSha256(sha256Hex),
    importedFromSha256,
    passthroughAccount: (apiKey) => `pt_${passthroughHasher.hash(apiKey).slice(0, 32)}`,
  };
}
