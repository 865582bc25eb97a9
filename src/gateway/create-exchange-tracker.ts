import type { Exchange, ExchangeResponse } from '../log/exchange.js';
import type { ExchangeRecorder } from './exchange-store/exchange-recorder.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { GatewayContext, GatewayRequest } from './gateway-types.js';
import { createClientIpResolver, createProxyTrust } from './resolve-client-ip.js';
import type { ProxiedEndpoint } from './shape-completion.js';

/** Ends a tracked exchange: records it once (later calls do nothing) and counts it in metrics. */
export type FinishExchange = (
  status: number,
  response: ExchangeResponse | null,
  reason: string,
) => void;

/** One accepted request on its way through the gateway. */
export interface TrackedExchange {
  /** The log-v1 record, filled in by each step (account, model, request, watermark). */
  readonly exchange: Exchange;
  /** When the request was accepted (ms since the epoch). */
  readonly started: number;
  /** The ladder's action, as the metrics label it. */
  action: string;
  readonly finish: FinishExchange;
}

/** The request path's record step: opens an exchange per accepted request and records it. */
export interface ExchangeTracker {
  begin(
    request: GatewayRequest,
    context: GatewayContext,
    endpoint: ProxiedEndpoint,
  ): TrackedExchange;
  readonly inFlight: number;
  readonly accepted: number;
}

/**
 * Builds the record step. Every accepted request becomes exactly one exchange record: `begin`
 * fills in what the connection tells (client IP through trusted proxies, user agent, header
 * order, a trusted proxy's TLS fingerprint); `finish` writes status, latency and response.
 */
export function createExchangeTracker({
  recorder,
  publisher,
  metrics,
  trustedProxies,
  now,
  createId,
}: {
  recorder: ExchangeRecorder;
  /** The fleet's exchange publisher (O(1), after the response). */
  publisher?: { record(exchange: Exchange): void } | undefined;
  metrics: GatewayMetrics;
  trustedProxies: string[];
  now: () => number;
  createId: () => string;
}): ExchangeTracker {
  const resolveIp = createClientIpResolver(trustedProxies);
  const isTrustedProxy = createProxyTrust(trustedProxies);
  let inFlight = 0;
  let accepted = 0;

  return {
    begin(request, context, endpoint) {
      accepted += 1;
      inFlight += 1;
      const started = now();
      const exchange: Exchange = {
        id: createId(),
        ts: new Date(started).toISOString(),
        account_id: 'unauthenticated',
        ip: resolveIp(context.remoteAddress, request.headers.get('x-forwarded-for')),
        endpoint,
        model: '',
        request: {},
        status: 0,
      };
      const userAgent = request.headers.get('user-agent');
      if (userAgent) exchange.user_agent = userAgent;
      if (context.headerOrder) exchange.header_order = context.headerOrder;
      // A TLS-terminating proxy in front of the gateway can pass the client's JA3/JA4 hash on.
      const tlsFingerprint = request.headers.get('x-tls-fingerprint');
      if (tlsFingerprint && isTrustedProxy(context.remoteAddress))
        exchange.tls_fingerprint = tlsFingerprint;
      let finished = false;
      const tracked: TrackedExchange = {
        exchange,
        started,
        action: 'none',
        finish(status, response, reason) {
          if (finished) return;
          finished = true;
          inFlight -= 1;
          const ended = now();
          exchange.status = status;
          exchange.latency_ms = ended - started;
          if (response) exchange.response = response;
          recorder.record(exchange);
          publisher?.record(exchange);
          metrics.observeRequest(
            { endpoint, status, action: tracked.action, reason },
            (ended - started) / 1000,
          );
        },
      };
      return tracked;
    },
    get inFlight() {
      return inFlight;
    },
    get accepted() {
      return accepted;
    },
  };
}
