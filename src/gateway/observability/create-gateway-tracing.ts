import type { TextMapPropagator, Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  type SpanExporter,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** The gateway's tracer and W3C propagator, held by the request path (no global provider). */
export interface GatewayTracing {
  readonly tracer: Tracer;
  readonly propagator: TextMapPropagator;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

export interface GatewayTracingOptions {
  /** OTLP/HTTP traces endpoint (`http://collector:4318/v1/traces`). */
  endpoint?: string;
  /** Extra export headers (an auth token for the collector). */
  headers?: Record<string, string>;
  /** Any exporter instead (tests: the SDK's `InMemorySpanExporter`); spans go out one by one. */
  exporter?: SpanExporter;
  serviceName?: string;
  /** Share of new traces kept (a client's sampled `traceparent` is always followed). */
  sampleRatio?: number;
}

/**
 * Builds the tracing the gateway uses when it is configured: a `BasicTracerProvider` with a
 * parent-based ratio sampler, batching to OTLP/HTTP (or one by one to a given exporter), and
 * W3C trace context propagation. Not registered globally: the gateway passes it along.
 *
 * @example
 * const tracing = createGatewayTracing({ endpoint: 'http://127.0.0.1:4318/v1/traces' });
 * const gateway = createGateway({ upstream, hasher, recorder, observability: { tracing } });
 */
export function createGatewayTracing({
  endpoint,
  headers,
  exporter,
  serviceName = 'distillguard-gateway',
  sampleRatio = 1,
}: GatewayTracingOptions): GatewayTracing {
  const processor = exporter
    ? new SimpleSpanProcessor(exporter)
    : new BatchSpanProcessor(
        new OTLPTraceExporter({ ...(endpoint ? { url: endpoint } : {}), headers: headers ?? {} }),
      );
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(sampleRatio) }),
    spanProcessors: [processor],
  });
  return {
    tracer: provider.getTracer('distillguard-gateway'),
    propagator: new W3CTraceContextPropagator(),
    shutdown: () => provider.shutdown(),
  };
}
