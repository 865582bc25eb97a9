import { isRecord } from '../shared/is-record.js';
import { GatewayError } from './gateway-error.js';
import { upstreamFailure } from './upstream-failure.js';

/**
 * Any error thrown on the request path as a `GatewayError`: its own, a client abort, an upstream
 * failure, or (a bug) a 500 whose stack goes to stderr and never to the client.
 */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (isRecord(error) && (error.name === 'AbortError' || error.code === 'UND_ERR_ABORTED')) {
    return new GatewayError(499, 'client_aborted', 'The client closed the request.');
  }
  if (isRecord(error) && typeof error.code === 'string' && error.code.startsWith('UND_ERR'))
    return upstreamFailure(error);
  process.stderr.write(
    `gateway: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  return new GatewayError(500, 'internal_error', 'The gateway failed to handle the request.');
}
