import type { ExchangeRequest } from '../log/exchange.js';
import type { ProxiedEndpoint } from './shape-completion.js';

/**
 * Writes the output cap into whichever max-tokens field the endpoint uses (never raising a
 * smaller cap the client asked for).
 *
 * @example
 * capOutputTokens({ model: 'm', max_tokens: 4096 }, 'messages', 256); // max_tokens: 256
 */
export function capOutputTokens(
  body: ExchangeRequest,
  endpoint: ProxiedEndpoint,
  cap: number,
): ExchangeRequest {
  const limit = Math.max(1, Math.floor(cap));
  const capped: ExchangeRequest = { ...body };
  const lower = (value: unknown) => (typeof value === 'number' ? Math.min(value, limit) : limit);
  if (endpoint === 'responses') capped.max_output_tokens = lower(body.max_output_tokens);
  else if (endpoint === 'chat.completions' && body.max_completion_tokens !== undefined)
    capped.max_completion_tokens = lower(body.max_completion_tokens);
  else capped.max_tokens = lower(body.max_tokens);
  return capped;
}
