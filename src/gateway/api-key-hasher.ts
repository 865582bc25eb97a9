import { createHmac, randomBytes } from 'node:crypto';

/** Derives the stored form of an API key; the raw key is never kept or logged. */
export interface ApiKeyHasher {
  hash(apiKey: string): string;
  /** A fresh random key in the `dg-…` format, shown to its owner once. */
  generate(): string;
  /**
   * A hasher under a sub-key of the secret, one per purpose (imported key hashes, pass-through
   * identities), so no input to one hasher can produce another's value.
   */
  derive?(purpose: string): ApiKeyHasher;
}

/**
 * HMAC-SHA256 with a server secret: a stolen key table is useless without the secret, and
 * lookups stay O(1) (a slow KDF such as scrypt would cost milliseconds on every request).
 *
 * @example
 * const hasher = createApiKeyHasher({ secret: process.env.DISTILLGUARD_SECRET! });
 * directory.addKey({ keyId: 'key_1', accountId: 'acct_1', hash: hasher.hash(apiKey) });
 */
export function createApiKeyHasher({ secret }: { secret: string | Buffer }): ApiKeyHasher {
  if (secret.length < 16) throw new Error('the API key secret must be at least 16 bytes long');
  return {
    hash: (apiKey) => createHmac('sha256', secret).update(apiKey).digest('hex'),
    generate: () => `dg-${randomBytes(24).toString('base64url')}`,
    derive: (purpose) =>
      createApiKeyHasher({
        secret: createHmac('sha256', secret).update(`distillguard/${purpose}`).digest(),
      }),
  };
}
