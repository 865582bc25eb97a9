import type { Dialect } from '../gateway-error.js';

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id'] as const;

/**
 * Passes the upstream's request id and retry advice on to the client. The SDKs read the id from
 * `x-request-id` (OpenAI) and `request-id` (Anthropic): when the upstream sent either, both the
 * name it used and the client dialect's name carry it, and the gateway's own exchange id moves
 * to `x-distillguard-exchange-id` (the provider's support can then join the two logs).
 * `Retry-After` and `retry-after-ms` are passed on errors only: on a served answer the gateway's
 * own rate-limit headers speak.
 */
export function relayUpstreamHeaders(
  upstream: Record<string, string>,
  headers: Record<string, string>,
  { dialect, status, exchangeId }: { dialect: Dialect; status: number; exchangeId: string },
): void {
  let upstreamId: string | undefined;
  for (const name of REQUEST_ID_HEADERS) {
    const value = upstream[name];
    if (!value) continue;
    upstreamId ??= value;
    headers[name] = value;
  }
  if (upstreamId !== undefined) {
    const own = dialect === 'openai' ? 'x-request-id' : 'request-id';
    if (headers[own] === exchangeId) headers[own] = upstreamId;
    headers['x-distillguard-exchange-id'] = exchangeId;
  }
  if (status >= 200 && status < 300) return;
  const retryAfter = upstream['retry-after'];
  if (retryAfter) headers['retry-after'] = retryAfter;
  const retryAfterMs = upstream['retry-after-ms'];
  if (retryAfterMs) headers['retry-after-ms'] = retryAfterMs;
}
