import { randomBytes } from 'node:crypto';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createFleetDecisionView, type FleetDecisionView } from '../../fleet/index.js';
import { readAccounts } from '../../log/index.js';
import { DistillguardError } from '../../shared/distillguard-error.js';
import type { DestinationStream, Logger } from '../../shared/telemetry/index.js';
import type { WatermarkKey } from '../../watermark/index.js';
import { createApiKeyHasher } from '../api-key-hasher.js';
import {
  type AccountDirectory,
  createAccountDirectory,
} from '../control-plane/account-directory.js';
import { MIN_ADMIN_TOKEN_LENGTH } from '../control-plane/create-admin-api.js';
import {
  type ControlPlaneDirectory,
  createControlPlaneDirectory,
} from '../control-plane/create-control-plane-directory.js';
import { openControlPlaneStore, resolveControlPlane } from '../control-plane/open-control-plane.js';
import { createAppliedCampaignScorer } from '../create-applied-campaign-scorer.js';
import { createDetectorScorer } from '../create-detector-scorer.js';
import { createGateway, type Gateway } from '../create-gateway.js';
import { createDemoUpstream } from '../demo/create-demo-upstream.js';
import type { EnforcementState } from '../enforcement-state/enforcement-state.js';
import { createInMemoryEnforcementState } from '../enforcement-state/in-memory-enforcement-state.js';
import { createRedisEnforcementState } from '../enforcement-state/redis-enforcement-state.js';
import { createBatchingRecorder, type ExchangeSink } from '../exchange-store/exchange-recorder.js';
import { openExchangeStore } from '../exchange-store/open-exchange-store.js';
import { createFleetScorer, fleetCounters, fleetGauges, openGatewayFleet } from '../fleet/index.js';
import type { GatewayConfig } from '../gateway-config.js';
import { createGatewayMetrics } from '../gateway-metrics.js';
import { resolveGatewayWatermark } from '../gateway-watermark.js';
import { checkIdentityConfig, identityFromConfig } from '../identity/index.js';
import { DEFAULT_LADDER_POLICY, type LadderPolicy, type TierLimits } from '../ladder.js';
import { resolveObservability } from '../observability/resolve-observability.js';
import { createNullScorer, type RequestScorer } from '../request-scorer.js';
import { createUndiciUpstream, type UpstreamClient } from '../upstream-client.js';
import { openUpstreams, upstreamsWaitBudgetMs } from '../upstreams/open-upstreams.js';
import { type ServedHandler, serveFetchHandler } from './serve-gateway.js';

export interface GatewayServer {
  gateway: Gateway;
  url: string;
  /** Set when the config asks for the demo upstream. */
  demoUpstreamUrl: string | null;
  adminToken: string;
  /** The structured logger (`observability.logs`), for the face that started the server. */
  logger: Logger;
  /** Drains: stops accepting, finishes in-flight responses, writes every queued record, closes. */
  close(): Promise<void>;
}

type Bucket = { capacity: number; refill_per_second: number };
const toBucket = (value: Bucket) => ({
  capacity: value.capacity,
  refillPerSecond: value.refill_per_second,
});
const toTier = (
  value: { requests: Bucket; output_tokens: Bucket } | undefined,
  fallback: TierLimits,
): TierLimits =>
  value
    ? { requests: toBucket(value.requests), outputTokens: toBucket(value.output_tokens) }
    : fallback;

/** The ladder policy from the config's snake-case overrides on top of the defaults. */
export function policyFromConfig(policy: GatewayConfig['policy']): LadderPolicy {
  const base = DEFAULT_LADDER_POLICY;
  return {
    thresholds: policy.thresholds ?? base.thresholds,
    limits: {
      allow: toTier(policy.limits?.allow, base.limits.allow),
      throttle: toTier(policy.limits?.throttle, base.limits.throttle),
      degrade: toTier(policy.limits?.degrade, base.limits.degrade),
    },
    campaignRequests: policy.campaign_requests
      ? toBucket(policy.campaign_requests)
      : base.campaignRequests,
    degrade: policy.degrade
      ? { maxOutputTokens: policy.degrade.max_output_tokens, reasoning: policy.degrade.reasoning }
      : base.degrade,
    stepUpUrl: policy.step_up_url ?? base.stepUpUrl,
    challengeAttempts: policy.challenge_attempts ?? base.challengeAttempts,
    escalateAfter: policy.escalate_after ?? base.escalateAfter,
  };
}

/**
 * Starts a gateway from a validated config: the upstream pool (or the demo upstream), the
 * enforcement state, the exchange store, the engine, and the Node server. Secrets come from the
 * environment variables the config names; without them, random ones are made for this run.
 */
export async function startGatewayServer(
  config: GatewayConfig,
  {
    env = process.env,
    scorer,
    now,
    warn: givenWarn,
    sink: givenSink,
    directory,
    watermarkMasterKey,
    decisions,
    logDestination,
    spanExporter,
    scrapeMetrics,
  }: {
    env?: NodeJS.ProcessEnv;
    scorer?: RequestScorer;
    /** The gateway's clock (a replay drives it with simulated time). */
    now?: () => number;
    warn?: (message: string) => void;
    /** Where records go instead of `config.store` (a cluster worker sends them to the primary). */
    sink?: ExchangeSink;
    /** The account directory (a cluster worker passes a replicated one). */
    directory?: AccountDirectory;
    /** A watermark master key held in memory (`gateway --demo`) instead of the configured one. */
    watermarkMasterKey?: WatermarkKey;
    /** Decisions kept current by someone else (a `--workers` primary's one engine). */
    decisions?: FleetDecisionView;
    /** Where log lines go instead of `observability.logs.destination` (tests read them). */
    logDestination?: DestinationStream;
    /** Spans go here instead of OTLP (tests: the SDK's `InMemorySpanExporter`); tracing on. */
    spanExporter?: SpanExporter;
    /** What `/metrics` answers instead of this process's registry (a cluster worker's). */
    scrapeMetrics?: () => Promise<string>;
  } = {},
): Promise<GatewayServer> {
  const observability = resolveObservability(config.observability, {
    env,
    ...(logDestination ? { logDestination } : {}),
    ...(spanExporter ? { spanExporter } : {}),
  });
  const { logger, tracing } = observability;
  const warn = givenWarn ?? ((message: string) => logger.warn(message));
  let secret = env[config.secret_env];
  if (!secret) {
    warn(
      `${config.secret_env} is not set: API keys are hashed with a random secret for this run only.`,
    );
    secret = randomBytes(32).toString('hex');
  }
  if (secret.length < 16)
    throw new DistillguardError(
      'gateway_secret_weak',
      `${config.secret_env} is ${secret.length} characters; use at least 16 (openssl rand -hex 32).`,
    );
  // Before anything is opened: a start refused here leaves no connection or server behind.
  const hasher = createApiKeyHasher({ secret });
  let adminToken = env[config.admin_token_env];
  if (adminToken && adminToken.length < MIN_ADMIN_TOKEN_LENGTH)
    throw new DistillguardError(
      'gateway_admin_token_weak',
      `${config.admin_token_env} is ${adminToken.length} characters; use at least ${MIN_ADMIN_TOKEN_LENGTH} (openssl rand -hex 24).`,
    );
  const metricsToken = env[config.metrics_token_env];
  if (metricsToken !== undefined && metricsToken.length < MIN_ADMIN_TOKEN_LENGTH)
    throw new DistillguardError(
      'gateway_metrics_token_weak',
      `${config.metrics_token_env} is ${metricsToken.length} characters; use at least ${MIN_ADMIN_TOKEN_LENGTH}.`,
    );
  if (!adminToken) {
    adminToken = randomBytes(24).toString('base64url');
    warn(
      `${config.admin_token_env} is not set: the admin API token for this run was generated (printed once by the CLI).`,
    );
  }

  if (config.limits.per_ip && config.trusted_proxies.length === 0)
    warn(
      'gateway: limits.per_ip counts socket peers and trusted_proxies is empty: behind a load balancer, list it in trusted_proxies or set limits.per_ip: null.',
    );
  const identity = identityFromConfig(config.identity);
  checkIdentityConfig({
    identity,
    upstreamKeyEnv: 'demo' in config.upstream ? undefined : config.upstream.api_key_env,
    trustedProxies: config.trusted_proxies,
  });
  const watermark = resolveGatewayWatermark(config.watermark, {
    env,
    ...(watermarkMasterKey ? { master: watermarkMasterKey } : {}),
  });

  let demo: ServedHandler | null = null;
  let upstream: UpstreamClient;
  if (config.upstreams) {
    let lastFallbackReport = Number.NEGATIVE_INFINITY;
    upstream = openUpstreams(config.upstreams, {
      env,
      // At most one line per 10 s: a failing upstream fails every request routed to it.
      onFallback({ from, to, reason }) {
        if (Date.now() - lastFallbackReport < 10_000) return;
        lastFallbackReport = Date.now();
        warn(`gateway: upstream ${from} failed (${reason}); falling back to ${to}`);
      },
    });
  } else {
    let upstreamUrl: string;
    let upstreamKey: string | undefined;
    let timeouts: { connections?: number; headersTimeoutMs?: number; bodyTimeoutMs?: number } = {};
    if ('demo' in config.upstream) {
      demo = await serveFetchHandler(
        createDemoUpstream({
          tokenDelayMs: config.upstream.token_delay_ms,
          maxTokensCap: config.upstream.max_tokens_cap,
        }),
        {
          port: config.upstream.port,
        },
      );
      upstreamUrl = demo.url;
    } else {
      upstreamUrl = config.upstream.url;
      upstreamKey = config.upstream.api_key_env ? env[config.upstream.api_key_env] : undefined;
      if (config.upstream.api_key_env && !upstreamKey) {
        throw new DistillguardError(
          'gateway_upstream_key_missing',
          `set ${config.upstream.api_key_env} to the upstream API key (named by upstream.api_key_env).`,
        );
      }
      timeouts = {
        connections: config.upstream.connections,
        headersTimeoutMs: config.upstream.headers_timeout_ms,
        bodyTimeoutMs: config.upstream.body_timeout_ms,
      };
    }
    upstream = createUndiciUpstream({
      baseUrl: upstreamUrl,
      ...(upstreamKey ? { apiKey: upstreamKey } : {}),
      ...timeouts,
    });
  }

  let state: EnforcementState;
  if (config.state.kind === 'redis') {
    try {
      state = await createRedisEnforcementState({
        url: config.state.url,
        prefix: config.state.prefix,
        commandTimeoutMs: config.state.command_timeout_ms,
        reconnectMaxDelayMs: config.state.reconnect_max_delay_ms,
      });
    } catch (error) {
      throw new DistillguardError(
        'gateway_state_unavailable',
        String(error instanceof Error ? error.message : error),
      );
    }
  } else state = createInMemoryEnforcementState();

  let sink: ExchangeSink;
  if (givenSink) sink = givenSink;
  else sink = await openExchangeStore(config.store);
  const recorder = createBatchingRecorder({
    sink,
    maxPendingRecords: config.limits.max_pending_records,
    maxPendingBytes: config.limits.max_pending_bytes,
  });

  // In a fleet (or a `--workers` cluster) the one engine decides; a local one only when asked.
  const fleet = config.fleet ? await openGatewayFleet(config.fleet, { env }) : null;
  const view = fleet?.view ?? decisions;
  const localEngine = (!view || config.fleet?.local_engine) && config.engine === 'detector';
  const local = scorer ?? (localEngine ? createDetectorScorer() : createNullScorer());
  // Campaigns pushed by `distillguard apply` get a view of their own (a batch verdict must never
  // read as the live detector's), hashed with the fleet's key so `apply --indicator-key-env` matches.
  const indicatorKeyEnv = config.fleet?.indicator_key_env;
  const indicatorKey = indicatorKeyEnv ? env[indicatorKeyEnv] : undefined;
  const appliedDecisions = createFleetDecisionView(indicatorKey ? { indicatorKey } : {});
  const engine = createAppliedCampaignScorer(
    appliedDecisions,
    view ? createFleetScorer(view, local, fleet?.publisher) : local,
  );
  // Accounts and keys: served from memory, stored in (and followed from) the control plane.
  const controlPlane = resolveControlPlane(config);
  let shared: ControlPlaneDirectory | null = null;
  let closeStore = async () => {};
  if (controlPlane.kind !== 'memory') {
    let lastReport = Number.NEGATIVE_INFINITY;
    const report = (error: unknown) => {
      if (Date.now() - lastReport < 10_000) return;
      lastReport = Date.now();
      warn(`gateway: control plane: ${error instanceof Error ? error.message : String(error)}`);
    };
    const store = await openControlPlaneStore(controlPlane, { onError: report });
    closeStore = () => store.close();
    shared = await createControlPlaneDirectory({
      store,
      inner: directory ?? createAccountDirectory(),
      ...(controlPlane.kind === 'postgres' ? { pollIntervalMs: controlPlane.pollIntervalMs } : {}),
      onRemoteChange: (change) => {
        if (change.kind === 'account') engine.observeAccount(change.account);
      },
      onError: report,
    });
    for (const account of shared.listAccounts()) engine.observeAccount(account);
  }

  const metrics = createGatewayMetrics({ processMetrics: observability.processMetrics });
  const gateway = createGateway({
    metrics,
    observability: {
      logger,
      tracing,
      logRequests: observability.logRequests,
      logPrompts: observability.logPrompts,
      ...(scrapeMetrics ? { scrape: scrapeMetrics } : {}),
      // A cluster worker's recorder hands records to the primary, which counts the writes.
      recorderOwnsStore: givenSink === undefined,
    },
    upstream,
    hasher,
    recorder,
    ...(fleet ? { publisher: fleet.publisher } : {}),
    state,
    scorer: engine,
    appliedDecisions,
    policy: policyFromConfig(config.policy),
    adminToken,
    trustedProxies: config.trusted_proxies,
    identity,
    bodyLimitBytes: config.body_limit_bytes,
    watermark,
    storedBodyLimitBytes: config.limits.stored_body_bytes,
    onStateError: {
      mode: config.on_state_error.mode,
      keepFromCache: config.on_state_error.keep_from_cache,
    },
    perIpLimit: config.limits.per_ip && toBucket(config.limits.per_ip),
    invalidKeyLimit: config.limits.invalid_keys && toBucket(config.limits.invalid_keys),
    ...(metricsToken ? { metricsToken } : {}),
    ...(now ? { now } : {}),
    ...(shared ? { directory: shared } : directory ? { directory } : {}),
  });
  if (view) metrics.addGauges(() => fleetGauges(fleet?.publisher ?? null, view));
  if (fleet) metrics.addCounters(() => fleetCounters(fleet.publisher));
  if (config.accounts_file) {
    for await (const account of readAccounts(config.accounts_file))
      gateway.provisionAccount(account);
  }
  const served = await serveFetchHandler(gateway, {
    port: config.listen.port,
    host: config.listen.host,
    bodyLimitBytes: config.body_limit_bytes,
    limits: {
      headersTimeoutMs: config.server.headers_timeout_ms,
      requestTimeoutMs: config.server.request_timeout_ms,
      keepAliveTimeoutMs: config.server.keep_alive_timeout_ms,
      maxConnections: config.server.max_connections,
      maxHeaderBytes: config.server.max_header_bytes,
    },
  });
  // A drain waits at least as long as an upstream may take, so no accepted response is cut.
  const drainGraceMs =
    config.server.drain_grace_ms ??
    (config.upstreams
      ? upstreamsWaitBudgetMs(config.upstreams) + 5_000
      : 'demo' in config.upstream
        ? 30_000
        : Math.max(config.upstream.headers_timeout_ms, config.upstream.body_timeout_ms) + 5_000);
  let closing: Promise<void> | null = null;
  return {
    gateway,
    url: served.url,
    demoUpstreamUrl: demo?.url ?? null,
    adminToken,
    logger,
    close() {
      closing ??= (async () => {
        await served.close(drainGraceMs);
        // Responses cut at the grace end as aborted requests: wait for their records.
        for (let waited = 0; gateway.inFlight > 0 && waited < 5_000; waited += 10)
          await new Promise((resolve) => setTimeout(resolve, 10));
        await shared?.close();
        await closeStore();
        await recorder.close();
        await fleet?.close();
        await upstream.close();
        await state.close();
        await demo?.close(1_000);
        await tracing?.shutdown().catch(() => {});
        logger.flush();
      })();
      return closing;
    },
  };
}
