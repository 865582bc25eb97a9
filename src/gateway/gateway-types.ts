// The gateway's request surface and its handle, in their own file so the faces over the gateway
// (admin API, Node adapter, replay) can name them without importing `createGateway`.
import type { AccountRecord } from '../log/exchange.js';
import type { AccountDirectory } from './control-plane/account-directory.js';
import type { EnforcementState } from './enforcement-state/enforcement-state.js';
import type { ExchangeRecorder } from './exchange-store/exchange-recorder.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import type { GatewayReply } from './gateway-reply.js';

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
  /** Requests decided without the ladder because the engine or the state failed. */
  readonly enforcementErrors: number;
  /** `/readyz`: each dependency's state; `ready` is false while the store or the state fails. */
  readiness(): GatewayReadiness;
}

/** What `/readyz` answers (503 when not `ready`); `/healthz` stays liveness only. */
export interface GatewayReadiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; error?: string; pending?: number }>;
}
