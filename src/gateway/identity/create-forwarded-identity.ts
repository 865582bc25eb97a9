import type { Exchange } from '../../log/exchange.js';
import type { ResolvedIdentity } from './create-identity-resolver.js';
import type { IdentitySettings } from './identity-config.js';

/** What the upstream step adds to an admitted request for the upstream. */
export interface ForwardedIdentity {
  /** Identity headers (account, client IP, request id, key id) and pass-through credentials. */
  headers: Record<string, string>;
  /** Pass-through only: the client's key, redacted from upstream text; its 401 is the client's. */
  clientKey: string | null;
}

/**
 * Builds the headers that tell the upstream who is asking: the account, the client IP as the
 * gateway resolved it (through trusted proxies only), the exchange id and the key id, under the
 * configured names. They are built from the gateway's own values: the upstream step forwards
 * only an allow-list of client headers, so a client's header of the same name never reaches it.
 */
export function createForwardedIdentity(
  forward: IdentitySettings['forwardHeaders'],
): (exchange: Exchange, identity: ResolvedIdentity) => ForwardedIdentity {
  const { account, clientIp, requestId, keyId } = forward;
  return (exchange, identity) => {
    const headers: Record<string, string> = {};
    if (account) headers[account] = exchange.account_id;
    if (clientIp) headers[clientIp] = exchange.ip;
    if (requestId) headers[requestId] = exchange.id;
    if (keyId && exchange.api_key_id) headers[keyId] = exchange.api_key_id;
    if (identity.upstreamCredentials) Object.assign(headers, identity.upstreamCredentials);
    return { headers, clientKey: identity.clientKey };
  };
}
