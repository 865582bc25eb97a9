import { z } from 'zod';

const logs = z
  .object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** One line per proxied request (decisions are logged whenever the level allows). */
    requests: z.boolean().default(true),
    /** Put prompt and answer text in request lines: off, since prompts are customers' data. */
    prompts: z.boolean().default(false),
    destination: z.enum(['stdout', 'stderr']).default('stdout'),
  })
  .strict();

const tracing = z
  .object({
    /** Default: on when an endpoint is set, here or in `OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT`. */
    enabled: z.boolean().optional(),
    /** OTLP/HTTP traces endpoint, e.g. `http://otel-collector:4318/v1/traces`. */
    endpoint: z.url().optional(),
    /** Variable holding the exporter's headers (`key=value,key2=value`: a collector token). */
    headers_env: z.string().optional(),
    /** Default: `OTEL_SERVICE_NAME`, else `distillguard-gateway`. */
    service_name: z.string().min(1).optional(),
    sample_ratio: z.number().min(0).max(1).default(1),
  })
  .strict();

/** The gateway config's `observability:` block. */
export const observabilityConfigSchema = z
  .object({
    logs: logs.default({ level: 'info', requests: true, prompts: false, destination: 'stdout' }),
    tracing: tracing.default({ sample_ratio: 1 }),
    /** Process and event-loop metrics on `/metrics` (prom-client's default metrics). */
    process_metrics: z.boolean().default(true),
  })
  .strict()
  .default({
    logs: { level: 'info', requests: true, prompts: false, destination: 'stdout' },
    tracing: { sample_ratio: 1 },
    process_metrics: true,
  });

export type ObservabilityConfig = z.infer<typeof observabilityConfigSchema>;
