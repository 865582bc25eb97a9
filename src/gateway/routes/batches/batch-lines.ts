import type { ExchangeOperation, ExchangeRequest } from '../../../log/exchange.js';
import { isRecord } from '../../../shared/is-record.js';
import type { ProxiedEndpoint } from '../../shape-completion.js';
import { EXCHANGE_ROUTES } from '../exchange-routes.js';

/** One line of a batch, as the engine scores it. */
export interface BatchLine {
  customId: string;
  endpoint: ProxiedEndpoint;
  operation?: ExchangeOperation;
  body: ExchangeRequest;
}

/** A batch's lines, or why it cannot be read (a 400 for the client). */
export type BatchLinesResult =
  | { success: true; lines: BatchLine[] }
  | { success: false; code: string; message: string };

/** Lines past this are refused (OpenAI's and Anthropic's own limit per batch). */
export const MAX_BATCH_LINES = 100_000;

const fail = (code: string, message: string): BatchLinesResult => ({
  success: false,
  code,
  message,
});

/**
 * Reads an OpenAI batch input file (JSON Lines of `{ custom_id, method, url, body }`). Every
 * line must name a route the gateway scores (chat, responses, completions, embeddings), so no
 * line reaches the upstream unscored.
 */
export function parseOpenAiBatchFile(text: string, batchEndpoint: string): BatchLinesResult {
  const lines: BatchLine[] = [];
  const rows = text.split('\n');
  for (let index = 0; index < rows.length; index += 1) {
    const row = (rows[index] as string).trim();
    if (row === '') continue;
    if (lines.length >= MAX_BATCH_LINES)
      return fail('batch_too_large', `A batch holds at most ${MAX_BATCH_LINES} lines.`);
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch {
      return fail('invalid_batch_line', `Line ${index + 1} of the input file is not JSON.`);
    }
    if (!isRecord(value) || typeof value.custom_id !== 'string' || !isRecord(value.body))
      return fail(
        'invalid_batch_line',
        `Line ${index + 1} needs a string custom_id and an object body.`,
      );
    const url = typeof value.url === 'string' ? value.url : batchEndpoint;
    const route = EXCHANGE_ROUTES.get(url);
    if (route?.dialect !== 'openai' || url !== batchEndpoint)
      return fail(
        'invalid_batch_line',
        `Line ${index + 1}: url ${url} must be the batch's endpoint (${batchEndpoint}), one of /v1/chat/completions, /v1/responses, /v1/completions, /v1/embeddings.`,
      );
    lines.push({
      customId: value.custom_id,
      endpoint: route.endpoint,
      ...(route.operation ? { operation: route.operation } : {}),
      body: value.body as ExchangeRequest,
    });
  }
  if (lines.length === 0) return fail('invalid_batch_line', 'The input file has no lines.');
  return { success: true, lines };
}

/** Reads an Anthropic message batch body (`{ requests: [{ custom_id, params }] }`). */
export function parseAnthropicBatch(body: ExchangeRequest): BatchLinesResult {
  const requests = body.requests;
  if (!Array.isArray(requests) || requests.length === 0)
    return fail('invalid_request', '`requests` must be a non-empty array.');
  if (requests.length > MAX_BATCH_LINES)
    return fail('batch_too_large', `A batch holds at most ${MAX_BATCH_LINES} requests.`);
  const lines: BatchLine[] = [];
  for (const [index, request] of requests.entries()) {
    if (!isRecord(request) || typeof request.custom_id !== 'string' || !isRecord(request.params))
      return fail(
        'invalid_request',
        `requests.${index}: needs a string custom_id and an object params.`,
      );
    lines.push({
      customId: request.custom_id,
      endpoint: 'messages',
      body: request.params as ExchangeRequest,
    });
  }
  return { success: true, lines };
}
