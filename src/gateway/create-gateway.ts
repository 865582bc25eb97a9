import { randomUUID } from 'node:crypto';
import type { Exchange } from '../log/exchange.js';
import type { ApiKeyHasher } from './api-key-hasher.js';
import {
  type AccountDirectory,
  createAccountDirectory,
} from './control-plane/account-directory.js';
import type { AppliedDecisionSink } from './control-plane/apply-decision-batch.js';
import { createAdminApi } from './control-plane/create-admin-api.js';
import { createDecisionStep, type StateErrorPolicy } from './create-decision-step.js';
import { createExchangeTracker } from './create-exchange-tracker.js';
import { createLocalLimiter } from './create-local-limiter.js';
import { createUpstreamForwarder } from './create-upstream-forwarder.js';
import type { BucketRule, EnforcementState } from './enforcement-state/enforcement-state.js';
import { createInMemoryEnforcementState } from './enforcement-state/in-memory-enforcement-state.js';
import type { ExchangeRecorder } from './exchange-store/exchange-recorder.js';
import { GatewayError } from './gateway-error.js';
import { createGatewayMetrics, type GatewayMetrics } from './gateway-metrics.js';
import { type GatewayReply, toWebResponse } from './gateway-reply.js';
import type { Gateway, GatewayContext, GatewayRequest } from './gateway-types.js';
import type { GatewayWatermark } from './gateway-watermark.js';
import {
  createForwardedIdentity,
  createIdentityResolver,
  createKeyDerivations,
  createKeyImportApi,
  DEFAULT_IDENTITY,
  type IdentitySettings,
} from './identity/index.js';
import { createLadder, DEFAULT_LADDER_POLICY, type LadderPolicy } from './ladder.js';
import { createMetricsEndpoint } from './observability/create-metrics-endpoint.js';
import {
  createRequestObserver,
  type GatewayObservability,
} from './observability/create-request-observer.js';
import { registerGatewayReadings } from './observability/register-gateway-readings.js';
import { rateLimitHeaders } from './rate-limit-headers.js';
import { readJsonBody } from './read-json-body.js';
import { createNullScorer, type RequestScorer } from './request-scorer.js';
import {
  type BatchRegistry,
  createBatchRegistry,
  createBatchRoutes,
} from './routes/batches/index.js';
import { createCallerAuthenticator } from './routes/create-caller-authenticator.js';
import { EXCHANGE_ROUTES, type ExchangeRoute, isBatchPath } from './routes/exchange-routes.js';
import { toGatewayError } from './to-gateway-error.js';
import type { UpstreamClient } from './upstream-client.js';

export type { Gateway, GatewayContext, GatewayRequest, HeaderReader } from './gateway-types.js';

export interface GatewayOptions {
  upstream: UpstreamClient;
  hasher: ApiKeyHasher;
  recorder: ExchangeRecorder;
  /** The fleet's exchange publisher: each record also goes to the stream, after its response. */
  publisher?: { record(exchange: Exchange): void; begin?(startedMs: number): void };
  directory?: AccountDirectory;
  state?: EnforcementState;
  scorer?: RequestScorer;
  policy?: LadderPolicy;
  /** Bearer token for `/admin/*` (and `/metrics`); the admin API is off when absent. */
  adminToken?: string;
  /** Proxies whose `x-forwarded-for` is trusted (addresses or CIDR ranges). */
  trustedProxies?: string[];
  bodyLimitBytes?: number;
  now?: () => number;
  createId?: () => string;
  metrics?: GatewayMetrics;
  /** Text watermark on served answers (the degrade step's, by default); absent: none. */
  watermark?: GatewayWatermark | null;
  /** Body bytes kept in the record of an unauthenticated or refused request (default 16 KiB). */
  storedBodyLimitBytes?: number;
  /** What to do when the engine or the enforcement state fails (default: open, cache kept). */
  onStateError?: StateErrorPolicy;
  /** Requests per client IP, before any account is known; `null`: unlimited. */
  perIpLimit?: BucketRule | null;
  /** Failed authentications (401) per client IP; past it, they are answered 429. */
  invalidKeyLimit?: BucketRule | null;
  /** A separate bearer token for `/metrics` (the admin token works too; neither is required). */
  metricsToken?: string;
  /** Who owns each file and batch id (default: in this process). */
  batchRegistry?: BatchRegistry;
  /** Key mode and the identity headers the upstream receives (default: minted keys). */
  identity?: IdentitySettings;
  /** Request and decision logs, traces, the `/metrics` scrape (docs/observability.md). */
  observability?: GatewayObservability;
  /**
   * Where `POST /admin/decisions/batch` puts applied campaigns, so a regrown account is matched
   * on its first request: the decision view the scorer reads (`createFleetScorer`).
   */
  appliedDecisions?: AppliedDecisionSink;
}

// Routing stays hand-written, measured (bench/gateway-routing/, median CPU per lookup on the
// gateway's route set and traffic mix): this Map plus a prefix test and two regexes 20 ns, Hono's
// RegExpRouter 25 ns, find-my-way 152 ns, against ~240 µs per request. No router is faster, and
// six exact paths and two regexes (routes/batches/) do not pay for a dependency.
const ROUTES = EXCHANGE_ROUTES;

// Safe defaults (gateway-config.ts documents them): generous per IP, since many honest customers
// share one address behind a NAT; tight for failed authentications, which only guessers repeat.
const DEFAULT_PER_IP_LIMIT: BucketRule = { capacity: 10_000, refillPerSecond: 1_000 };
const DEFAULT_INVALID_KEY_LIMIT: BucketRule = { capacity: 30, refillPerSecond: 1 };
// Upstream transport failures in a row before `/readyz` reports the upstream as failing.
const UPSTREAM_FAILURES_NOT_OK = 5;

/** The path of an absolute URL, when it needs no normalising (else `null`: use `new URL`). */
function plainPath(url: string): string | null {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return null;
  const query = url.indexOf('?', start);
  const path = query < 0 ? url.slice(start) : url.slice(start, query);
  return ROUTES.has(path) ? path : null;
}

/**
 * Builds the protective gateway: every request to an exchange route (`/v1/chat/completions`,
 * `/v1/responses`, `/v1/completions`, `/v1/embeddings`, `/v1/messages`,
 * `/v1/messages/count_tokens`) is authenticated, scored by the engine as a log-v1 exchange,
 * passed through the ladder (allow → throttle → degrade → challenge → suspend), forwarded to the
 * upstream through the undici pool, and recorded as exactly one exchange after its response.
 * Batch submissions are scored line by line (`routes/batches/`).
 *
 * The request path is a row of steps, each in its own module: route (here), record
 * (`createExchangeTracker`), parse (`readJsonBody`), authenticate (`createIdentityResolver`),
 * decide (`createDecisionStep`), forward (`createUpstreamForwarder`, `streamReply`).
 *
 * @example
 * const gateway = createGateway({ upstream, hasher, recorder });
 * const server = serveGateway(gateway, { port: 8080 });
 */
export function createGateway({
  upstream,
  hasher,
  recorder,
  publisher,
  directory = createAccountDirectory(),
  state = createInMemoryEnforcementState(),
  scorer = createNullScorer(),
  policy = DEFAULT_LADDER_POLICY,
  adminToken,
  trustedProxies = [],
  bodyLimitBytes = 4 * 1024 * 1024,
  now = Date.now,
  createId = () => `ex_${randomUUID()}`,
  metrics = createGatewayMetrics(),
  watermark = null,
  storedBodyLimitBytes = 16 * 1024,
  onStateError,
  perIpLimit = DEFAULT_PER_IP_LIMIT,
  invalidKeyLimit = DEFAULT_INVALID_KEY_LIMIT,
  metricsToken,
  batchRegistry = createBatchRegistry(),
  identity = DEFAULT_IDENTITY,
  observability = {},
  appliedDecisions,
}: GatewayOptions): Gateway {
  const observer = createRequestObserver({ metrics, observability });
  const ladder = createLadder({ state, policy, onDecision: observer.decision });
  const tracker = createExchangeTracker({
    recorder,
    publisher,
    observer,
    trustedProxies,
    now,
    createId,
    storedBodyLimitBytes,
  });
  const authenticate = createIdentityResolver({
    settings: identity,
    hasher,
    directory,
    trustedProxies,
  });
  const forwardedIdentity = createForwardedIdentity(identity.forwardHeaders);
  const decision = createDecisionStep({
    ladder,
    scorer,
    policy,
    now,
    state,
    ...(onStateError ? { onStateError } : {}),
    ...(observability.logger ? { warn: observability.logger.warn.bind(observability.logger) } : {}),
  });
  const perIp = perIpLimit ? createLocalLimiter(perIpLimit) : null;
  const invalidKeys = invalidKeyLimit ? createLocalLimiter(invalidKeyLimit) : null;
  let upstreamFailures = 0;
  const forward = createUpstreamForwarder({ upstream, ladder, watermark, now });
  const batchRoutes = createBatchRoutes({
    upstream,
    registry: batchRegistry,
    tracker,
    decision,
    scorer,
    policy,
    bodyLimitBytes,
    authenticate: createCallerAuthenticator({
      authenticate,
      forwardHeaders: identity.forwardHeaders,
      directory,
      trustedProxies,
      perIp,
      invalidKeys,
      now,
    }),
  });

  const gateway: Gateway = {
    fetch: async (request, context) => toWebResponse(await handle(request, context)),
    handle: async (request, context) => toWebResponse(await handle(request, context)),
    // The proxied routes go straight to `proxy`: no async wrapper resolving with its promise.
    reply: (request, context) => {
      const fast = plainPath(request.url);
      return fast === null
        ? handle(request, context)
        : proxy(request, context, ROUTES.get(fast) as ExchangeRoute, fast);
    },
    provisionAccount(account) {
      directory.putAccount(account);
      scorer.observeAccount(account);
    },
    createApiKey(accountId) {
      const apiKey = hasher.generate();
      const keyId = `key_${randomUUID().slice(0, 12)}`;
      directory.addKey({
        keyId,
        accountId,
        hash: hasher.hash(apiKey),
        createdAt: new Date(now()).toISOString(),
        revokedAt: null,
      });
      return { keyId, apiKey };
    },
    directory,
    state,
    recorder,
    metrics,
    get inFlight() {
      return tracker.inFlight;
    },
    get accepted() {
      return tracker.accepted;
    },
    get enforcementErrors() {
      return decision.enforcementErrors;
    },
    readiness() {
      const store = recorder.health();
      const stateHealth = state.health?.() ?? { ok: true };
      const upstreamOk = upstreamFailures < UPSTREAM_FAILURES_NOT_OK;
      return {
        // The upstream is reported, not gated on: every replica shares it, so taking this one
        // out of a load balancer would not help.
        ready: store.ok && stateHealth.ok,
        checks: {
          store: store.ok
            ? { ok: true, pending: store.pending }
            : { ok: false, pending: store.pending, error: store.lastError ?? 'queue nearly full' },
          state: stateHealth,
          upstream: upstreamOk
            ? { ok: true }
            : { ok: false, error: `${upstreamFailures} failures in a row` },
        },
      };
    },
  };
  const keyImport = createKeyImportApi({
    mode: identity.mode,
    derivations:
      identity.mode === 'imported' || identity.mode === 'passthrough'
        ? createKeyDerivations(hasher)
        : null,
    directory,
    state,
    now,
  });
  registerGatewayReadings(metrics, gateway, {
    ownsStore: observability.recorderOwnsStore ?? true,
  });
  const admin = adminToken
    ? createAdminApi({ gateway, adminToken, now, routes: [keyImport], appliedDecisions })
    : null;
  const metricsEndpoint = createMetricsEndpoint({
    scrape: observability.scrape ?? (() => metrics.render()),
    ...(metricsToken ? { metricsToken } : {}),
    ...(adminToken ? { adminToken } : {}),
    now,
  });

  async function handle(request: GatewayRequest, context: GatewayContext): Promise<GatewayReply> {
    // The proxied routes skip the URL parser; anything else is parsed and normalised as before.
    const fast = plainPath(request.url);
    if (fast !== null) return proxy(request, context, ROUTES.get(fast) as ExchangeRoute, fast);
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return new GatewayError(
        400,
        'invalid_request_target',
        'The request URL is malformed.',
      ).toParts('openai');
    }
    const path = url.pathname;
    const route = ROUTES.get(path);
    if (route !== undefined) return proxy(request, context, route, path);
    if (isBatchPath(path)) return batchRoutes(request, url, context);
    if (path === '/healthz') return Response.json({ status: 'ok' });
    if (path === '/readyz') {
      const readiness = gateway.readiness();
      return Response.json(readiness, { status: readiness.ready ? 200 : 503 });
    }
    if (path === '/metrics') return metricsEndpoint(request, context.remoteAddress);
    if (admin && path.startsWith('/admin/'))
      return admin(request, url, context.body, context.remoteAddress);
    if (path === '/v1/models') return models(request, context);
    return new GatewayError(
      404,
      'unknown_route',
      `Unknown request URL: ${request.method} ${path}.`,
    ).toResponse('openai');
  }

  async function proxy(
    request: GatewayRequest,
    context: GatewayContext,
    { endpoint, operation, dialect }: ExchangeRoute,
    path: string,
  ): Promise<GatewayReply> {
    const tracked = tracker.begin(request, context, endpoint);
    const { exchange, started, finish, observation } = tracked;
    if (operation) exchange.operation = operation;
    const requestIdHeader = dialect === 'openai' ? 'x-request-id' : 'request-id';
    let decided = false;
    try {
      if (request.method !== 'POST')
        throw new GatewayError(405, 'method_not_allowed', `Use POST for ${path}.`, {
          allow: 'POST',
        });
      if (perIp && !perIp.take(exchange.ip, started))
        throw new GatewayError(
          429,
          'rate_limit_ip',
          'Too many requests from this address. Retry after the time in Retry-After.',
          { 'retry-after': String(perIp.retryAfterSeconds(exchange.ip, started)) },
        );
      const { body, raw } = await readJsonBody(request, bodyLimitBytes, context.body);
      tracked.noteBody(raw);
      exchange.request = body;
      if (typeof body.model === 'string') exchange.model = body.model;
      let key: ReturnType<typeof authenticate>;
      const authenticated = observation.phase('auth');
      try {
        key = authenticate(request.headers, dialect, context.remoteAddress);
        authenticated();
      } catch (error) {
        authenticated(error);
        // Checked after the key, so a valid key is always served: customers behind the NAT of
        // someone sending bad keys are not locked out (keys are random 256-bit: the limit bounds
        // what anonymous traffic costs, not guessing).
        if (invalidKeys && !invalidKeys.take(exchange.ip, started))
          throw new GatewayError(
            429,
            'rate_limit_invalid_keys',
            'Too many requests with a missing or invalid API key. Retry after the time in Retry-After.',
            { 'retry-after': String(invalidKeys.retryAfterSeconds(exchange.ip, started)) },
          );
        throw error;
      }
      exchange.account_id = key.accountId;
      if (key.keyId !== null) exchange.api_key_id = key.keyId;
      const account = directory.getAccount(key.accountId);
      if (account?.org_id) exchange.org_id = account.org_id;

      const scored = observation.phase('score');
      const outcome = await decision.decide(exchange, started);
      scored();
      decided = true;
      tracked.action = outcome.action;
      exchange.enforcement = outcome.refusal
        ? {
            ...outcome.enforcement,
            reasons: [...outcome.enforcement.reasons, outcome.refusal.code],
          }
        : outcome.enforcement;
      // One headers object for the response, filled in order (no spread copies per request).
      const limitHeaders = rateLimitHeaders(dialect, outcome.rateLimits, started, {
        [requestIdHeader]: exchange.id,
      });
      limitHeaders['x-distillguard-action'] = outcome.action;
      if (outcome.refusal) {
        finish(outcome.refusal.status, null, outcome.refusal.code);
        return outcome.refusal.toParts(dialect, limitHeaders);
      }
      const reply = await forward({
        endpoint,
        operation,
        dialect,
        body,
        raw,
        outcome,
        exchange,
        clientHeaders: request.headers,
        headers: limitHeaders,
        context,
        finish,
        identity: forwardedIdentity(exchange, key),
        observation,
      });
      upstreamFailures = 0;
      return reply;
    } catch (error) {
      const refusal = toGatewayError(error);
      if (refusal.code === 'upstream_unavailable' || refusal.code === 'upstream_timeout')
        upstreamFailures += 1;
      if (!decided)
        exchange.enforcement = { action: 'none', reasons: [refusal.code], source: 'gateway' };
      finish(refusal.status, null, refusal.code);
      return refusal.toParts(dialect, { [requestIdHeader]: exchange.id });
    }
  }

  async function models(request: GatewayRequest, context: GatewayContext): Promise<Response> {
    try {
      const { upstreamCredentials } = authenticate(
        request.headers,
        'openai',
        context.remoteAddress,
      );
      const response = await upstream.send({
        method: 'GET',
        path: '/v1/models',
        headers: { accept: 'application/json', ...upstreamCredentials },
        body: null,
        ...(context.signal ? { signal: context.signal } : {}),
      });
      const text = await response.text();
      return new Response(text, {
        status: response.status,
        headers: { 'content-type': 'application/json' },
      });
    } catch (error) {
      return toGatewayError(error).toResponse('openai');
    }
  }

  return gateway;
}
