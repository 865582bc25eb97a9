import { DistillguardError } from '../../shared/distillguard-error.js';
import { createUndiciUpstream } from '../upstream-client.js';
import {
  createUpstreamRouter,
  type UpstreamFallback,
  type UpstreamRouter,
} from './create-upstream-router.js';
import type { UpstreamsConfig } from './upstreams-config.js';

/**
 * Opens one undici pool per configured upstream, each with its own key read from its
 * `api_key_env`, behind a router. A named variable that is unset is an error at start, never
 * a request sent without its key.
 */
export function openUpstreams(
  entries: UpstreamsConfig,
  {
    env,
    onFallback,
  }: { env: Record<string, string | undefined>; onFallback?: (fallback: UpstreamFallback) => void },
): UpstreamRouter {
  const resolved = entries.map((entry, index) => {
    const name = entry.name ?? `upstream-${index + 1}`;
    const apiKey = entry.api_key_env ? env[entry.api_key_env] : undefined;
    if (entry.api_key_env && !apiKey)
      throw new DistillguardError(
        'gateway_upstream_key_missing',
        `set ${entry.api_key_env} to the API key of upstream ${name} (named by upstreams[${index}].api_key_env).`,
        { path: `upstreams.${index}.api_key_env` },
      );
    return { entry, name, apiKey };
  });
  return createUpstreamRouter({
    upstreams: resolved.map(({ entry, name, apiKey }) => ({
      name,
      ...(entry.models ? { models: entry.models } : {}),
      client: createUndiciUpstream({
        baseUrl: entry.url,
        ...(apiKey ? { apiKey } : {}),
        connections: entry.connections,
        headersTimeoutMs: entry.headers_timeout_ms,
        bodyTimeoutMs: entry.body_timeout_ms,
      }),
    })),
    ...(onFallback ? { onFallback } : {}),
  });
}

/**
 * The longest one request may wait on the upstreams: every candidate's time to headers in turn
 * (each may time out before the next is tried), then the slowest body. A drain waits this long.
 */
export function upstreamsWaitBudgetMs(entries: UpstreamsConfig): number {
  let headers = 0;
  let body = 0;
  for (const entry of entries) {
    headers += entry.headers_timeout_ms;
    body = Math.max(body, entry.body_timeout_ms);
  }
  return headers + body;
}
