/** A complete (non-streamed) response as plain parts. */
export interface BufferedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
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
