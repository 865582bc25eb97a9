import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type GatewayReply, isBufferedReply, type StreamedResponse } from '../gateway-reply.js';
import type { GatewayContext, GatewayRequest, HeaderReader } from '../gateway-types.js';

/** Anything with a Web-standard fetch handler: the gateway, the demo upstream. */
export interface FetchHandler {
  fetch(request: Request, context: GatewayContext): Promise<Response>;
  /** Optional fast path taking the light `GatewayRequest` (no Web `Request`/`Headers` built). */
  handle?(request: GatewayRequest, context: GatewayContext): Promise<Response>;
  /** The fastest path: the light request in, plain response parts out (no Web `Response`). */
  reply?(request: GatewayRequest, context: GatewayContext): Promise<GatewayReply>;
}

/** `Headers#get` over Node's parsed header object (names already lower-case). */
class IncomingHeaders implements HeaderReader {
  constructor(private readonly incoming: IncomingMessage['headers']) {}
  get(name: string): string | null {
    const value = this.incoming[name];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }
}

export interface ServedHandler {
  server: Server;
  /** `http://host:port`. */
  url: string;
  /**
   * Stops accepting, answers with `Connection: close` from now on, closes idle keep-alive
   * connections, waits for in-flight responses (up to `graceMs`), then closes the rest.
   */
  close(graceMs?: number): Promise<void>;
}

/** Limits of the Node server, as configuration (`server:` in the gateway config). */
export interface ServerLimits {
  /** Time to receive the request headers (slowloris). */
  headersTimeoutMs?: number;
  /** Time to receive the whole request, body included. */
  requestTimeoutMs?: number;
  /** Idle time a keep-alive connection is kept. */
  keepAliveTimeoutMs?: number;
  /** Connections held at once; more are refused by the kernel backlog / closed. */
  maxConnections?: number;
  /** Largest request head (request line and headers), in bytes; larger gets 431. */
  maxHeaderBytes?: number;
}

// The SDK error body (OpenAI shape, which Anthropic's SDK also parses as an error) for the
// rejections Node's HTTP parser makes before any handler runs.
const parserRejection = (status: number, code: string, message: string) => {
  const body = JSON.stringify({
    error: { message, type: 'invalid_request_error', param: null, code },
  });
  const reason =
    status === 431
      ? 'Request Header Fields Too Large'
      : status === 408
        ? 'Request Timeout'
        : 'Bad Request';
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\nx-distillguard-reason: ${code}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
};

/**
 * The thin `node:http` adapter: passes the request (a light `GatewayRequest`, or a Web `Request`
 * to a plain fetch handler), the socket peer and the header order in as runtime facts, writes the
 * reply back (plain parts from `reply`, or a Web `Response`), and tells the handler when the
 * client goes away mid-response.
 *
 * @example
 * const served = await serveFetchHandler(gateway, { port: 8080 });
 */
export async function serveFetchHandler(
  handler: FetchHandler,
  {
    port = 0,
    host = '127.0.0.1',
    bodyLimitBytes = 4 * 1024 * 1024,
    limits = {},
  }: { port?: number; host?: string; bodyLimitBytes?: number; limits?: ServerLimits } = {},
): Promise<ServedHandler> {
  let active = 0;
  let draining = false;
  let origin = '';
  const onClosed = () => {
    active -= 1;
  };
  const server = createServer(
    {
      keepAliveTimeout: limits.keepAliveTimeoutMs ?? 65_000,
      headersTimeout: limits.headersTimeoutMs ?? 20_000,
      requestTimeout: limits.requestTimeoutMs ?? 120_000,
      maxHeaderSize: limits.maxHeaderBytes ?? 32 * 1024,
    },
    (request, response) => {
      active += 1;
      if (draining) response.setHeader('connection', 'close');
      void handleNode(handler, request, response, origin, bodyLimitBytes, onClosed);
    },
  );
  server.maxConnections = limits.maxConnections ?? 10_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const code = error.code ?? '';
    socket.end(
      code === 'HPE_HEADER_OVERFLOW'
        ? parserRejection(431, 'headers_too_large', 'The request headers are too large.')
        : code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? parserRejection(408, 'request_timeout', 'The request was not received in time.')
          : parserRejection(400, 'malformed_request', 'The HTTP request could not be parsed.'),
    );
  });
  server.on('checkExpectation', (_request, response) => {
    const body = JSON.stringify({
      error: {
        message: 'Only "Expect: 100-continue" is supported.',
        type: 'invalid_request_error',
        param: null,
        code: 'expectation_failed',
      },
    });
    response.writeHead(417, { 'content-type': 'application/json', connection: 'close' });
    response.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  // Requests are routed on their target alone, under this fixed origin: never on `Host`.
  origin = url;
  return {
    server,
    url,
    async close(graceMs = 30_000) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + graceMs;
      while (active > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        server.closeIdleConnections();
      }
      server.closeAllConnections();
      await closed;
    },
  };
}

async function handleNode(
  handler: FetchHandler,
  request: IncomingMessage,
  response: ServerResponse,
  origin: string,
  bodyLimitBytes: number,
  onClosed: () => void,
): Promise<void> {
  // One close listener per request; an AbortController only for handlers that need a signal.
  let onGone: (() => void) | null = null;
  let abort: AbortController | null = null;
  response.once('close', () => {
    onClosed();
    if (response.writableFinished) return;
    onGone?.();
    abort?.abort();
  });
  try {
    const raw = request.rawHeaders;
    let headerOrder = '';
    for (let index = 0; index < raw.length; index += 2)
      headerOrder +=
        index === 0 ? (raw[index] ?? '').toLowerCase() : `,${raw[index]?.toLowerCase()}`;
    // Origin-form targets only: `*` and absolute-form are refused, and `Host` is never read
    // (a Host of `x/admin/accounts#` must not reroute a request a front proxy let through).
    const target = request.url ?? '/';
    if (!target.startsWith('/')) {
      response.writeHead(400, { 'content-type': 'application/json', connection: 'close' });
      response.end(
        JSON.stringify({
          error: {
            message: 'Send the request target as a path ("/v1/...").',
            type: 'invalid_request_error',
            param: null,
            code: 'invalid_request_target',
          },
        }),
      );
      return;
    }
    let body: Buffer | null = null;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const declared = Number(request.headers['content-length'] ?? Number.NaN);
      // Over the limit: nothing more is read (the handler answers 413) and the connection is
      // closed after the answer, since the rest of the body is still on the wire.
      if (declared > bodyLimitBytes) {
        response.setHeader('connection', 'close');
        body = Buffer.alloc(0);
      } else {
        body = await readBody(request, bodyLimitBytes);
        if (body.length > bodyLimitBytes) response.setHeader('connection', 'close');
      }
    }
    const url = `${origin}${target}`;
    const method = request.method ?? 'GET';
    // The body travels in the context: a Web body stream costs more than the rest of the request.
    const context: GatewayContext = {
      remoteAddress: request.socket.remoteAddress ?? '0.0.0.0',
      headerOrder,
      ...(body ? { body } : {}),
    };
    let reply: GatewayReply;
    if (handler.reply) {
      context.onClientGone = (listener) => {
        onGone = listener;
        return () => {
          if (onGone === listener) onGone = null;
        };
      };
      reply = await handler.reply(
        { method, url, headers: new IncomingHeaders(request.headers) },
        context,
      );
    } else {
      abort = new AbortController();
      context.signal = abort.signal;
      reply = handler.handle
        ? await handler.handle(
            { method, url, headers: new IncomingHeaders(request.headers) },
            context,
          )
        : await handler.fetch(new Request(url, { method, headers: webHeaders(raw) }), context);
    }
    if (reply instanceof Response) await writeWebResponse(reply, response);
    else if (isBufferedReply(reply)) {
      // Status line, headers and body leave in one write.
      reply.headers['content-length'] = String(Buffer.byteLength(reply.body));
      response.writeHead(reply.status, reply.headers);
      response.end(reply.body);
    } else {
      onGone = () => reply.cancel();
      await writeStream(reply, response);
    }
  } catch (error) {
    if (!response.headersSent) {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          error: {
            message: 'internal error',
            type: 'server_error',
            param: null,
            code: 'internal_error',
          },
        }),
      );
    } else response.destroy(error instanceof Error ? error : undefined);
  }
}

/** Writes a text stream; the headers go with the first chunk when it is already there. */
async function writeStream(reply: StreamedResponse, response: ServerResponse): Promise<void> {
  response.writeHead(reply.status, reply.headers);
  let firstReady = false;
  const first = reply.read().then((chunk) => {
    firstReady = true;
    return chunk;
  });
  await Promise.race([first, new Promise((resolve) => setImmediate(resolve))]);
  // An upstream slow to its first token: the client sees the status and headers now.
  if (!firstReady) response.flushHeaders();
  let chunk = await first;
  while (chunk !== null && !response.destroyed) {
    if (!response.write(chunk)) {
      await new Promise((resolve) => {
        response.once('drain', resolve);
        response.once('close', resolve);
      });
    }
    chunk = await reply.read();
  }
  response.end();
}

async function writeWebResponse(webResponse: Response, response: ServerResponse): Promise<void> {
  const outgoing: Record<string, string> = {};
  webResponse.headers.forEach((value, name) => {
    outgoing[name] = value;
  });
  const streaming = (outgoing['content-type'] ?? '').startsWith('text/event-stream');
  if (!webResponse.body || !streaming) {
    const buffer = webResponse.body
      ? Buffer.from(await webResponse.arrayBuffer())
      : Buffer.alloc(0);
    outgoing['content-length'] = String(buffer.length);
    response.writeHead(webResponse.status, outgoing);
    response.end(buffer);
    return;
  }
  response.writeHead(webResponse.status, outgoing);
  response.flushHeaders();
  const reader = webResponse.body.getReader();
  const onClose = () => void reader.cancel().catch(() => {});
  response.once('close', onClose);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (response.destroyed) break;
    if (!response.write(value)) {
      await new Promise((resolve) => {
        response.once('drain', resolve);
        response.once('close', resolve);
      });
    }
  }
  response.off('close', onClose);
  response.end();
}

function webHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let index = 0; index < raw.length; index += 2)
    headers.append(raw[index] ?? '', raw[index + 1] ?? '');
  return headers;
}

/**
 * Reads a request body with plain events (the stream async iterator costs tens of µs more per
 * request). Stops at the limit: what was read (one chunk past it) comes back, so the handler
 * answers 413, and the rest is never read (the caller closes the connection).
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        request.pause();
        done();
      }
    };
    request.on('data', onData);
    request.once('end', done);
    request.once('error', reject);
  });
}
