import type { Exchange, ExchangeResponse } from '../log/exchange.js';
import { truncateExchange } from '../log/serialise-exchange.js';
import type { ExchangeRecorder } from './exchange-store/exchange-recorder.js';
import type { GatewayContext, GatewayRequest } from './gateway-types.js';
import { isoTimestamp } from './iso-timestamp.js';
import type {
  RequestObservation,
  RequestObserver,
} from './observability/create-request-observer.js';
import { createClientIpResolver, createProxyTrust } from './resolve-client-ip.js';
import type { ProxiedEndpoint } from './shape-completion.js';

/** Ends a tracked exchange: records it once (later calls do nothing) and reports it. */
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
  /** Tells the tracker the body as the client sent it (its size bounds the queue and the cap). */
  noteBody(raw: Buffer | string): void;
  readonly finish: FinishExchange;
  /** Its telemetry: child spans, the upstream's trace context and timing. */
  readonly observation: RequestObservation;
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
  observer,
  trustedProxies,
  now,
  createId,
  storedBodyLimitBytes = 16 * 1024,
}: {
  recorder: ExchangeRecorder;
  /**
   * The fleet's exchange publisher (O(1), after the response); `begin` holds its watermark at
   * an open request's start (docs/fleet.md, Ordering).
   */
  publisher?: { record(exchange: Exchange): void; begin?(startedMs: number): void } | undefined;
  /** Metrics, request log lines and spans (`createRequestObserver`). */
  observer: RequestObserver;
  trustedProxies: string[];
  now: () => number;
  createId: () => string;
  /**
   * Body bytes kept in the record of an unauthenticated or refused (4xx) request; a larger body
   * is stored truncated (`truncated.reason: body_cap`, with its size and first bytes), so
   * anonymous traffic cannot fill the store.
   */
  storedBodyLimitBytes?: number;
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
      publisher?.begin?.(started);
      const exchange: Exchange = {
        id: createId(),
        ts: isoTimestamp(started),
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
      const observation = observer.begin(request, exchange);
      let finished = false;
      let body: Buffer | string = '';
      const tracked: TrackedExchange = {
        exchange,
        started,
        action: 'none',
        observation,
        noteBody(raw) {
          body = raw;
        },
        finish(status, response, reason) {
          if (finished) return;
          finished = true;
          inFlight -= 1;
          const ended = now();
          exchange.status = status;
          exchange.latency_ms = ended - started;
          if (response) exchange.response = response;
          const bytes = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
          const refused =
            exchange.account_id === 'unauthenticated' || (status >= 400 && status < 500);
          const stored =
            refused && bytes > storedBodyLimitBytes
              ? truncateExchange(exchange, {
                  reason: 'body_cap',
                  bytes,
                  preview: body.slice(0, Math.min(storedBodyLimitBytes, 1024)).toString(),
                })
              : exchange;
          recorder.record(stored, bytes);
          publisher?.record(stored);
          observation.end(status, reason, tracked.action);
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
