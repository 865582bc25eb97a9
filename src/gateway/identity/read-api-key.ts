import { type Dialect, GatewayError } from '../gateway-error.js';
import type { HeaderReader } from '../gateway-types.js';

/** The key a request carries and the header it came in (pass-through forwards it the same way). */
export interface PresentedKey {
  key: string;
  header: 'authorization' | 'x-api-key';
}

/** The API key from `Authorization: Bearer` (OpenAI) or `x-api-key` (Anthropic), or `null`. */
export function readApiKey(headers: HeaderReader): PresentedKey | null {
  const authorization = headers.get('authorization');
  if (authorization && /^bearer /i.test(authorization)) {
    const key = authorization.slice(7).trim();
    if (key) return { key, header: 'authorization' };
  }
  const key = headers.get('x-api-key');
  return key ? { key, header: 'x-api-key' } : null;
}

/** The 401 for a request without a key, worded for the client's SDK. */
export function missingApiKey(dialect: Dialect): GatewayError {
  return new GatewayError(
    401,
    'missing_api_key',
    dialect === 'anthropic'
      ? 'x-api-key header is required.'
      : 'You didn\'t provide an API key. Send it as "Authorization: Bearer YOUR_KEY".',
  );
}
