import {
  type Context,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapGetter,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
} from '@opentelemetry/semantic-conventions';
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from '@opentelemetry/semantic-conventions/incubating';
import type { Exchange } from '../../log/exchange.js';
import type { Logger } from '../../shared/telemetry/index.js';
import type { Decision } from '../enforcement-state/enforcement-state.js';
import type { GatewayMetrics } from '../gateway-metrics.js';
import type { GatewayRequest, HeaderReader } from '../gateway-types.js';
import type { UpstreamResponse } from '../upstream-client.js';
import { createBoundedLabel } from './create-bounded-label.js';
import type { GatewayTracing } from './create-gateway-tracing.js';
import { timeUpstreamResponse } from './time-upstream-response.js';

/** What the gateway reports beyond its metrics: logs and traces, each off unless given. */
export interface GatewayObservability {
  /** Structured logs (`createLogger`): one line per request and per decision. */
  logger?: Logger;
  /** Per-request lines (default: on when a logger is given); decisions are always logged. */
  logRequests?: boolean;
  /** Put the prompt and answer text in request lines (default off; see docs/observability.md). */
  logPrompts?: boolean;
  /** OpenTelemetry tracing (`createGatewayTracing`); absent: no spans, no cost. */
  tracing?: GatewayTracing | null;
  /** What `/metrics` answers (default: this gateway's registry; a cluster worker: the cluster's). */
  scrape?: () => Promise<string>;
  /**
   * Whether this gateway's recorder writes the store (default true). A cluster worker's hands
   * its records to the primary, which counts the writes.
   */
  recorderOwnsStore?: boolean;
}

/** One request's telemetry, from its acceptance to its record. */
export interface RequestObservation {
  /** Starts a child span of the request (`auth`, `score`); returns its end. */
  phase(name: string): (error?: unknown) => void;
  /**
   * The upstream call starts: adds `traceparent` (and `tracestate`) to `headers`, starts the
   * upstream span and clock. `received` wraps the answer to time its first chunk and its end.
   */
  upstream(headers: Record<string, string>): UpstreamTiming;
  /** The request is finished (called once, by the record step): metrics, log line, span end. */
  end(status: number, reason: string, action: string): void;
}

/** The upstream call's clock, as `RequestObservation.upstream` started it. */
export interface UpstreamTiming {
  /** Wraps a streamed answer to time its first chunk and its end. */
  received(response: UpstreamResponse): UpstreamResponse;
  /** A complete (not streamed) answer was read: the upstream's time ends now. */
  ended(): void;
}

export interface RequestObserver {
  begin(request: GatewayRequest, exchange: Exchange): RequestObservation;
  /** A decision the ladder attached (metrics and a decision log line). */
  decision(subject: { kind: 'account' | 'campaign'; id: string }, decision: Decision): void;
}

const ROUTES: Record<string, string> = {
  'chat.completions': '/v1/chat/completions',
  responses: '/v1/responses',
  messages: '/v1/messages',
  embeddings: '/v1/embeddings',
  completions: '/v1/completions',
};
const OPERATIONS: Record<string, string> = {
  embeddings: 'embeddings',
  completions: 'text_completion',
};
const headerGetter: TextMapGetter<HeaderReader> = {
  get: (carrier, key) => carrier.get(key) ?? undefined,
  keys: () => [],
};
const NO_END = () => {};
const epochMs = () => performance.timeOrigin + performance.now();

/** The prompt text of a request body, for the opt-in prompt logging only. */
function promptOf(body: Record<string, unknown>): unknown {
  return body.messages ?? body.input ?? body.prompt ?? null;
}

/**
 * Builds the request path's telemetry: per request, the metrics (by endpoint, bounded model,
 * status, rung), a JSON log line with no key and no prompt text unless asked, and, when tracing
 * is on, a server span (the client's `traceparent` as parent) with `auth`, `score` and upstream
 * child spans carrying the OpenTelemetry GenAI attributes; the upstream gets the trace context.
 */
export function createRequestObserver({
  metrics,
  observability = {},
  clock = epochMs,
}: {
  metrics: GatewayMetrics;
  observability?: GatewayObservability;
  /** Milliseconds since the epoch, sub-millisecond (default: `performance`). */
  clock?: () => number;
}): RequestObserver {
  const { logger, tracing = null, logPrompts = false } = observability;
  const logRequests = logger !== undefined && (observability.logRequests ?? true);
  const settings: ObserverSettings = {
    metrics,
    logger: logRequests ? (logger ?? null) : null,
    tracing,
    logPrompts,
    clock,
    modelLabel: createBoundedLabel(),
  };

  return {
    decision(subject, decision) {
      metrics.observeDecision(subject.kind, decision.action);
      logger?.info(
        {
          event: 'decision',
          subject_kind: subject.kind,
          subject_id: subject.id,
          action: decision.action,
          source: decision.source,
          reason: decision.reason,
          campaign_id: decision.campaignId,
        },
        'decision',
      );
    },
    begin(request, exchange) {
      return new Observation(request, exchange, settings);
    },
  };
}

interface ObserverSettings {
  metrics: GatewayMetrics;
  /** Per-request lines go here; null when they are off. */
  logger: Logger | null;
  tracing: GatewayTracing | null;
  logPrompts: boolean;
  clock: () => number;
  modelLabel: (value: string) => string;
}

/**
 * One request's telemetry as one object (no closures per request: the request path allocates
 * it for every request, with tracing and logs off as often as on).
 */
class Observation implements RequestObservation, UpstreamTiming {
  private readonly started: number;
  private upstreamStarted: number | null = null;
  private upstreamEnded: number | null = null;
  private firstChunk: number | null = null;
  private span: Span | null = null;
  private context: Context = ROOT_CONTEXT;
  private upstreamSpan: Span | null = null;
  // Phases a thrown error left open: ended, as failed, with the request (tracing only).
  private open: Set<Span> | null = null;

  constructor(
    private readonly request: GatewayRequest,
    private readonly exchange: Exchange,
    private readonly settings: ObserverSettings,
  ) {
    this.started = settings.clock();
    const { tracing } = settings;
    if (tracing) {
      const { endpoint } = exchange;
      const route = ROUTES[endpoint] ?? endpoint;
      const provider = endpoint === 'messages' ? 'anthropic' : 'openai';
      const parent = tracing.propagator.extract(ROOT_CONTEXT, request.headers, headerGetter);
      this.span = tracing.tracer.startSpan(
        `${request.method} ${route}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            [ATTR_HTTP_REQUEST_METHOD]: request.method,
            [ATTR_HTTP_ROUTE]: route,
            [ATTR_GEN_AI_OPERATION_NAME]: OPERATIONS[endpoint] ?? 'chat',
            [ATTR_GEN_AI_PROVIDER_NAME]: provider,
            [ATTR_GEN_AI_SYSTEM]: provider,
          },
        },
        parent,
      );
      this.context = trace.setSpan(parent, this.span);
    }
  }

  phase(name: string): (error?: unknown) => void {
    const { tracing } = this.settings;
    if (!tracing) return NO_END;
    const child = tracing.tracer.startSpan(`distillguard.${name}`, {}, this.context);
    this.open ??= new Set();
    const open = this.open;
    open.add(child);
    return (error) => {
      open.delete(child);
      if (error !== undefined) {
        child.setStatus({ code: SpanStatusCode.ERROR });
        const code = (error as { code?: unknown } | null)?.code;
        if (typeof code === 'string') child.setAttribute(ATTR_ERROR_TYPE, code);
      }
      child.end();
    };
  }

  upstream(headers: Record<string, string>): UpstreamTiming {
    const { tracing, clock } = this.settings;
    const { exchange, request } = this;
    this.upstreamStarted = clock();
    if (tracing) {
      const provider = exchange.endpoint === 'messages' ? 'anthropic' : 'openai';
      this.upstreamSpan = tracing.tracer.startSpan(
        `${OPERATIONS[exchange.endpoint] ?? 'chat'} ${exchange.model}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            [ATTR_GEN_AI_OPERATION_NAME]: OPERATIONS[exchange.endpoint] ?? 'chat',
            [ATTR_GEN_AI_PROVIDER_NAME]: provider,
            [ATTR_GEN_AI_SYSTEM]: provider,
            [ATTR_GEN_AI_REQUEST_MODEL]: exchange.model,
            [ATTR_GEN_AI_REQUEST_STREAM]: exchange.request.stream === true,
          },
        },
        this.context,
      );
      tracing.propagator.inject(
        trace.setSpan(this.context, this.upstreamSpan),
        headers,
        defaultTextMapSetter,
      );
    } else {
      // Not tracing: the client's trace context passes through unchanged (W3C: a
      // non-participating intermediary forwards it).
      const parent = request.headers.get('traceparent');
      if (parent) headers.traceparent = parent;
      const state = request.headers.get('tracestate');
      if (parent && state) headers.tracestate = state;
    }
    return this;
  }

  received(response: UpstreamResponse): UpstreamResponse {
    return timeUpstreamResponse(response, {
      onFirstChunk: () => {
        this.firstChunk ??= this.settings.clock();
      },
      onEnd: () => this.ended(),
    });
  }

  ended(): void {
    this.upstreamEnded ??= this.settings.clock();
  }

  end(status: number, reason: string, action: string): void {
    const { metrics, logger, logPrompts, clock, modelLabel } = this.settings;
    const { exchange, request, started, upstreamStarted, upstreamEnded, span } = this;
    const endpoint = exchange.endpoint;
    const ended = clock();
    const seconds = (ended - started) / 1000;
    const upstreamSeconds =
      upstreamStarted === null ? null : ((upstreamEnded ?? ended) - upstreamStarted) / 1000;
    const streamed = exchange.request.stream === true;
    const timeToFirstTokenSeconds =
      streamed && this.firstChunk !== null ? (this.firstChunk - started) / 1000 : null;
    const inputTokens = exchange.response?.input_tokens ?? 0;
    const outputTokens = exchange.response?.output_tokens ?? 0;
    // Unauthenticated traffic names no model: its free text is no label.
    const model =
      exchange.account_id === 'unauthenticated' || exchange.model === ''
        ? 'none'
        : modelLabel(exchange.model);
    metrics.observeRequest({
      endpoint,
      status,
      action,
      reason,
      model,
      inputTokens,
      outputTokens,
      seconds,
      upstreamSeconds,
      timeToFirstTokenSeconds,
    });
    if (logger) {
      const line: Record<string, unknown> = {
        event: 'request',
        request_id: exchange.id,
        method: request.method,
        route: ROUTES[endpoint] ?? endpoint,
        status,
        account_id: exchange.account_id,
        action,
        reason,
        model: exchange.model,
        input_tokens: inputTokens,
        output_tokens: outputTokens,
        duration_ms: Math.round((ended - started) * 1000) / 1000,
        upstream_ms: upstreamSeconds === null ? null : Math.round(upstreamSeconds * 1e6) / 1000,
        gateway_ms: Math.round((seconds - (upstreamSeconds ?? 0)) * 1e6) / 1000,
        ip: exchange.ip,
      };
      if (timeToFirstTokenSeconds !== null)
        line.ttft_ms = Math.round(timeToFirstTokenSeconds * 1e6) / 1000;
      if (span) line.trace_id = span.spanContext().traceId;
      if (logPrompts) {
        line.prompt = promptOf(exchange.request);
        line.completion = exchange.response?.text ?? null;
      }
      if (status >= 500) logger.warn(line, 'request');
      else logger.info(line, 'request');
    }
    if (this.upstreamSpan) {
      const upstream: Span = this.upstreamSpan;
      upstream.setAttributes({
        [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: inputTokens,
        [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: outputTokens,
      });
      if (exchange.response?.stop_reason)
        upstream.setAttribute(ATTR_GEN_AI_RESPONSE_FINISH_REASONS, [exchange.response.stop_reason]);
      if (timeToFirstTokenSeconds !== null)
        upstream.setAttribute(ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, timeToFirstTokenSeconds);
      if (status >= 500) upstream.setStatus({ code: SpanStatusCode.ERROR });
      upstream.end(upstreamEnded ?? ended);
    }
    if (this.open)
      for (const child of this.open) {
        child.setStatus({ code: SpanStatusCode.ERROR });
        child.end(ended);
      }
    if (span) {
      span.setAttributes({
        [ATTR_HTTP_RESPONSE_STATUS_CODE]: status,
        [ATTR_GEN_AI_REQUEST_MODEL]: exchange.model,
        [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: inputTokens,
        [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: outputTokens,
        'distillguard.account_id': exchange.account_id,
        'distillguard.action': action,
        'distillguard.reason': reason,
        'distillguard.exchange_id': exchange.id,
      });
      if (status >= 500) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute(ATTR_ERROR_TYPE, reason);
      }
      span.end(ended);
    }
  }
}
