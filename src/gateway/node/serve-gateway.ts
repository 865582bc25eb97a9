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
  /** Stops accepting, waits for in-flight responses (up to `graceMs`), then closes sockets. */
  close(graceMs?: number): Promise<void>;
}

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
  }: { port?: number; host?: string; bodyLimitBytes?: number } = {},
): Promise<ServedHandler> {
  let active = 0;
  const server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
    active += 1;
    response.once('close', () => {
      active -= 1;
    });
    void handleNode(handler, request, response, host, bodyLimitBytes);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    server,
    url,
    async close(graceMs = 30_000) {
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
  host: string,
  bodyLimitBytes: number,
): Promise<void> {
  // One close listener per request; an AbortController only for handlers that need a signal.
  let onGone: (() => void) | null = null;
  let abort: AbortController | null = null;
  response.once('close', () => {
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
    let body: Buffer | null = null;
    if (request.method !== 'GET' && request.method !== 'HEAD')
      body = await readBody(request, bodyLimitBytes);
    const url = `http://${request.headers.host ?? host}${request.url ?? '/'}`;
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
 * request). Keeps draining past the limit, so the 413 reaches the client, but stops storing.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      if (size <= limit) chunks.push(chunk);
      size += chunk.length;
    });
    request.once('end', () =>
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)),
    );
    request.once('error', reject);
  });
}
