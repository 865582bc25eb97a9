import { GatewayError } from '../../gateway-error.js';
import type { GatewayRequest } from '../../gateway-types.js';

/** The request body as bytes, whatever its type (a multipart upload), within `limit`. */
export async function readRawBody(
  request: GatewayRequest,
  limit: number,
  preRead: Buffer | undefined,
): Promise<Buffer> {
  const tooLarge = () =>
    new GatewayError(
      413,
      'body_too_large',
      `The request body is larger than the ${limit}-byte limit.`,
    );
  if (Number(request.headers.get('content-length') ?? 0) > limit) throw tooLarge();
  if (preRead) {
    if (preRead.length > limit) throw tooLarge();
    return preRead;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body ?? []) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
