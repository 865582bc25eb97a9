import { hash as digest } from 'node:crypto';
import type { ApiKeyHasher } from './api-key-hasher.js';
import type { AccountDirectory, ApiKeyRecord } from './control-plane/account-directory.js';
import { type Dialect, GatewayError } from './gateway-error.js';
import type { HeaderReader } from './gateway-types.js';

/** Finds the key a request carries; throws a 401 `GatewayError` worded for the client's dialect. */
export type KeyAuthenticator = (headers: HeaderReader, dialect: Dialect) => ApiKeyRecord;

// Keys verified recently: SHA-256 of the key → its HMAC. A one-shot SHA-256 costs ~0.7 µs, the
// HMAC ~5 µs. Only digests are held (never the key), and only for keys that exist.
const KEY_CACHE_LIMIT = 10_000;

/**
 * The request path's authentication step: the API key from `Authorization: Bearer` (OpenAI) or
 * `x-api-key` (Anthropic), looked up by its hash in the directory; revoked keys are refused.
 */
export function createKeyAuthenticator({
  hasher,
  directory,
}: {
  hasher: ApiKeyHasher;
  directory: AccountDirectory;
}): KeyAuthenticator {
  const keyCache = new Map<string, string>();
  return (headers, dialect) => {
    const authorization = headers.get('authorization');
    const apiKey =
      authorization && /^bearer /i.test(authorization)
        ? authorization.slice(7).trim()
        : headers.get('x-api-key');
    if (!apiKey) {
      throw new GatewayError(
        401,
        'missing_api_key',
        dialect === 'anthropic'
          ? 'x-api-key header is required.'
          : 'You didn\'t provide an API key. Send it as "Authorization: Bearer YOUR_KEY".',
      );
    }
    const fingerprint = digest('sha256', apiKey, 'base64');
    let stored = keyCache.get(fingerprint);
    if (stored === undefined) {
      stored = hasher.hash(apiKey);
      if (directory.findKeyByHash(stored)) {
        // Least recently used first: a Map iterates in insertion order.
        if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value ?? '');
        keyCache.set(fingerprint, stored);
      }
    } else {
      keyCache.delete(fingerprint);
      keyCache.set(fingerprint, stored);
    }
    const key = directory.findKeyByHash(stored);
    if (!key) throw new GatewayError(401, 'invalid_api_key', 'Incorrect API key provided.');
    if (key.revokedAt !== null)
      throw new GatewayError(401, 'revoked_api_key', 'This API key has been revoked.');
    return key;
  };
}
