/** The SDK family whose error shape and headers a response must use. */
export type Dialect = 'openai' | 'anthropic';

/**
 * An HTTP-facing refusal with a stable reason `code`. It renders itself in the exact JSON shape
 * the client's SDK parses: OpenAI `{ error: { message, type, param, code } }`, Anthropic
 * `{ type: 'error', error: { type, message } }`. The reason code also travels in the
 * `x-distillguard-reason` header so either SDK's caller can read it.
 *
 * @example
 * throw new GatewayError(401, 'invalid_api_key', 'Incorrect API key provided.');
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }

  /** True for failures a client may retry unchanged (rate limit, upstream trouble). */
  get isRetryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }

  /** The refusal as plain parts (status, headers, JSON body) in `dialect`'s shape. */
  toParts(
    dialect: Dialect,
    extraHeaders: Record<string, string> = {},
  ): { status: number; headers: Record<string, string>; body: string } {
    return {
      status: this.status,
      headers: {
        'content-type': 'application/json',
        'x-distillguard-reason': this.code,
        ...extraHeaders,
        ...this.headers,
      },
      body: JSON.stringify(renderErrorBody(dialect, this.status, this.code, this.message)),
    };
  }

  toResponse(dialect: Dialect, extraHeaders: Record<string, string> = {}): Response {
    const { status, headers, body } = this.toParts(dialect, extraHeaders);
    return new Response(body, { status, headers });
  }
}

const OPENAI_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  403: 'permission_error',
  404: 'invalid_request_error',
  405: 'invalid_request_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
};

// Anthropic's documented error types, keyed by status.
const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  413: 'request_too_large',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

/** The error body for `dialect`; shared by refusals and upstream failures. */
export function renderErrorBody(
  dialect: Dialect,
  status: number,
  code: string,
  message: string,
): Record<string, unknown> {
  if (dialect === 'anthropic') {
    const type = ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
    return { type: 'error', error: { type, message: `${message} (reason: ${code})` } };
  }
  const type = OPENAI_TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
  return { error: { message, type, param: null, code } };
}
