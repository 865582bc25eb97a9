import { hash as digest, randomUUID } from 'node:crypto';
import type {
  AccountRecord,
  Exchange,
  ExchangeRequest,
  ExchangeResponse,
} from '../log/exchange.js';
import type { ApiKeyHasher } from './api-key-hasher.js';
import type { BufferedResponse } from './buffered-response.js';
import {
  type AccountDirectory,
  createAccountDirectory,
} from './control-plane/account-directory.js';
import { createAdminApi } from './control-plane/create-admin-api.js';
import { createStreamShaper } from './create-stream-shaper.js';
import type { EnforcementState } from './enforcement-state/enforcement-state.js';
import { createInMemoryEnforcementState } from './enforcement-state/in-memory-enforcement-state.js';
import type { ExchangeRecorder } from './exchange-store/exchange-recorder.js';
import { type Dialect, GatewayError, renderErrorBody } from './gateway-error.js';
import { createGatewayMetrics, type GatewayMetrics } from './gateway-metrics.js';
import { type GatewayReply, type StreamedResponse, toWebResponse } from './gateway-reply.js';
import type { GatewayWatermark, ResponseWatermark } from './gateway-watermark.js';
import {
  createLadder,
  DEFAULT_LADDER_POLICY,
  type LadderOutcome,
  type LadderPolicy,
} from './ladder.js';
import { rateLimitHeaders } from './rate-limit-headers.js';
import { createNullScorer, type RequestScorer } from './request-scorer.js';
import { createClientIpResolver, createProxyTrust } from './resolve-client-ip.js';
import { type ProxiedEndpoint, shapeCompletion } from './shape-completion.js';
import type { UpstreamClient, UpstreamResponse } from './upstream-client.js';

/** Reads request headers by lower-case name, like `Headers#get`. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * The parts of a request the gateway reads. A Web `Request` is one; the Node adapter passes a
 * lighter object over `IncomingMessage` (building a `Request` and its `Headers` costs tens of µs).
 */
export interface GatewayRequest {
  readonly method: string;
  /** The absolute URL. */
  readonly url: string;
  readonly headers: HeaderReader;
  /** The body stream, read when the adapter did not pass the body in `context.body`. */
  readonly body?: AsyncIterable<Uint8Array> | null;
}

/** Facts only the runtime knows, passed in by the adapter (Node, tests, another server). */
export interface GatewayContext {
  /** The socket peer's address. */
  remoteAddress: string;
  /** Request header names in the order the client sent them (a client fingerprint). */
  headerOrder?: string;
  /** Aborted when the client goes away. */
  signal?: AbortSignal;
  /**
   * A cheaper alternative to `signal` for adapters with a native close event (no
   * `AbortController` per request): registers a listener to call if the client goes away before
   * the response is finished, and returns a function that removes it.
   */
  onClientGone?: (listener: () => void) => () => void;
  /** The request body, already read by the adapter (skips the Web body stream). */
  body?: Buffer;
}

export interface GatewayOptions {
  upstream: UpstreamClient;
  hasher: ApiKeyHasher;
  recorder: ExchangeRecorder;
  directory?: AccountDirectory;
  state?: EnforcementState;
  scorer?: RequestScorer;
  policy?: LadderPolicy;
  /** Bearer token for `/admin/*` and `/metrics`; the admin API is off when absent. */
  adminToken?: string;
  /** Proxies whose `x-forwarded-for` is trusted (addresses or CIDR ranges). */
  trustedProxies?: string[];
  bodyLimitBytes?: number;
  now?: () => number;
  createId?: () => string;
  metrics?: GatewayMetrics;
  /** Text watermark on served answers (the degrade step's, by default); absent: none. */
  watermark?: GatewayWatermark | null;
}

/** The gateway: a Web-standard `fetch` handler plus the services the admin API and CLI use. */
export interface Gateway {
  fetch(request: Request, context: GatewayContext): Promise<Response>;
  /** The same handler for any request shape. */
  handle(request: GatewayRequest, context: GatewayContext): Promise<Response>;
  /**
   * The same handler, answering with plain parts where it can (`BufferedResponse`,
   * `StreamedResponse`): the Node adapter's fast path, which builds no Web `Response`.
   */
  reply(request: GatewayRequest, context: GatewayContext): Promise<GatewayReply>;
  /** Registers an account (and tells the engine about its metadata for linkage). */
  provisionAccount(account: AccountRecord): void;
  /** Creates an API key for an account; the key is returned once and only its hash is kept. */
  createApiKey(accountId: string): { keyId: string; apiKey: string };
  readonly directory: AccountDirectory;
  readonly state: EnforcementState;
  readonly recorder: ExchangeRecorder;
  readonly metrics: GatewayMetrics;
  readonly inFlight: number;
  /** Requests accepted so far on the proxied endpoints (each becomes one exchange record). */
  readonly accepted: number;
  /** Requests served without enforcement because the engine or the state failed (fail-open). */
  readonly enforcementErrors: number;
}

const ROUTES = new Map<string, ProxiedEndpoint>([
  ['/v1/chat/completions', 'chat.completions'],
  ['/v1/responses', 'responses'],
  ['/v1/messages', 'messages'],
]);

// Keys verified recently: SHA-256 of the key → its HMAC. A one-shot SHA-256 costs ~0.7 µs, the
// HMAC ~5 µs. Only digests are held (never the key), and only for keys that exist.
const KEY_CACHE_LIMIT = 10_000;

/** The path of an absolute URL, when it needs no normalising (else `null`: use `new URL`). */
function plainPath(url: string): string | null {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0) return null;
  const query = url.indexOf('?', start);
  const path = query < 0 ? url.slice(start) : url.slice(start, query);
  return ROUTES.has(path) ? path : null;
}

const FORWARDED_HEADERS = ['accept', 'anthropic-version', 'anthropic-beta', 'openai-beta'];
const UPSTREAM_PATHS: Record<ProxiedEndpoint, string> = {
  'chat.completions': '/v1/chat/completions',
  responses: '/v1/responses',
  messages: '/v1/messages',
};
const noop = () => {};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Builds the protective gateway: every request to `/v1/chat/completions`, `/v1/responses` or
 * `/v1/messages` is authenticated, scored by the engine as a log-v1 exchange, passed through the
 * ladder (allow → throttle → degrade → challenge → suspend), forwarded to the upstream through
 * the undici pool, and recorded as exactly one exchange after its response.
 *
 * @example
 * const gateway = createGateway({ upstream, hasher, recorder });
 * const server = serveGateway(gateway, { port: 8080 });
 */
export function createGateway({
  upstream,
  hasher,
  recorder,
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
}: GatewayOptions): Gateway {
  const resolveIp = createClientIpResolver(trustedProxies);
  const isTrustedProxy = createProxyTrust(trustedProxies);
  const ladder = createLadder({
    state,
    policy,
    onDecision: (subject, decision) => metrics.observeDecision(subject.kind, decision.action),
  });
  let inFlight = 0;
  let accepted = 0;
  let enforcementErrors = 0;
  let lastEnforcementReport = Number.NEGATIVE_INFINITY;

  const gateway: Gateway = {
    fetch: async (request, context) => toWebResponse(await handle(request, context)),
    handle: async (request, context) => toWebResponse(await handle(request, context)),
    reply: (request, context) => handle(request, context),
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
      return inFlight;
    },
    get accepted() {
      return accepted;
    },
    get enforcementErrors() {
      return enforcementErrors;
    },
  };
  const admin = adminToken ? createAdminApi({ gateway, adminToken, now }) : null;
  const keyCache = new Map<string, string>();

  async function handle(request: GatewayRequest, context: GatewayContext): Promise<GatewayReply> {
    // The proxied routes skip the URL parser; anything else is parsed and normalised as before.
    const fast = plainPath(request.url);
    if (fast !== null) return proxy(request, context, ROUTES.get(fast) as ProxiedEndpoint, fast);
    const url = new URL(request.url);
    const path = url.pathname;
    const endpoint = ROUTES.get(path);
    if (endpoint !== undefined) return proxy(request, context, endpoint, path);
    if (path === '/healthz') return Response.json({ status: 'ok' });
    if (admin && (path.startsWith('/admin/') || path === '/metrics'))
      return admin(request, url, context.body);
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
    endpoint: ProxiedEndpoint,
    path: string,
  ): Promise<GatewayReply> {
    const dialect: Dialect = endpoint === 'messages' ? 'anthropic' : 'openai';
    if (request.method !== 'POST')
      return new GatewayError(405, 'method_not_allowed', `Use POST for ${path}.`).toParts(dialect);
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
    let action = 'none';
    let finished = false;
    const finish = (status: number, response: ExchangeResponse | null, reason: string) => {
      if (finished) return;
      finished = true;
      inFlight -= 1;
      const ended = now();
      exchange.status = status;
      exchange.latency_ms = ended - started;
      if (response) exchange.response = response;
      recorder.record(exchange);
      metrics.observeRequest({ endpoint, status, action, reason }, (ended - started) / 1000);
    };
    const requestIdHeaders: Record<string, string> =
      dialect === 'openai' ? { 'x-request-id': exchange.id } : { 'request-id': exchange.id };
    try {
      const { body, raw } = await readJsonBody(request, bodyLimitBytes, context.body);
      exchange.request = body;
      if (typeof body.model === 'string') exchange.model = body.model;
      const key = authenticate(request.headers, dialect);
      exchange.account_id = key.accountId;
      exchange.api_key_id = key.keyId;
      const account = directory.getAccount(key.accountId);
      if (account?.org_id) exchange.org_id = account.org_id;

      let outcome: LadderOutcome;
      try {
        outcome = await ladder.decide(scorer.score(exchange), started);
      } catch (error) {
        // Fail open: an engine bug or a lost Redis must not take honest customers down.
        outcome = openOutcome(error);
      }
      action = outcome.action;
      const limitHeaders = {
        ...requestIdHeaders,
        ...rateLimitHeaders(dialect, outcome.rateLimits, started),
        'x-distillguard-action': outcome.action,
      };
      if (outcome.refusal) {
        finish(outcome.refusal.status, null, outcome.refusal.code);
        return outcome.refusal.toParts(dialect, limitHeaders);
      }
      return await forward(
        endpoint,
        dialect,
        body,
        raw,
        outcome,
        exchange,
        request.headers,
        limitHeaders,
        context,
        finish,
      );
    } catch (error) {
      const refusal = toGatewayError(error);
      finish(refusal.status, null, refusal.code);
      return refusal.toParts(dialect, requestIdHeaders);
    }
  }

  function openOutcome(error: unknown): LadderOutcome {
    enforcementErrors += 1;
    const time = now();
    if (time - lastEnforcementReport > 10_000) {
      lastEnforcementReport = time;
      process.stderr.write(
        `gateway: enforcement unavailable, serving without it: ${String(error)}\n`,
      );
    }
    const { requests, outputTokens } = policy.limits.allow;
    const full = (rule: typeof requests) => ({
      rule,
      outcome: { allowed: true, remaining: rule.capacity, retryAfterMs: 0, resetMs: 0 },
    });
    return {
      action: 'allow',
      campaignId: null,
      refusal: null,
      rateLimits: { requests: full(requests), tokens: full(outputTokens) },
      outputTokenBudget: null,
      maxOutputTokens: null,
      reasoning: 'pass',
    };
  }

  function authenticate(headers: HeaderReader, dialect: Dialect) {
    const authorization = headers.get('authorization');
    const apiKey =
      authorization && /^bearer /i.test(authorization)
        ? authorization.slice(7).trim()
        : headers.get('x-api-key');
    if (!apiKey) {
      throw new GatewayError(
        401,
        'missing_api_key',
        dialect === 'anthropic'
          ? 'x-api-key header is required.'
          : 'You didn\'t provide an API key. Send it as "Authorization: Bearer YOUR_KEY".',
      );
    }
    const fingerprint = digest('sha256', apiKey, 'base64');
    let stored = keyCache.get(fingerprint);
    if (stored === undefined) {
      stored = hasher.hash(apiKey);
      if (directory.findKeyByHash(stored)) {
        // Least recently used first: a Map iterates in insertion order.
        if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value ?? '');
        keyCache.set(fingerprint, stored);
      }
    } else {
      keyCache.delete(fingerprint);
      keyCache.set(fingerprint, stored);
    }
    const key = directory.findKeyByHash(stored);
    if (!key) throw new GatewayError(401, 'invalid_api_key', 'Incorrect API key provided.');
    if (key.revokedAt !== null)
      throw new GatewayError(401, 'revoked_api_key', 'This API key has been revoked.');
    return key;
  }

  async function forward(
    endpoint: ProxiedEndpoint,
    dialect: Dialect,
    body: ExchangeRequest,
    raw: Buffer | string,
    outcome: LadderOutcome,
    exchange: Exchange,
    clientHeaders: HeaderReader,
    headers: Record<string, string>,
    context: GatewayContext,
    finish: (status: number, response: ExchangeResponse | null, reason: string) => void,
  ): Promise<GatewayReply> {
    const cap = Math.min(
      outcome.maxOutputTokens ?? Infinity,
      outcome.outputTokenBudget ?? Infinity,
    );
    // Unchanged bodies go out as the client's own bytes: no second serialisation.
    const upstreamBody = Number.isFinite(cap)
      ? JSON.stringify(capOutputTokens(body, endpoint, cap))
      : raw;
    const forwardHeaders: Record<string, string> = { 'content-type': 'application/json' };
    for (const name of FORWARDED_HEADERS) {
      const value = clientHeaders.get(name);
      if (value) forwardHeaders[name] = value;
    }
    // The client leaving aborts the upstream request; no AbortController unless it happens.
    let abortUpstream: (() => void) | null = null;
    let clientGone = false;
    const stopWatching =
      context.onClientGone?.(() => {
        clientGone = true;
        abortUpstream?.();
      }) ?? noop;
    let upstreamResponse: UpstreamResponse;
    try {
      upstreamResponse = await upstream.send({
        method: 'POST',
        path: UPSTREAM_PATHS[endpoint],
        headers: forwardHeaders,
        body: upstreamBody,
        onStart(abort) {
          abortUpstream = abort;
          if (clientGone) abort();
        },
        ...(context.signal ? { signal: context.signal } : {}),
      });
    } catch (error) {
      stopWatching();
      throw upstreamFailure(error);
    }
    const { status } = upstreamResponse;
    const contentType = upstreamResponse.headers['content-type'] ?? 'application/json';
    const marking =
      status === 200
        ? (watermark?.forResponse(exchange.account_id, outcome.action, now()) ?? null)
        : null;
    if (marking) exchange.watermark = marking.record;
    const charge = (response: ExchangeResponse) =>
      void ladder
        .chargeOutputTokens(outcome, exchange.account_id, response.output_tokens, now())
        .catch(() => {});

    if (status === 200 && contentType.startsWith('text/event-stream')) {
      // From here the adapter's `cancel` handles a client that goes away.
      stopWatching();
      return streamReply(upstreamResponse, endpoint, outcome, headers, charge, finish, marking);
    }

    let text: string;
    try {
      text = await upstreamResponse.text();
    } catch (error) {
      throw upstreamFailure(error);
    } finally {
      stopWatching();
    }
    if (status !== 200) {
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
    const response = shapeCompletion(parsed, endpoint, outcome.reasoning, marking?.createStage);
    charge(response);
    finish(200, response, 'ok');
    headers['content-type'] = contentType;
    return {
      status: 200,
      headers,
      body: outcome.reasoning === 'pass' && !marking ? text : JSON.stringify(parsed),
    } satisfies BufferedResponse;
  }

  /** An SSE answer, shaped chunk by chunk (token count, reasoning, budget cut). */
  function streamReply(
    upstreamResponse: UpstreamResponse,
    endpoint: ProxiedEndpoint,
    outcome: LadderOutcome,
    headers: Record<string, string>,
    charge: (response: ExchangeResponse) => void,
    finish: (status: number, response: ExchangeResponse | null, reason: string) => void,
    marking: ResponseWatermark | null,
  ): StreamedResponse {
    const shaper = createStreamShaper({
      endpoint,
      reasoning: outcome.reasoning,
      outputTokenBudget: outcome.outputTokenBudget,
      createWatermarkStage: marking?.createStage,
    });
    const iterator = upstreamResponse.body[Symbol.asyncIterator]();
    const decoder = new TextDecoder();
    let ended = false;
    const done = (reason: string, stopReason?: string) => {
      if (ended) return;
      ended = true;
      const response = shaper.response();
      if (stopReason) response.stop_reason = stopReason;
      charge(response);
      finish(200, response, reason);
    };
    headers['content-type'] = 'text/event-stream; charset=utf-8';
    headers['cache-control'] = 'no-cache';
    return {
      status: 200,
      headers,
      async read() {
        if (ended) return null;
        try {
          for (;;) {
            const next = await iterator.next();
            if (ended) return null;
            if (next.done) {
              const tail = shaper.push(`${decoder.decode()}\n\n`);
              done('ok');
              return tail || null;
            }
            const out = shaper.push(decoder.decode(next.value, { stream: true }));
            if (shaper.finished) {
              // A cut stream is abandoned; a finished one is read to its end, which keeps the
              // upstream connection alive for the next request.
              if (shaper.cut || !upstreamResponse.drain) upstreamResponse.cancel();
              else upstreamResponse.drain();
              done(shaper.cut ? 'token_budget_spent' : 'ok');
              return out || null;
            }
            if (out) return out;
          }
        } catch (error) {
          if (ended) return null;
          const failure = upstreamFailure(error);
          const tail = shaper.fail(failure.message);
          done(failure.code);
          return tail;
        }
      },
      cancel() {
        if (ended) return;
        upstreamResponse.cancel();
        done('client_aborted', 'client_aborted');
      },
    };
  }

  async function models(request: GatewayRequest, context: GatewayContext): Promise<Response> {
    try {
      authenticate(request.headers, 'openai');
      const response = await upstream.send({
        method: 'GET',
        path: '/v1/models',
        headers: { accept: 'application/json' },
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

/** Writes the output cap into whichever max-tokens field the endpoint uses. */
export function capOutputTokens(
  body: ExchangeRequest,
  endpoint: ProxiedEndpoint,
  cap: number,
): ExchangeRequest {
  const limit = Math.max(1, Math.floor(cap));
  const capped: ExchangeRequest = { ...body };
  const lower = (value: unknown) => (typeof value === 'number' ? Math.min(value, limit) : limit);
  if (endpoint === 'responses') capped.max_output_tokens = lower(body.max_output_tokens);
  else if (endpoint === 'chat.completions' && body.max_completion_tokens !== undefined)
    capped.max_completion_tokens = lower(body.max_completion_tokens);
  else capped.max_tokens = lower(body.max_tokens);
  return capped;
}

/** The request body parsed once, and its original bytes (forwarded as they are when unchanged). */
async function readJsonBody(
  request: GatewayRequest,
  limit: number,
  preRead: Buffer | undefined,
): Promise<{ body: ExchangeRequest; raw: Buffer | string }> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(contentType.trim())) {
    throw new GatewayError(
      415,
      'unsupported_content_type',
      'Send the request body as JSON with "Content-Type: application/json".',
    );
  }
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  if (preRead && preRead.length > limit) throw tooLarge(limit);
  const text = preRead
    ? preRead.toString('utf8')
    : request.body
      ? await readText(request.body, limit)
      : '';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GatewayError(
      400,
      'malformed_json',
      'We could not parse the JSON body of your request.',
    );
  }
  if (!isRecord(value))
    throw new GatewayError(400, 'invalid_body', 'The request body must be a JSON object.');
  return { body: value as ExchangeRequest, raw: preRead ?? text };
}

const tooLarge = (limit: number) =>
  new GatewayError(
    413,
    'body_too_large',
    `The request body is larger than the ${limit}-byte limit.`,
  );

async function readText(body: AsyncIterable<Uint8Array>, limit = Infinity): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function upstreamFailure(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const code = isRecord(error) && typeof error.code === 'string' ? error.code : '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT')
    return new GatewayError(504, 'upstream_timeout', 'The upstream did not answer in time.');
  if (code === 'UND_ERR_BODY_TIMEOUT')
    return new GatewayError(504, 'upstream_stalled', 'The upstream stopped sending its response.');
  if (isRecord(error) && error.name === 'AbortError')
    return new GatewayError(499, 'client_aborted', 'The client closed the request.');
  return new GatewayError(502, 'upstream_unavailable', 'The upstream could not be reached.');
}

function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (isRecord(error) && (error.name === 'AbortError' || error.code === 'UND_ERR_ABORTED')) {
    return new GatewayError(499, 'client_aborted', 'The client closed the request.');
  }
  if (isRecord(error) && typeof error.code === 'string' && error.code.startsWith('UND_ERR'))
    return upstreamFailure(error);
  process.stderr.write(
    `gateway: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  return new GatewayError(500, 'internal_error', 'The gateway failed to handle the request.');
}
