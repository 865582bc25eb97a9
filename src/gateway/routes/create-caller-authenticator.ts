import type { AccountDirectory } from '../control-plane/account-directory.js';
import type { KeyAuthenticator } from '../create-key-authenticator.js';
import type { LocalLimiter } from '../create-local-limiter.js';
import { type Dialect, GatewayError } from '../gateway-error.js';
import type { GatewayContext, GatewayRequest } from '../gateway-types.js';
import { createClientIpResolver } from '../resolve-client-ip.js';

/** Who called a route that is not itself an exchange (files, batch reads, batch submissions). */
export interface Caller {
  accountId: string;
  keyId: string;
  orgId?: string | undefined;
}

/**
 * Authenticates a caller with the same limits as the exchange routes: the per-IP bucket first,
 * then the key, with failed keys counted per client IP (past the limit, 429 instead of 401).
 * Throws a `GatewayError` the route renders in its dialect.
 */
export function createCallerAuthenticator({
  authenticate,
  directory,
  trustedProxies,
  perIp,
  invalidKeys,
  now,
}: {
  authenticate: KeyAuthenticator;
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
      const key = authenticate(request.headers, dialect);
      const orgId = directory.getAccount(key.accountId)?.org_id;
      return { accountId: key.accountId, keyId: key.keyId, orgId };
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
