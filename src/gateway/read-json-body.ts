import type { ExchangeRequest } from '../log/exchange.js';
import { isRecord } from '../shared/is-record.js';
import { GatewayError } from './gateway-error.js';
import type { GatewayRequest } from './gateway-types.js';

/**
 * The request body parsed once, and its original bytes (forwarded as they are when unchanged).
 * Throws a `GatewayError` (415, 413, 400) the request path renders in the client's dialect.
 */
export async function readJsonBody(
  request: GatewayRequest,
  limit: number,
  preRead: Buffer | undefined,
): Promise<{ body: ExchangeRequest; raw: Buffer | string }> {
  const contentType = request.headers.get('content-type') ?? '';
  if (
    contentType !== 'application/json' &&
    !/^application\/(.+\+)?json\b/i.test(contentType.trim())
  ) {
    throw new GatewayError(
      415,
      'unsupported_content_type',
      'Send the request body as JSON with "Content-Type: application/json".',
    );
  }
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) throw tooLarge(limit);
  if (preRead && preRead.length > limit) throw tooLarge(limit);
  const text = preRead
    ? preRead.toString('utf8')
    : request.body
      ? await readText(request.body, limit)
      : '';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new GatewayError(
      400,
      'malformed_json',
      'We could not parse the JSON body of your request.',
    );
  }
  if (!isRecord(value))
    throw new GatewayError(400, 'invalid_body', 'The request body must be a JSON object.');
  return { body: value as ExchangeRequest, raw: preRead ?? text };
}

const tooLarge = (limit: number) =>
  new GatewayError(
    413,
    'body_too_large',
    `The request body is larger than the ${limit}-byte limit.`,
  );

async function readText(body: AsyncIterable<Uint8Array>, limit = Infinity): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
