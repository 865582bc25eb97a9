import { timingSafeEqual } from 'node:crypto';
import { createLocalLimiter } from '../create-local-limiter.js';
import type { GatewayRequest } from '../gateway-types.js';

export interface MetricsEndpointOptions {
  /** What a scrape answers (this process's registry, or the cluster's, aggregated). */
  scrape: () => Promise<string>;
  /** The scrape token (`metrics_token_env`): opens `/metrics` and nothing else. */
  metricsToken?: string;
  /** The admin token opens `/metrics` too; neither is required when the other is set. */
  adminToken?: string;
  now?: () => number;
}

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const failure = (status: number, code: string, message: string) =>
  Response.json({ error: { code, message } }, { status });

/**
 * `GET /metrics` behind a bearer token of its own: the scrape token or the admin token, compared
 * in constant time. With neither configured the route is closed (404), never open. Failed
 * attempts are throttled per client address like the admin API's.
 */
export function createMetricsEndpoint({
  scrape,
  metricsToken,
  adminToken,
  now = Date.now,
}: MetricsEndpointOptions): (request: GatewayRequest, remoteAddress: string) => Promise<Response> {
  const tokens = [metricsToken, adminToken]
    .filter((token): token is string => typeof token === 'string' && token.length > 0)
    .map((token) => Buffer.from(token));
  const failed = createLocalLimiter({ capacity: 10, refillPerSecond: 1 }, 10_000);
  const authorised = (request: GatewayRequest) => {
    const header = request.headers.get('authorization') ?? '';
    const given = Buffer.from(header.replace(/^bearer /i, ''));
    let match = false;
    for (const token of tokens)
      if (given.length === token.length && timingSafeEqual(given, token)) match = true;
    return match;
  };
  return async (request, remoteAddress) => {
    if (tokens.length === 0)
      return failure(
        404,
        'unknown_route',
        'Set metrics_token_env (or the admin token) to open /metrics.',
      );
    const time = now();
    if (!failed.has(remoteAddress, time))
      return failure(429, 'metrics_throttled', 'Too many failed attempts; retry later.');
    if (!authorised(request)) {
      failed.take(remoteAddress, time);
      return failure(
        401,
        'metrics_unauthorised',
        'Send the metrics token (metrics_token_env) as "Authorization: Bearer TOKEN".',
      );
    }
    if (request.method !== 'GET')
      return failure(405, 'method_not_allowed', 'Use GET for /metrics.');
    try {
      return new Response(await scrape(), { headers: { 'content-type': CONTENT_TYPE } });
    } catch (error) {
      return failure(
        503,
        'metrics_unavailable',
        `The scrape failed: ${error instanceof Error ? error.message : String(error)}.`,
      );
    }
  };
}
