import type {
  Exchange,
  ExchangeOperation,
  ExchangeRequest,
  ExchangeResponse,
} from '../log/exchange.js';
import { isRecord } from '../shared/is-record.js';
import type { BufferedResponse } from './buffered-response.js';
import { capOutputTokens } from './cap-output-tokens.js';
import type { FinishExchange } from './create-exchange-tracker.js';
import { type Dialect, GatewayError, renderErrorBody } from './gateway-error.js';
import type { GatewayReply } from './gateway-reply.js';
import type { GatewayContext, HeaderReader } from './gateway-types.js';
import type { GatewayWatermark } from './gateway-watermark.js';
import type { ForwardedIdentity } from './identity/create-forwarded-identity.js';
import { relayUpstreamHeaders } from './identity/relay-upstream-headers.js';
import type { Ladder, LadderOutcome } from './ladder.js';
import type { RequestObservation } from './observability/create-request-observer.js';
import { shapeMeasurement } from './routes/shape-measurement.js';
import { type ProxiedEndpoint, shapeCompletion } from './shape-completion.js';
import { streamReply } from './stream-reply.js';
import type { UpstreamClient, UpstreamRequest, UpstreamResponse } from './upstream-client.js';
import { upstreamFailure } from './upstream-failure.js';

/** One admitted request, as the upstream step needs it. */
export interface ForwardRequest {
  endpoint: ProxiedEndpoint;
  /** A route that generates nothing (embeddings, count_tokens): no cap, no watermark. */
  operation?: ExchangeOperation | undefined;
  dialect: Dialect;
  /** The parsed body, and its original bytes (sent as they are when no cap applies). */
  body: ExchangeRequest;
  raw: Buffer | string;
  outcome: LadderOutcome;
  exchange: Exchange;
  clientHeaders: HeaderReader;
  /** Response headers so far (request id, rate limits, action); the step adds its own. */
  headers: Record<string, string>;
  context: GatewayContext;
  finish: FinishExchange;
  /** Identity headers for the upstream (and a pass-through client's key); absent: none. */
  identity?: ForwardedIdentity;
  /** The request's telemetry: the upstream gets its trace context, the answer is timed. */
  observation?: RequestObservation;
}

/** The request path's upstream step: sends an admitted request on and shapes the answer. */
export type UpstreamForwarder = (request: ForwardRequest) => Promise<GatewayReply>;

const FORWARDED_HEADERS = ['accept', 'anthropic-version', 'anthropic-beta', 'openai-beta'];
const UPSTREAM_PATHS: Record<ProxiedEndpoint, string> = {
  'chat.completions': '/v1/chat/completions',
  responses: '/v1/responses',
  messages: '/v1/messages',
  completions: '/v1/completions',
};
const OPERATION_PATHS: Record<ExchangeOperation, string> = {
  embeddings: '/v1/embeddings',
  count_tokens: '/v1/messages/count_tokens',
};
const noop = () => {};

/**
 * Builds the upstream step: caps output tokens as the ladder decided, forwards the client's
 * dialect headers, aborts the upstream when the client leaves, watermarks a served answer,
 * charges its output tokens, and relays a stream or a complete body (an upstream error in the
 * client's dialect). Transport failures are thrown as `GatewayError`.
 */
export function createUpstreamForwarder({
  upstream,
  ladder,
  watermark,
  now,
}: {
  upstream: UpstreamClient;
  ladder: Ladder;
  watermark: GatewayWatermark | null;
  now: () => number;
}): UpstreamForwarder {
  return async ({
    endpoint,
    operation,
    dialect,
    body,
    raw,
    outcome,
    exchange,
    clientHeaders,
    headers,
    context,
    finish,
    identity,
    observation,
  }) => {
    const cap = operation
      ? Infinity
      : Math.min(outcome.maxOutputTokens ?? Infinity, outcome.outputTokenBudget ?? Infinity);
    // Unchanged bodies go out as the client's own bytes: no second serialisation.
    const upstreamBody = Number.isFinite(cap)
      ? JSON.stringify(capOutputTokens(body, endpoint, cap))
      : raw;
    const forwardHeaders: Record<string, string> = { 'content-type': 'application/json' };
    for (const name of FORWARDED_HEADERS) {
      const value = clientHeaders.get(name);
      if (value) forwardHeaders[name] = value;
    }
    if (identity) Object.assign(forwardHeaders, identity.headers);
    // The client leaving aborts the upstream request; no AbortController unless it happens.
    let abortUpstream: (() => void) | null = null;
    let clientGone = false;
    const stopWatching =
      context.onClientGone?.(() => {
        clientGone = true;
        abortUpstream?.();
      }) ?? noop;
    const upstreamCall = observation?.upstream(forwardHeaders);
    let upstreamResponse: UpstreamResponse;
    try {
      const sent: UpstreamRequest = {
        method: 'POST',
        path: operation ? OPERATION_PATHS[operation] : UPSTREAM_PATHS[endpoint],
        headers: forwardHeaders,
        body: upstreamBody,
        onStart(abort) {
          abortUpstream = abort;
          if (clientGone) abort();
        },
      };
      if (exchange.model) sent.model = exchange.model;
      if (context.signal) sent.signal = context.signal;
      upstreamResponse = await upstream.send(sent);
    } catch (error) {
      stopWatching();
      throw upstreamFailure(error);
    }
    const { status } = upstreamResponse;
    relayUpstreamHeaders(upstreamResponse.headers, headers, {
      dialect,
      status,
      exchangeId: exchange.id,
    });
    const contentType = upstreamResponse.headers['content-type'] ?? 'application/json';
    const marking =
      status === 200 && !operation
        ? (watermark?.forResponse(exchange.account_id, outcome.action, now()) ?? null)
        : null;
    if (marking) exchange.watermark = marking.record;
    const charge = (response: ExchangeResponse) =>
      void ladder
        .chargeOutputTokens(outcome, exchange.account_id, response.output_tokens, now())
        .catch(noop);

    if (status === 200 && contentType.startsWith('text/event-stream')) {
      // From here the adapter's `cancel` handles a client that goes away.
      stopWatching();
      if (upstreamCall) upstreamResponse = upstreamCall.received(upstreamResponse);
      return streamReply({ upstreamResponse, endpoint, outcome, headers, charge, finish, marking });
    }

    let text: string;
    try {
      text = await upstreamResponse.text();
      upstreamCall?.ended();
    } catch (error) {
      throw upstreamFailure(error);
    } finally {
      stopWatching();
    }
    if (status !== 200) {
      // The upstream refusing the gateway's own key is the gateway's fault, not the client's:
      // a 502 that names no key, and none of the upstream's text (it may echo the key). A
      // pass-through key is the client's own: its refusal is relayed, the key redacted.
      if ((status === 401 || status === 403) && !identity?.clientKey) {
        finish(502, null, 'upstream_auth_failed');
        return new GatewayError(
          502,
          'upstream_auth_failed',
          'The gateway could not authenticate to the upstream; this is not about your API key.',
        ).toParts(dialect, headers);
      }
      text = upstream.redact?.(text) ?? text;
      const clientKey = identity?.clientKey;
      if (clientKey && text.includes(clientKey)) text = text.replaceAll(clientKey, '[redacted]');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      const code = status >= 500 ? 'upstream_error' : 'upstream_rejected';
      finish(status, null, code);
      const errorBody = isRecord(parsed)
        ? text
        : JSON.stringify(
            renderErrorBody(dialect, status, code, `The upstream answered ${status}.`),
          );
      headers['content-type'] = 'application/json';
      headers['x-distillguard-reason'] = code;
      return { status, headers, body: errorBody } satisfies BufferedResponse;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new GatewayError(
        502,
        'upstream_malformed',
        'The upstream returned a body that is not JSON.',
      );
    }
    const response = operation
      ? shapeMeasurement(parsed, operation)
      : shapeCompletion(parsed, endpoint, outcome.reasoning, marking?.createStage);
    charge(response);
    finish(200, response, 'ok');
    headers['content-type'] = contentType;
    return {
      status: 200,
      headers,
      body: outcome.reasoning === 'pass' && !marking ? text : JSON.stringify(parsed),
    } satisfies BufferedResponse;
  };
}
