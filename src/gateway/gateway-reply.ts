import type { BufferedResponse } from './buffered-response.js';

/**
 * A streamed response as plain parts: text chunks pulled one at a time. Adapters that can write
 * text straight to a socket use it without building a Web `ReadableStream` (whose per-chunk
 * promises and byte copies cost more than the rest of a small stream's handling).
 */
export interface StreamedResponse {
  status: number;
  headers: Record<string, string>;
  /** The next chunk of text, or `null` once the stream has ended. Never rejects. */
  read(): Promise<string | null>;
  /** The client went away: stop reading the upstream and record the exchange as aborted. */
  cancel(): void;
}

/** What the gateway answers with: plain parts for the Node adapter, or a Web `Response`. */
export type GatewayReply = BufferedResponse | StreamedResponse | Response;

/** Whether a reply is a complete body held as text. */
export const isBufferedReply = (reply: GatewayReply): reply is BufferedResponse =>
  !(reply instanceof Response) && typeof (reply as BufferedResponse).body === 'string';

/**
 * The reply as a Web `Response`, for the Web-standard `fetch` surface.
 *
 * @example
 * const response = toWebResponse(await gateway.reply(request, context));
 */
export function toWebResponse(reply: GatewayReply): Response {
  if (reply instanceof Response) return reply;
  if (isBufferedReply(reply))
    return new Response(reply.body, { status: reply.status, headers: reply.headers });
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = await reply.read();
      if (chunk === null) controller.close();
      else controller.enqueue(encoder.encode(chunk));
    },
    cancel() {
      reply.cancel();
    },
  });
  return new Response(stream, { status: reply.status, headers: reply.headers });
}
