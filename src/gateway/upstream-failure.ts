import { isRecord } from '../shared/is-record.js';
import { GatewayError } from './gateway-error.js';

/** An upstream transport failure (undici's codes) as the gateway error the client sees. */
export function upstreamFailure(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const code = isRecord(error) && typeof error.code === 'string' ? error.code : '';
  if (code === 'UND_ERR_HEADERS_TIMEOUT')
    return new GatewayError(504, 'upstream_timeout', 'The upstream did not answer in time.');
  if (code === 'UND_ERR_BODY_TIMEOUT')
    return new GatewayError(504, 'upstream_stalled', 'The upstream stopped sending its response.');
  if (isRecord(error) && error.name === 'AbortError')
    return new GatewayError(499, 'client_aborted', 'The client closed the request.');
  return new GatewayError(502, 'upstream_unavailable', 'The upstream could not be reached.');
}
