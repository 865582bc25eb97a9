import { isRecord } from '../../../shared/is-record.js';
import type { DecisionStep } from '../../create-decision-step.js';
import type { ExchangeTracker } from '../../create-exchange-tracker.js';
import { type Dialect, GatewayError } from '../../gateway-error.js';
import type { GatewayReply } from '../../gateway-reply.js';
import type { GatewayContext, GatewayRequest } from '../../gateway-types.js';
import type { LadderPolicy } from '../../ladder.js';
import { readJsonBody } from '../../read-json-body.js';
import type { RequestScorer } from '../../request-scorer.js';
import { toGatewayError } from '../../to-gateway-error.js';
import type { UpstreamClient, UpstreamRequest } from '../../upstream-client.js';
import { admitBatch, type BatchSubmitter } from './admit-batch.js';
import { type BatchLinesResult, parseAnthropicBatch, parseOpenAiBatchFile } from './batch-lines.js';
import type { BatchObjectKind, BatchOwner, BatchRegistry } from './create-batch-registry.js';
import { readRawBody } from './read-raw-body.js';
import { type ReadAnswer, readUpstreamAnswer, relayAnswer } from './relay-upstream.js';

/** Serves one request under `/v1/files`, `/v1/batches` or `/v1/messages/batches`. */
export type BatchRoutes = (
  request: GatewayRequest,
  url: URL,
  context: GatewayContext,
) => Promise<GatewayReply>;

const FORWARDED_HEADERS = ['accept', 'anthropic-version', 'anthropic-beta', 'openai-beta'];
const OPENAI_OBJECT = /^\/v1\/(files|batches)\/([^/]+)(\/content|\/cancel)?$/;
const ANTHROPIC_OBJECT = /^\/v1\/messages\/batches\/([^/]+)(\/results|\/cancel)?$/;

/**
 * The batch routes. Submissions (`POST /v1/batches`, `POST /v1/messages/batches`) are scored
 * line by line and pass the ladder as one (`admitBatch`); uploads, reads, results and cancels are
 * relayed to the upstream that holds the object, for its owner only (`BatchRegistry`): any other
 * account gets 404, and lists are filtered to the caller's own ids.
 */
export function createBatchRoutes({
  upstream,
  registry,
  authenticate,
  tracker,
  decision,
  scorer,
  policy,
  bodyLimitBytes,
}: {
  upstream: UpstreamClient;
  registry: BatchRegistry;
  /** Authenticates the caller (with the per-IP and invalid-key limits); throws a `GatewayError`. */
  authenticate: (
    request: GatewayRequest,
    context: GatewayContext,
    dialect: Dialect,
  ) => BatchSubmitter;
  tracker: ExchangeTracker;
  decision: DecisionStep;
  scorer: RequestScorer;
  policy: LadderPolicy;
  /** Largest upload or submission accepted (the gateway's `body_limit_bytes`). */
  bodyLimitBytes: number;
}): BatchRoutes {
  const send = async (
    request: GatewayRequest,
    context: GatewayContext,
    caller: BatchSubmitter,
    options: Omit<UpstreamRequest, 'headers'> & { contentType?: string },
  ): Promise<ReadAnswer> => {
    // The identity headers and, in pass-through, the client's own credentials.
    const headers: Record<string, string> = { ...caller.upstreamHeaders };
    for (const name of FORWARDED_HEADERS) {
      const value = request.headers.get(name);
      if (value) headers[name] = value;
    }
    if (options.contentType) headers['content-type'] = options.contentType;
    const { contentType: _, ...rest } = options;
    const response = await upstream.send({
      ...rest,
      headers,
      ...(context.signal ? { signal: context.signal } : {}),
    });
    return readUpstreamAnswer(upstream, response);
  };

  const owned = (kind: BatchObjectKind, id: string, accountId: string): BatchOwner => {
    const owner = registry.owner(kind, id);
    if (!owner || owner.accountId !== accountId)
      throw new GatewayError(
        404,
        'not_found',
        `No such ${kind === 'file' ? 'File' : 'Batch'} object: ${id}.`,
      );
    return owner;
  };
  const pin = (owner: BatchOwner) => (owner.upstream ? { upstream: owner.upstream } : {});
  const claimFiles = (value: unknown, owner: BatchOwner) => {
    if (!isRecord(value)) return;
    for (const field of ['output_file_id', 'error_file_id'])
      if (typeof value[field] === 'string') registry.claim('file', value[field] as string, owner);
  };
  const filterList = (answer: ReadAnswer, kind: BatchObjectKind, accountId: string) => {
    if (answer.status !== 200 || !isRecord(answer.json) || !Array.isArray(answer.json.data))
      return undefined;
    const data = answer.json.data.filter(
      (item) =>
        isRecord(item) &&
        typeof item.id === 'string' &&
        registry.owner(kind, item.id)?.accountId === accountId,
    ) as Record<string, unknown>[];
    return {
      ...answer.json,
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
    };
  };

  /** Scores the lines, refuses or forwards the submission, and records each line. */
  const submit = async (
    request: GatewayRequest,
    context: GatewayContext,
    dialect: Dialect,
    submitter: BatchSubmitter,
    parsed: BatchLinesResult,
    forward: () => Promise<ReadAnswer>,
    kind: BatchObjectKind,
  ): Promise<GatewayReply> => {
    if (!parsed.success) throw new GatewayError(400, parsed.code, parsed.message);
    const admission = await admitBatch({
      request,
      context,
      lines: parsed.lines,
      submitter,
      tracker,
      decision,
      scorer,
      policy,
    });
    const idHeader = dialect === 'openai' ? 'x-request-id' : 'request-id';
    const headers = {
      [idHeader]: admission.requestId,
      'x-distillguard-action': admission.outcome.action,
    };
    if (admission.refusal) {
      admission.finish(admission.refusal.status, admission.refusal.code);
      return admission.refusal.toParts(dialect, headers);
    }
    let answer: ReadAnswer;
    try {
      answer = await forward();
    } catch (error) {
      const failure = toGatewayError(error);
      admission.finish(failure.status, failure.code);
      throw failure;
    }
    const id = isRecord(answer.json) && typeof answer.json.id === 'string' ? answer.json.id : '';
    if (answer.status === 200 && id) {
      const owner = {
        accountId: submitter.accountId,
        ...(answer.upstream ? { upstream: answer.upstream } : {}),
      };
      registry.claim(kind, id, owner);
      claimFiles(answer.json, owner);
      admission.finish(200, 'ok', id);
    } else
      admission.finish(
        answer.status,
        answer.status >= 500 ? 'upstream_error' : 'upstream_rejected',
      );
    return relayAnswer(answer, dialect, headers, rewriteResultsUrl(answer.json, request.url));
  };

  const openAi = async (
    request: GatewayRequest,
    url: URL,
    context: GatewayContext,
  ): Promise<GatewayReply> => {
    const path = url.pathname;
    const method = request.method;
    const caller = authenticate(request, context, 'openai');
    if (path === '/v1/files' && method === 'POST') {
      const raw = await readRawBody(request, bodyLimitBytes, context.body);
      const answer = await send(request, context, caller, {
        method: 'POST',
        path,
        body: raw,
        contentType: request.headers.get('content-type') ?? 'application/octet-stream',
      });
      if (answer.status === 200 && isRecord(answer.json) && typeof answer.json.id === 'string')
        registry.claim('file', answer.json.id, {
          accountId: caller.accountId,
          ...(answer.upstream ? { upstream: answer.upstream } : {}),
        });
      return relayAnswer(answer, 'openai', {});
    }
    if ((path === '/v1/files' || path === '/v1/batches') && method === 'GET') {
      const answer = await send(request, context, caller, {
        method: 'GET',
        path: path + url.search,
        body: null,
      });
      const kind = path === '/v1/files' ? 'file' : 'batch';
      return relayAnswer(answer, 'openai', {}, filterList(answer, kind, caller.accountId));
    }
    if (path === '/v1/batches' && method === 'POST') {
      const { body, raw } = await readJsonBody(request, bodyLimitBytes, context.body);
      const inputFileId = body.input_file_id;
      const endpoint = body.endpoint;
      if (typeof inputFileId !== 'string' || typeof endpoint !== 'string')
        throw new GatewayError(
          400,
          'invalid_request',
          '`input_file_id` and `endpoint` are required.',
        );
      const owner = owned('file', inputFileId, caller.accountId);
      const file = await send(request, context, caller, {
        method: 'GET',
        path: `/v1/files/${encodeURIComponent(inputFileId)}/content`,
        body: null,
        ...pin(owner),
      });
      if (file.status !== 200) return relayAnswer(file, 'openai', {});
      return submit(
        request,
        context,
        'openai',
        caller,
        parseOpenAiBatchFile(file.text, endpoint),
        () =>
          send(request, context, caller, {
            method: 'POST',
            path,
            body: raw,
            contentType: 'application/json',
            ...pin(owner),
          }),
        'batch',
      );
    }
    const match = OPENAI_OBJECT.exec(path);
    if (!match) throw notFound(method, path);
    const kind = match[1] === 'files' ? 'file' : 'batch';
    const id = decodeURIComponent(match[2] as string);
    const suffix = match[3] ?? '';
    const allowed =
      kind === 'file'
        ? (suffix === '' && (method === 'GET' || method === 'DELETE')) ||
          (suffix === '/content' && method === 'GET')
        : (suffix === '' && method === 'GET') || (suffix === '/cancel' && method === 'POST');
    if (!allowed) throw notFound(method, path);
    const owner = owned(kind, id, caller.accountId);
    const answer = await send(request, context, caller, {
      method,
      path,
      body: null,
      ...pin(owner),
    });
    if (kind === 'batch') claimFiles(answer.json, owner);
    return relayAnswer(answer, 'openai', {});
  };

  const anthropic = async (
    request: GatewayRequest,
    url: URL,
    context: GatewayContext,
  ): Promise<GatewayReply> => {
    const path = url.pathname;
    const method = request.method;
    const caller = authenticate(request, context, 'anthropic');
    if (path === '/v1/messages/batches' && method === 'POST') {
      const { body, raw } = await readJsonBody(request, bodyLimitBytes, context.body);
      const parsed = parseAnthropicBatch(body);
      const model = parsed.success ? parsed.lines[0]?.body.model : undefined;
      return submit(
        request,
        context,
        'anthropic',
        caller,
        parsed,
        () =>
          send(request, context, caller, {
            method: 'POST',
            path,
            body: raw,
            contentType: 'application/json',
            ...(typeof model === 'string' ? { model } : {}),
          }),
        'message_batch',
      );
    }
    if (path === '/v1/messages/batches' && method === 'GET') {
      const answer = await send(request, context, caller, {
        method: 'GET',
        path: path + url.search,
        body: null,
      });
      const filtered = filterList(answer, 'message_batch', caller.accountId);
      return relayAnswer(answer, 'anthropic', {}, rewriteResultsUrl(filtered, request.url));
    }
    const match = ANTHROPIC_OBJECT.exec(path);
    if (!match) throw notFound(method, path);
    const id = decodeURIComponent(match[1] as string);
    const suffix = match[2] ?? '';
    const allowed =
      (suffix === '' && (method === 'GET' || method === 'DELETE')) ||
      (suffix === '/results' && method === 'GET') ||
      (suffix === '/cancel' && method === 'POST');
    if (!allowed) throw notFound(method, path);
    const owner = owned('message_batch', id, caller.accountId);
    const answer = await send(request, context, caller, {
      method,
      path,
      body: null,
      ...pin(owner),
    });
    return relayAnswer(answer, 'anthropic', {}, rewriteResultsUrl(answer.json, request.url));
  };

  return async (request, url, context) => {
    const dialect: Dialect = url.pathname.startsWith('/v1/messages/') ? 'anthropic' : 'openai';
    try {
      return await (dialect === 'anthropic'
        ? anthropic(request, url, context)
        : openAi(request, url, context));
    } catch (error) {
      return toGatewayError(error).toParts(dialect);
    }
  };
}

const notFound = (method: string, path: string) =>
  new GatewayError(404, 'unknown_route', `Unknown request URL: ${method} ${path}.`);

/**
 * Points an Anthropic batch's `results_url` (the upstream's own address) at this gateway, so the
 * SDK fetches results through it; `undefined` when nothing needs rewriting.
 */
function rewriteResultsUrl(value: unknown, requestUrl: string): unknown {
  if (!isRecord(value)) return undefined;
  const origin = new URL(requestUrl).origin;
  const rewrite = (item: unknown) => {
    if (isRecord(item) && typeof item.results_url === 'string' && typeof item.id === 'string')
      item.results_url = `${origin}/v1/messages/batches/${encodeURIComponent(item.id)}/results`;
  };
  if (Array.isArray(value.data)) value.data.forEach(rewrite);
  else if (typeof value.results_url === 'string') rewrite(value);
  else return value.data === undefined ? undefined : value;
  return value;
}
