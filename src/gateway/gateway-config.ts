import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DistillguardError } from '../shared/distillguard-error.js';
import { storeGovernanceShape } from './exchange-store/governance/governance-config.js';
import { identityConfigSchema } from './identity/identity-config.js';
import { observabilityConfigSchema } from './observability/observability-config.js';
import { upstreamsConfigSchema } from './upstreams/upstreams-config.js';

const bucket = z
  .object({ capacity: z.number().positive(), refill_per_second: z.number().nonnegative() })
  .strict();
const tier = z.object({ requests: bucket, output_tokens: bucket }).strict();

/** The `gateway --config` file (JSON or YAML). Secrets are named by environment variable, never inlined. */
export const gatewayConfigSchema = z
  .object({
    listen: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8080 }),
    upstream: z
      .union([
        z
          .object({
            url: z.url(),
            api_key_env: z.string().optional(),
            connections: z.number().int().positive().default(128),
            headers_timeout_ms: z.number().int().positive().default(60_000),
            body_timeout_ms: z.number().int().positive().default(60_000),
          })
          .strict(),
        z
          .object({
            demo: z.literal(true),
            port: z.number().int().min(0).default(0),
            token_delay_ms: z.number().min(0).default(0),
            max_tokens_cap: z.number().int().positive().default(2048),
          })
          .strict(),
      ])
      .default({ demo: true, port: 0, token_delay_ms: 0, max_tokens_cap: 2048 }),
    /**
     * Several upstreams chosen by model with ordered fallback (instead of `upstream`; setting
     * both is an error). See docs/gateway.md, "Upstreams".
     */
    upstreams: upstreamsConfigSchema.optional(),
    /** Environment variable holding the secret that API keys are hashed with. */
    secret_env: z.string().default('DISTILLGUARD_SECRET'),
    admin_token_env: z.string().default('DISTILLGUARD_ADMIN_TOKEN'),
    /** A token for `/metrics` only, so a scraper need not hold the admin token. */
    metrics_token_env: z.string().default('DISTILLGUARD_METRICS_TOKEN'),
    state: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('memory') }).strict(),
        z
          .object({
            kind: z.literal('redis'),
            url: z.string().default('redis://127.0.0.1:6379'),
            prefix: z.string().default('distillguard:'),
            /** A command not answered in time fails and `on_state_error` applies. */
            command_timeout_ms: z.number().int().positive().default(250),
            /** Reconnection backoff doubles from 50 ms up to this. */
            reconnect_max_delay_ms: z.number().int().positive().default(2_000),
          })
          .strict(),
      ])
      .default({ kind: 'memory' }),
    /**
     * When the engine or the enforcement state fails: `open` serves at the allow rung, `closed`
     * refuses with 503. `keep_from_cache`: rungs a decision this replica last read still applies
     * while the state is away, in either mode (a suspended account stays refused).
     */
    on_state_error: z
      .object({
        mode: z.enum(['open', 'closed']).default('open'),
        keep_from_cache: z
          .array(z.enum(['suspend', 'challenge']))
          .default(['suspend', 'challenge']),
      })
      .strict()
      .default({ mode: 'open', keep_from_cache: ['suspend', 'challenge'] }),
    /** The Node server's limits. */
    server: z
      .object({
        headers_timeout_ms: z.number().int().positive().default(20_000),
        request_timeout_ms: z.number().int().positive().default(120_000),
        keep_alive_timeout_ms: z.number().int().positive().default(65_000),
        max_connections: z.number().int().positive().default(10_000),
        max_header_bytes: z
          .number()
          .int()
          .positive()
          .default(32 * 1024),
        /** How long a drain waits for in-flight responses; default: the upstream timeouts + 5 s. */
        drain_grace_ms: z.number().int().positive().optional(),
      })
      .strict()
      .default({
        headers_timeout_ms: 20_000,
        request_timeout_ms: 120_000,
        keep_alive_timeout_ms: 65_000,
        max_connections: 10_000,
        max_header_bytes: 32 * 1024,
      }),
    /** Limits on traffic before an account is known, and on what is kept of it. */
    limits: z
      .object({
        per_ip: bucket.nullable().default({ capacity: 10_000, refill_per_second: 1_000 }),
        invalid_keys: bucket.nullable().default({ capacity: 30, refill_per_second: 1 }),
        stored_body_bytes: z
          .number()
          .int()
          .nonnegative()
          .default(16 * 1024),
        max_pending_records: z.number().int().positive().default(100_000),
        max_pending_bytes: z
          .number()
          .int()
          .positive()
          .default(256 * 1024 * 1024),
      })
      .strict()
      .default({
        per_ip: { capacity: 10_000, refill_per_second: 1_000 },
        invalid_keys: { capacity: 30, refill_per_second: 1 },
        stored_body_bytes: 16 * 1024,
        max_pending_records: 100_000,
        max_pending_bytes: 256 * 1024 * 1024,
      }),
    store: z
      .discriminatedUnion('kind', [
        // Data governance (retention, body sampling, redaction): docs/gateway.md.
        z.object({ kind: z.literal('duckdb'), path: z.string(), ...storeGovernanceShape }).strict(),
        z.object({ kind: z.literal('jsonl'), path: z.string(), ...storeGovernanceShape }).strict(),
        z.object({ kind: z.literal('memory') }).strict(),
      ])
      .default({ kind: 'duckdb', path: 'gateway.duckdb' }),
    /**
     * Accounts and hashed API keys. Default: a DuckDB file `control-plane.duckdb` beside the
     * exchange store (memory when the store is). Postgres shares them between replicas.
     */
    control_plane: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('memory') }).strict(),
        z.object({ kind: z.literal('duckdb'), path: z.string().optional() }).strict(),
        z
          .object({
            kind: z.literal('postgres'),
            url: z
              .string()
              .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL'),
            schema: z
              .string()
              .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a lower-case SQL identifier')
              .default('distillguard'),
            poll_interval_ms: z.number().int().positive().default(1_000),
          })
          .strict(),
      ])
      .optional(),
    engine: z.enum(['detector', 'none']).default('detector'),
    trusted_proxies: z.array(z.string()).default([]),
    /** Key mode and forwarded identity headers (docs/gateway.md, "Key modes"). */
    identity: identityConfigSchema.prefault({}),
    body_limit_bytes: z
      .number()
      .int()
      .positive()
      .default(4 * 1024 * 1024),
    policy: z
      .object({
        thresholds: z
          .object({
            throttle: z.number(),
            degrade: z.number(),
            challenge: z.number(),
            suspend: z.number(),
          })
          .strict()
          .optional(),
        limits: z
          .object({ allow: tier.optional(), throttle: tier.optional(), degrade: tier.optional() })
          .strict()
          .optional(),
        campaign_requests: bucket.optional(),
        degrade: z
          .object({
            max_output_tokens: z.number().int().positive(),
            reasoning: z.enum(['withhold', 'summarise']),
          })
          .strict()
          .optional(),
        step_up_url: z.url().optional(),
        challenge_attempts: z.number().int().positive().optional(),
        escalate_after: z
          .object({ account: z.number().int().positive(), campaign: z.number().int().positive() })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
    /**
     * Text watermark on served answers. `mode` defaults to `degrade` when a master key is
     * configured (the file, or the variable is set) and to `off` otherwise. The key itself is
     * never in the config: only where to read it.
     */
    watermark: z
      .object({
        mode: z.enum(['off', 'degrade', 'always']).optional(),
        master_key_env: z.string().default('DISTILLGUARD_WATERMARK_KEY'),
        master_key_file: z.string().optional(),
        rotation_days: z.number().int().positive().default(30),
      })
      .strict()
      .default({ master_key_env: 'DISTILLGUARD_WATERMARK_KEY', rotation_days: 30 }),
    /**
     * A fleet of gateways (docs/fleet.md): each exchange record is published to the NATS
     * JetStream stream after its response, and the detector's decisions are watched from the KV
     * bucket. The local engine is then off unless `local_engine` (the fleet's engine sees all).
     */
    fleet: z
      .object({
        nats: z.string().min(1),
        stream: z.string().default('DISTILLGUARD_EXCHANGES'),
        subject: z.string().default('distillguard.exchanges'),
        bucket: z.string().default('distillguard-decisions'),
        /** Environment variable holding the key campaign indicators are hashed with. */
        indicator_key_env: z.string().optional(),
        local_engine: z.boolean().default(false),
      })
      .strict()
      .optional(),
    /** Logs, traces and process metrics (docs/observability.md). */
    observability: observabilityConfigSchema,
    /** Account records (log-v1 shape) to provision at start; keys are created with the admin API. */
    accounts_file: z.string().optional(),
  })
  .strict();

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

/** Validates a parsed config object; errors name the path and say how to fix it. */
export function parseGatewayConfig(value: unknown, source = 'config'): GatewayConfig {
  if (
    value !== null &&
    typeof value === 'object' &&
    'upstream' in value &&
    'upstreams' in value &&
    value.upstream !== undefined &&
    value.upstreams !== undefined
  )
    throw new DistillguardError(
      'gateway_config_invalid',
      `${source}: upstreams: set either upstream (one) or upstreams (a list), not both.`,
      { path: 'upstreams' },
    );
  const result = gatewayConfigSchema.safeParse(value ?? {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.join('.') || '(root)';
    throw new DistillguardError(
      'gateway_config_invalid',
      `${source}: ${path}: ${issue?.message ?? 'invalid'}`,
      { path },
    );
  }
  return result.data;
}

/** Reads a JSON (`.json`) or YAML (anything else) gateway config file. */
export async function loadGatewayConfig(path: string): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new DistillguardError(
      'gateway_config_missing',
      `cannot read ${path}: check the --config path.`,
      { path },
    );
  }
  let value: unknown;
  try {
    value = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new DistillguardError(
      'gateway_config_invalid',
      `${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${String(error)}`,
      { path },
    );
  }
  return parseGatewayConfig(value, path);
}
