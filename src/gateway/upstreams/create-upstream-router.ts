import { isRecord } from '../../shared/is-record.js';
import { GatewayError } from '../gateway-error.js';
import type { UpstreamClient, UpstreamResponse } from '../upstream-client.js';
import { compileModelPatterns, type ModelMatcher } from './compile-model-pattern.js';

/** One upstream as the router sees it: a name (for pinning and logs), a client, its models. */
export interface RoutedUpstream {
  name: string;
  client: UpstreamClient;
  /** Exact model names or globs (`claude-*`); absent: every model. */
  models?: readonly string[];
}

/** Why one upstream was passed over for the next (for logs and metrics). */
export interface UpstreamFallback {
  from: string;
  to: string;
  /** `status_5xx`, or the transport error's code (`UND_ERR_HEADERS_TIMEOUT`, `ECONNREFUSED`, …). */
  reason: string;
}

/** The router, which is itself an `UpstreamClient`, plus what it would try for a model. */
export interface UpstreamRouter extends UpstreamClient {
  /** The upstream names a request for `model` would try, in order (empty: none serves it). */
  candidates(model: string | undefined): string[];
}

const isClientAbort = (error: unknown, signal: AbortSignal | undefined, aborted: boolean) =>
  aborted ||
  signal?.aborted === true ||
  (isRecord(error) && (error.name === 'AbortError' || error.code === 'UND_ERR_ABORTED'));

/**
 * Several upstreams behind one `UpstreamClient`, chosen by model with ordered fallback.
 *
 * - A request pinned to an upstream by name (`request.upstream`: a file or a batch lives on the
 *   upstream that created it) goes there only.
 * - A request that names a model tries every upstream whose `models` match, in config order; the
 *   next is tried when one fails to connect, times out before its response headers, or answers
 *   5xx. A 4xx is the client's answer and is returned as it is (no fallback).
 * - A request with no model (`/v1/models`, files) goes to the first upstream.
 *
 * Fallback happens only before anything is relayed: `send` resolves at the response headers,
 * and a 2xx is committed to, so a stream that already started is never retried elsewhere.
 *
 * @example
 * const router = createUpstreamRouter({ upstreams: [
 *   { name: 'openai', client: openai, models: ['gpt-*'] },
 *   { name: 'backup', client: backup },
 * ] });
 */
export function createUpstreamRouter({
  upstreams,
  onFallback,
}: {
  upstreams: readonly RoutedUpstream[];
  onFallback?: (fallback: UpstreamFallback) => void;
}): UpstreamRouter {
  if (upstreams.length === 0) throw new Error('createUpstreamRouter needs at least one upstream');
  const compiled = upstreams.map((upstream) => ({
    ...upstream,
    matches: compileModelPatterns(upstream.models) as ModelMatcher,
  }));
  const byName = new Map(compiled.map((upstream) => [upstream.name, upstream]));
  const first = compiled[0] as (typeof compiled)[number];

  const pick = (request: { model?: string | undefined; upstream?: string | undefined }) => {
    if (request.upstream !== undefined) {
      const pinned = byName.get(request.upstream);
      return pinned ? [pinned] : [];
    }
    if (request.model === undefined) return [first];
    return compiled.filter((upstream) => upstream.matches(request.model as string));
  };

  return {
    version: 1,
    candidates: (model) => pick({ model }).map((upstream) => upstream.name),
    async send(request) {
      const candidates = pick(request);
      if (candidates.length === 0) {
        throw new GatewayError(
          404,
          'model_not_found',
          `The model \`${request.model}\` does not exist or you do not have access to it.`,
        );
      }
      // One abort for the caller, whichever attempt is under way when it is called.
      let aborted = false;
      let abortCurrent: (() => void) | null = null;
      request.onStart?.(() => {
        aborted = true;
        abortCurrent?.();
      });
      for (let index = 0; index < candidates.length; index += 1) {
        const upstream = candidates[index] as (typeof candidates)[number];
        const last = index === candidates.length - 1;
        const next = candidates[index + 1]?.name ?? '';
        let response: UpstreamResponse;
        try {
          response = await upstream.client.send({
            ...request,
            onStart(abort) {
              abortCurrent = abort;
              if (aborted) abort();
            },
          });
        } catch (error) {
          if (last || isClientAbort(error, request.signal, aborted)) throw error;
          const code = isRecord(error) && typeof error.code === 'string' ? error.code : 'error';
          onFallback?.({ from: upstream.name, to: next, reason: code });
          continue;
        }
        if (response.status >= 500 && !last) {
          // Read and drop the body: it keeps the keep-alive connection for the next request.
          if (response.drain) response.drain();
          else response.cancel();
          onFallback?.({ from: upstream.name, to: next, reason: 'status_5xx' });
          continue;
        }
        response.upstream = upstream.name;
        return response;
      }
      throw new Error('unreachable');
    },
    redact(text) {
      let out = text;
      for (const upstream of compiled) out = upstream.client.redact?.(out) ?? out;
      return out;
    },
    async close() {
      await Promise.all(compiled.map((upstream) => upstream.client.close()));
    },
  };
}
