/** A complete (non-streamed) response as plain parts. */
export interface BufferedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const buffered = new WeakMap<Response, BufferedResponse>();

/**
 * Builds a complete response. When the adapter says it can take bodies out of band
 * (`outOfBand`), the Web `Response` is an empty shell and the parts travel beside it: building
 * and then draining a body stream costs ~50 µs per request in Node 20, a large share of the
 * gateway's budget. Any other caller gets an ordinary `Response`.
 */
export function bufferedResponse(parts: BufferedResponse, outOfBand: boolean): Response {
  if (!outOfBand) return new Response(parts.body, { status: parts.status, headers: parts.headers });
  const response = new Response(null, { status: parts.status });
  buffered.set(response, parts);
  return response;
}

/** The out-of-band parts of a response made by `bufferedResponse`, if any. */
export function takeBufferedResponse(response: Response): BufferedResponse | undefined {
  const parts = buffered.get(response);
  if (parts) buffered.delete(response);
  return parts;
}

/** The request body as text: the adapter's pre-read buffer when it passed one, else the stream. */
export async function requestText(
  request: { readonly body?: AsyncIterable<Uint8Array> | null },
  preRead: Buffer | undefined,
): Promise<string> {
  if (preRead) return preRead.toString('utf8');
  if (!request.body) return '';
  const chunks: Uint8Array[] = [];
  for await (const chunk of request.body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
