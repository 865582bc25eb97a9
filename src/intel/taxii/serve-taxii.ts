import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TaxiiHandler } from './create-taxii-handler.js';
import { TaxiiError } from './taxii-error.js';

export interface ServeTaxiiOptions {
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** Bodies larger than this are refused while reading, before they are buffered whole. */
  maxContentLength: number;
}

export interface RunningTaxiiServer {
  /** `http://host:port` */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a TAXII handler over `node:http`: turns each request into a Web `Request`, the
 * handler's `Response` back into a reply. Nothing TAXII-specific happens here.
 *
 * @example
 * const server = await serveTaxii(handler, { port: 9500, maxContentLength: config.maxContentLength });
 */
export async function serveTaxii(
  handler: TaxiiHandler,
  { host = '127.0.0.1', port = 0, maxContentLength }: ServeTaxiiOptions,
): Promise<RunningTaxiiServer> {
  const server = createServer((incoming, outgoing) => {
    respond(handler, incoming, outgoing, maxContentLength).catch(() => {
      if (!outgoing.headersSent) outgoing.writeHead(500);
      outgoing.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function respond(
  handler: TaxiiHandler,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  maxContentLength: number,
): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (typeof value === 'string') headers.set(name, value);
    else if (Array.isArray(value)) for (const item of value) headers.append(name, item);
  }
  const method = incoming.method ?? 'GET';
  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of incoming) {
      size += (chunk as Buffer).length;
      if (size > maxContentLength) {
        await write(
          outgoing,
          new TaxiiError(
            413,
            'Payload too large',
            `at most ${maxContentLength} bytes`,
          ).toResponse(),
        );
        incoming.destroy();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    body = Buffer.concat(chunks);
  }
  const url = `http://${incoming.headers.host ?? 'localhost'}${incoming.url ?? '/'}`;
  const request = new Request(url, { method, headers, ...(body === undefined ? {} : { body }) });
  await write(outgoing, await handler(request));
}

async function write(outgoing: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  outgoing.writeHead(response.status, headers);
  outgoing.end(Buffer.from(await response.arrayBuffer()));
}
