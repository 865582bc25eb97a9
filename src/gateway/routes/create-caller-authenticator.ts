import type { AccountDirectory } from '../control-plane/account-directory.js';
import type { LocalLimiter } from '../create-local-limiter.js';
import { type Dialect, GatewayError } from '../gateway-error.js';
import type { GatewayContext, GatewayRequest } from '../gateway-types.js';
import type { IdentityResolver } from '../identity/create-identity-resolver.js';
import type { IdentitySettings } from '../identity/identity-config.js';
import { createClientIpResolver } from '../resolve-client-ip.js';

/** Who called a route that is not itself an exchange (files, batch reads, batch submissions). */
export interface Caller {
  accountId: string;
  keyId: string;
  orgId?: string | undefined;
  /** The identity headers the upstream receives for this caller, and pass-through credentials. */
  upstreamHeaders: Record<string, string>;
}

/**
 * Authenticates a caller with the same limits as the exchange routes: the per-IP bucket first,
 * then the key, with failed keys counted per client IP (past the limit, 429 instead of 401).
 * Throws a `GatewayError` the route renders in its dialect.
 */
export function createCallerAuthenticator({
  authenticate,
  forwardHeaders,
  directory,
  trustedProxies,
  perIp,
  invalidKeys,
  now,
}: {
  authenticate: IdentityResolver;
  forwardHeaders: IdentitySettings['forwardHeaders'];
  directory: AccountDirectory;
  trustedProxies: string[];
  perIp: LocalLimiter | null;
  invalidKeys: LocalLimiter | null;
  now: () => number;
}): (request: GatewayRequest, context: GatewayContext, dialect: Dialect) => Caller {
  const resolveIp = createClientIpResolver(trustedProxies);
  return (request, context, dialect) => {
    const ip = resolveIp(context.remoteAddress, request.headers.get('x-forwarded-for'));
    const time = now();
    if (perIp && !perIp.take(ip, time))
      throw new GatewayError(
        429,
        'rate_limit_ip',
        'Too many requests from this address. Retry after the time in Retry-After.',
        { 'retry-after': String(perIp.retryAfterSeconds(ip, time)) },
      );
    try {
      const identity = authenticate(request.headers, dialect, context.remoteAddress);
      const orgId = directory.getAccount(identity.accountId)?.org_id;
      const keyId = identity.keyId ?? identity.accountId;
      const upstreamHeaders: Record<string, string> = {};
      if (forwardHeaders.account) upstreamHeaders[forwardHeaders.account] = identity.accountId;
      if (forwardHeaders.clientIp) upstreamHeaders[forwardHeaders.clientIp] = ip;
      if (forwardHeaders.keyId && identity.keyId) upstreamHeaders[forwardHeaders.keyId] = keyId;
      if (identity.upstreamCredentials)
        Object.assign(upstreamHeaders, identity.upstreamCredentials);
      return { accountId: identity.accountId, keyId, orgId, upstreamHeaders };
    } catch (error) {
      if (invalidKeys && !invalidKeys.take(ip, time))
        throw new GatewayError(
          429,
          'rate_limit_invalid_keys',
          'Too many requests with a missing or invalid API key. Retry after the time in Retry-After.',
          { 'retry-after': String(invalidKeys.retryAfterSeconds(ip, time)) },
        );
      throw error;
    }
  };
}
