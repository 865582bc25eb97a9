import { Pool, util } from 'undici';

export interface UpstreamRequest {
  method: string;
  /** Path and query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string>;
  /** A string, or bytes sent as they are (the client's own body when it is unchanged). */
  body: string | Uint8Array | null;
  signal?: AbortSignal;
  /** Called once the request is under way with a function that aborts it (cheaper than `signal`). */
  onStart?: (abort: () => void) => void;
  /** The request's model, when it names one: a router picks the upstream by it. */
  model?: string;
  /** Pins the request to the upstream of this name (a router's file or batch lives there). */
  upstream?: string;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string>;
  body: AsyncIterable<Uint8Array>;
  /** The whole body as text (the fast path for non-streamed answers). */
  text(): Promise<string>;
  /** Stops reading and frees the connection (client gone, token budget spent). */
  cancel(): void;
  /** Reads the rest of the body and drops it, which keeps a keep-alive connection open. */
  drain?(): void;
  /** The name of the upstream that answered, when a router chose it. */
  upstream?: string;
}

/** The port to the provider's API, version 1. */
export interface UpstreamClient {
  readonly version: 1;
  send(request: UpstreamRequest): Promise<UpstreamResponse>;
  /**
   * Removes the gateway's own upstream credential from text the upstream sent (an error body
   * that echoes the key), before any of it reaches a client.
   */
  redact?(text: string): string;
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

// Unread bytes held before the upstream socket is paused (a slow client on a fast stream).
const HIGH_WATER_BYTES = 256 * 1024;

/**
 * A keep-alive undici `Pool` to the upstream. Global `fetch` costs several times the throughput
 * on the hot path, so the pool is used directly, through its `dispatch` handler interface: no
 * Node `Readable` per response and no `AbortController` per request.
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
  const withCredentials = apiKey !== undefined;
  return {
    version: 1,
    send(request) {
      return new Promise((resolve, reject) => {
        const exchange = new UpstreamExchange(resolve, reject, request.signal ?? null);
        request.onStart?.(exchange.abort);
        pool.dispatch(
          {
            method: request.method as 'GET',
            path: prefix + request.path,
            headers: withCredentials ? { ...request.headers, ...credentials } : request.headers,
            body: request.body,
          },
          exchange,
        );
      });
    },
    redact: (text) =>
      apiKey && text.includes(apiKey) ? text.replaceAll(apiKey, '[redacted]') : text,
    close: () => pool.close(),
  };
}

/**
 * One request's undici handler (the `onConnect`/`onHeaders`/`onData`/`onComplete`/`onError`
 * interface): resolves `send` at the headers, then holds the body chunks for `text()` or the
 * async iterator, pausing the socket when a reader falls behind.
 */
class UpstreamExchange implements UpstreamResponse {
  status = 0;
  headers: Record<string, string> = {};
  private chunks: Buffer[] = [];
  private queued = 0;
  private complete = false;
  private failure: Error | null = null;
  private started = false;
  private aborted = false;
  private undiciAbort: ((reason?: Error) => void) | null = null;
  private resume: (() => void) | null = null;
  private paused = false;
  private dropping = false;
  private collecting = false;
  private wake: (() => void) | null = null;
  private onSignal: (() => void) | null = null;

  constructor(
    private resolve: (response: UpstreamResponse) => void,
    private reject: (error: Error) => void,
    private signal: AbortSignal | null,
  ) {
    if (signal) {
      this.onSignal = () => this.abort();
      if (signal.aborted) this.aborted = true;
      else signal.addEventListener('abort', this.onSignal, { once: true });
    }
  }

  /** The body as chunks (built on demand: most answers are read whole by `text`). */
  get body(): AsyncIterable<Uint8Array> {
    return { [Symbol.asyncIterator]: () => this.iterate() };
  }

  /** Aborts the request (before or after its headers); the pending read or `send` rejects. */
  readonly abort = (): void => {
    this.aborted = true;
    this.undiciAbort?.();
  };

  onConnect(abort: (reason?: Error) => void): void {
    this.undiciAbort = abort;
    if (this.aborted) abort();
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[] | string[], resume: () => void): boolean {
    // 1xx interim responses carry no body for us.
    if (statusCode < 200) return true;
    this.status = statusCode;
    this.resume = resume;
    for (let index = 0; index < rawHeaders.length; index += 2) {
      // undici's lookup hands back its own lower-case string for a well-known name (no copy).
      const name = util.headerNameToString(rawHeaders[index] as Buffer | string);
      const value = String(rawHeaders[index + 1]);
      const previous = this.headers[name];
      this.headers[name] = previous === undefined ? value : `${previous}, ${value}`;
    }
    this.started = true;
    this.resolve(this);
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.dropping) return true;
    this.chunks.push(chunk);
    this.queued += chunk.length;
    this.notify();
    if (this.collecting || this.queued < HIGH_WATER_BYTES) return true;
    this.paused = true;
    return false;
  }

  onComplete(): void {
    this.complete = true;
    this.release();
    this.notify();
  }

  onError(error: Error): void {
    this.failure = error;
    this.release();
    if (!this.started) this.reject(error);
    else this.notify();
  }

  text(): Promise<string> {
    this.collecting = true;
    this.unpause();
    return new Promise((resolve, reject) => {
      const settle = () => {
        if (this.failure) reject(this.failure);
        else if (this.complete) {
          const chunks = this.chunks;
          this.chunks = [];
          resolve(
            chunks.length === 1
              ? (chunks[0] as Buffer).toString('utf8')
              : Buffer.concat(chunks).toString('utf8'),
          );
        } else this.wake = settle;
      };
      settle();
    });
  }

  cancel(): void {
    if (!this.complete && this.failure === null) this.abort();
  }

  drain(): void {
    this.dropping = true;
    this.chunks = [];
    this.queued = 0;
    this.unpause();
  }

  private async *iterate(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        this.queued -= chunk.length;
        if (this.queued < HIGH_WATER_BYTES) this.unpause();
        yield chunk;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.complete) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private unpause(): void {
    if (!this.paused) return;
    this.paused = false;
    this.resume?.();
  }

  private release(): void {
    if (this.signal && this.onSignal) this.signal.removeEventListener('abort', this.onSignal);
    this.signal = null;
  }
}
