import type { BufferedResponse } from '../../buffered-response.js';
import { type Dialect, GatewayError } from '../../gateway-error.js';
import type { UpstreamClient, UpstreamResponse } from '../../upstream-client.js';
import { upstreamFailure } from '../../upstream-failure.js';

/** An upstream answer read whole: its status, content type, text, and JSON when it is JSON. */
export interface ReadAnswer {
  status: number;
  contentType: string;
  text: string;
  json: unknown;
  upstream?: string | undefined;
}

/**
 * Reads a whole upstream answer for the batch routes (files, batch objects, results). The
 * upstream refusing the gateway's own key becomes a 502 that names no key; the text is passed
 * through the client's `redact` so an echoed key never reaches a client.
 */
export async function readUpstreamAnswer(
  upstream: UpstreamClient,
  response: UpstreamResponse,
): Promise<ReadAnswer> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw upstreamFailure(error);
  }
  if (response.status === 401 || response.status === 403)
    throw new GatewayError(
      502,
      'upstream_auth_failed',
      'The gateway could not authenticate to the upstream; this is not about your API key.',
    );
  text = upstream.redact?.(text) ?? text;
  const contentType = response.headers['content-type'] ?? 'application/json';
  let json: unknown;
  if (contentType.includes('json') && !contentType.includes('jsonl'))
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  return { status: response.status, contentType, text, json, upstream: response.upstream };
}

/** The answer as the client's reply: the upstream's status and body (or `body` if rewritten). */
export function relayAnswer(
  answer: ReadAnswer,
  dialect: Dialect,
  headers: Record<string, string>,
  body?: unknown,
): BufferedResponse {
  if (answer.status >= 400 && answer.json === undefined) {
    const code = answer.status >= 500 ? 'upstream_error' : 'upstream_rejected';
    return new GatewayError(answer.status, code, `The upstream answered ${answer.status}.`).toParts(
      dialect,
      headers,
    );
  }
  return {
    status: answer.status,
    headers: { ...headers, 'content-type': answer.contentType },
    body: body === undefined ? answer.text : JSON.stringify(body),
  };
}
