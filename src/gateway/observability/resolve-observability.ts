import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createLogger, type DestinationStream, type Logger } from '../../shared/telemetry/index.js';
import { createGatewayTracing, type GatewayTracing } from './create-gateway-tracing.js';
import type { ObservabilityConfig } from './observability-config.js';

/** The config's `observability:` block made real: a logger, tracing or not, and the flags. */
export interface ResolvedObservability {
  logger: Logger;
  tracing: GatewayTracing | null;
  logRequests: boolean;
  logPrompts: boolean;
  processMetrics: boolean;
}

/** `key=value,key2=value` (the OTLP headers format) as an object. */
function parseHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at > 0) headers[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return headers;
}

/**
 * Resolves observability once, at start: each setting from the config, then the standard
 * OpenTelemetry variables (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `OTEL_EXPORTER_OTLP_ENDPOINT`
 * + `/v1/traces`, `OTEL_SERVICE_NAME`, `OTEL_SDK_DISABLED`), then the defaults. Tracing is off
 * unless an endpoint (or, in tests, an exporter) is given.
 */
export function resolveObservability(
  config: ObservabilityConfig,
  {
    env = process.env,
    service = 'distillguard-gateway',
    logDestination,
    spanExporter,
  }: {
    env?: NodeJS.ProcessEnv;
    service?: string;
    /** Where log lines go instead of the configured stream (tests read them back). */
    logDestination?: DestinationStream;
    /** A span exporter instead of OTLP (tests: `InMemorySpanExporter`); turns tracing on. */
    spanExporter?: SpanExporter;
  } = {},
): ResolvedObservability {
  const logger = createLogger({
    name: service,
    level: config.logs.level,
    logPrompts: config.logs.prompts,
    ...(logDestination
      ? { destination: logDestination }
      : config.logs.destination === 'stderr'
        ? { destination: process.stderr }
        : {}),
  });
  const envEndpoint =
    env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (env.OTEL_EXPORTER_OTLP_ENDPOINT
      ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`
      : undefined);
  const endpoint = config.tracing.endpoint ?? envEndpoint;
  const enabled =
    config.tracing.enabled ??
    (env.OTEL_SDK_DISABLED !== 'true' && (endpoint !== undefined || spanExporter !== undefined));
  const tracing = enabled
    ? createGatewayTracing({
        ...(spanExporter ? { exporter: spanExporter } : {}),
        ...(endpoint ? { endpoint } : {}),
        headers: parseHeaders(
          config.tracing.headers_env ? env[config.tracing.headers_env] : undefined,
        ),
        serviceName: config.tracing.service_name ?? env.OTEL_SERVICE_NAME ?? service,
        sampleRatio: config.tracing.sample_ratio,
      })
    : null;
  return {
    logger,
    tracing,
    logRequests: config.logs.requests,
    logPrompts: config.logs.prompts,
    processMetrics: config.process_metrics,
  };
}
