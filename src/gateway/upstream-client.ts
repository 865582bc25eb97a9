import { Pool } from 'undici';

export interface UpstreamRequest {
  method: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string>;
  body: string | null;
  signal?: AbortSignal;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string>;
  body: AsyncIterable<Uint8Array>;
  /** The whole body as text (the fast path for non-streamed answers). */
  text(): Promise<string>;
  /** Stops reading and frees the connection (client gone, token budget spent). */
  cancel(): void;
}

/** The port to the provider's API, version 1. */
export interface UpstreamClient {
  readonly version: 1;
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  close(): Promise<void>;
}

export interface UndiciUpstreamOptions {
  /** Origin (and optional path prefix) of the upstream, e.g. `http://127.0.0.1:8081`. */
  baseUrl: string;
  /** The gateway's own credential for the upstream; clients' keys are never forwarded. */
  apiKey?: string;
  connections?: number;
  /** Time to the response headers before the gateway answers 504. */
  headersTimeoutMs?: number;
  /** Longest silence inside a response body (a stalled stream) before it is cut. */
  bodyTimeoutMs?: number;
}

/**
 * A keep-alive undici `Pool` to the upstream. Global `fetch` costs several times the throughput
 * on the hot path, so the pool is used directly.
 */
export function createUndiciUpstream({
  baseUrl,
  apiKey,
  connections = 128,
  headersTimeoutMs = 60_000,
  bodyTimeoutMs = 60_000,
}: UndiciUpstreamOptions): UpstreamClient {
  const url = new URL(baseUrl);
  const prefix = url.pathname.replace(/\/+$/, '');
  const pool = new Pool(url.origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: headersTimeoutMs,
    bodyTimeout: bodyTimeoutMs,
  });
  const credentials: Record<string, string> = apiKey
    ? { authorization: `Bearer ${apiKey}`, 'x-api-key': apiKey }
    : {};
  return {
    version: 1,
    async send(request) {
      const response = await pool.request({
        method: request.method as 'GET',
        path: prefix + request.path,
        headers: { ...request.headers, ...credentials },
        body: request.body,
        signal: request.signal ?? null,
      });
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      return {
        status: response.statusCode,
        headers,
        body: response.body,
        text: () => response.body.text(),
        cancel: () => response.body.destroy(),
      };
    },
    close: () => pool.close(),
  };
}
