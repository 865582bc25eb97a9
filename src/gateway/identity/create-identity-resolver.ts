import { hash as digest } from 'node:crypto';
import type { ApiKeyHasher } from '../api-key-hasher.js';
import type { AccountDirectory, ApiKeyRecord } from '../control-plane/account-directory.js';
import { type Dialect, GatewayError } from '../gateway-error.js';
import type { HeaderReader } from '../gateway-types.js';
import { createProxyTrust } from '../resolve-client-ip.js';
import { createKeyLookup, type KeyDerivation } from './create-key-lookup.js';
import type { IdentitySettings } from './identity-config.js';
import { createKeyDerivations, type KeyDerivations } from './key-derivations.js';
import { missingApiKey, readApiKey } from './read-api-key.js';

/** Who a request is from, as the gateway records and forwards it. */
export interface ResolvedIdentity {
  accountId: string;
  /** The exchange's `api_key_id`, when the mode knows one. */
  keyId: string | null;
  /** Pass-through only: the client's credential header(s), sent upstream as they came. */
  upstreamCredentials: Record<string, string> | null;
  /** Pass-through only: the client's key, removed from any upstream text before it is relayed. */
  clientKey: string | null;
}

/**
 * The request path's authentication step; throws a 401 `GatewayError` worded for the client's
 * dialect. `remoteAddress` is the socket peer (trusted-header mode checks it).
 */
export type IdentityResolver = (
  headers: HeaderReader,
  dialect: Dialect,
  remoteAddress: string,
) => ResolvedIdentity;

// An account id from a trusted header goes into records, metrics labels and upstream headers.
const ACCOUNT_ID = /^[\x21-\x7e]{1,256}$/;
// Pass-through ids of keys nobody imported, by the key's SHA-256: the HMAC (~5 µs) once per key.
// A key → id mapping never changes, so the cache is always right; it holds digests only.
const PASSTHROUGH_CACHE_LIMIT = 10_000;

const fromRecord = (key: ApiKeyRecord): ResolvedIdentity => ({
  accountId: key.accountId,
  keyId: key.keyId,
  upstreamCredentials: null,
  clientKey: null,
});

/**
 * Builds the authentication step for the configured key mode:
 * - `minted`: keys the admin API made, looked up by HMAC (unknown or revoked: 401);
 * - `imported`: the same, plus keys whose SHA-256 the provider imported;
 * - `passthrough`: any key is forwarded upstream unchanged (the upstream decides whether it is
 *   valid); an imported key maps to its account, any other to `pt_` + its keyed hash;
 * - `trusted_header`: the account id from the configured header, only when the socket peer is a
 *   trusted proxy; from anyone else the request is refused, whatever it carries.
 *
 * @example
 * const identify = createIdentityResolver({ settings, hasher, directory, trustedProxies });
 * const { accountId } = identify(request.headers, 'openai', context.remoteAddress);
 */
export function createIdentityResolver({
  settings,
  hasher,
  directory,
  trustedProxies,
}: {
  settings: IdentitySettings;
  hasher: ApiKeyHasher;
  directory: AccountDirectory;
  trustedProxies: readonly string[];
}): IdentityResolver {
  const { mode } = settings;
  if (mode === 'trusted_header') return trustedHeaderResolver(settings, trustedProxies);
  // Minted mode touches no derived key, so a custom hasher without `derive` keeps working.
  const derivations: KeyDerivations | null =
    mode === 'minted' ? null : createKeyDerivations(hasher);
  // Pass-through tries imported keys only: a key the gateway minted means nothing upstream.
  const tried: KeyDerivation[] = !derivations
    ? [(apiKey) => hasher.hash(apiKey)]
    : mode === 'passthrough'
      ? [derivations.imported]
      : [derivations.imported, derivations.minted];
  const lookup = createKeyLookup({ derivations: tried, directory });
  const passthroughIds = new Map<string, string>();
  const passthroughAccount = (apiKey: string, fingerprint: string) => {
    let id = passthroughIds.get(fingerprint);
    if (id === undefined) {
      id = derivations?.passthroughAccount(apiKey) ?? '';
      if (passthroughIds.size >= PASSTHROUGH_CACHE_LIMIT)
        passthroughIds.delete(passthroughIds.keys().next().value ?? '');
      passthroughIds.set(fingerprint, id);
    }
    return id;
  };
  return (headers, dialect) => {
    const presented = readApiKey(headers);
    if (!presented) throw missingApiKey(dialect);
    const fingerprint = digest('sha256', presented.key, 'hex');
    const key = lookup(presented.key, fingerprint);
    if (key?.revokedAt != null)
      throw new GatewayError(401, 'revoked_api_key', 'This API key has been revoked.');
    if (mode !== 'passthrough') {
      if (!key) throw new GatewayError(401, 'invalid_api_key', 'Incorrect API key provided.');
      return fromRecord(key);
    }
    const accountId = key?.accountId ?? passthroughAccount(presented.key, fingerprint);
    return {
      accountId,
      keyId: key?.keyId ?? accountId,
      upstreamCredentials: {
        [presented.header]:
          presented.header === 'authorization' ? `Bearer ${presented.key}` : presented.key,
      },
      clientKey: presented.key,
    };
  };
}

function trustedHeaderResolver(
  settings: IdentitySettings,
  trustedProxies: readonly string[],
): IdentityResolver {
  const { accountHeader, keyIdHeader } = settings.trustedHeader ?? {};
  if (!accountHeader) throw new Error('trusted_header mode needs trusted_header.account_header');
  const isTrusted = createProxyTrust(trustedProxies);
  return (headers, _dialect, remoteAddress) => {
    // Checked before the header is even read: from an untrusted peer the header is the client's.
    if (!isTrusted(remoteAddress))
      throw new GatewayError(
        401,
        'untrusted_identity_header',
        "This gateway accepts requests only through the provider's authentication layer.",
      );
    const accountId = headers.get(accountHeader);
    if (!accountId)
      throw new GatewayError(
        401,
        'missing_identity_header',
        `The authentication layer did not set ${accountHeader}.`,
      );
    if (!ACCOUNT_ID.test(accountId))
      throw new GatewayError(
        401,
        'invalid_identity_header',
        `${accountHeader} must be 1 to 256 visible ASCII characters.`,
      );
    const keyId = keyIdHeader ? headers.get(keyIdHeader) : null;
    return {
      accountId,
      keyId: keyId && ACCOUNT_ID.test(keyId) ? keyId : null,
      upstreamCredentials: null,
      clientKey: null,
    };
  };
}
