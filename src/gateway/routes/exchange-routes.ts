import type { ExchangeOperation } from '../../log/exchange.js';
import type { Dialect } from '../gateway-error.js';
import type { ProxiedEndpoint } from '../shape-completion.js';

/** A path whose request is one exchange: authenticated, scored, forwarded, recorded. */
export interface ExchangeRoute {
  /** The log-v1 `endpoint` it is recorded under. */
  endpoint: ProxiedEndpoint;
  /** Set for routes that generate no text (recorded as the `operation` extension). */
  operation?: ExchangeOperation;
  dialect: Dialect;
}

/**
 * The exchange routes by exact path. Embeddings are recorded as `completions` (an OpenAI prompt
 * in, no chat structure) and count_tokens as `messages` (its body is a Messages body), each with
 * its `operation`, so readers that predate the extension still read the prompt.
 */
export const EXCHANGE_ROUTES: ReadonlyMap<string, ExchangeRoute> = new Map<string, ExchangeRoute>([
  ['/v1/chat/completions', { endpoint: 'chat.completions', dialect: 'openai' }],
  ['/v1/responses', { endpoint: 'responses', dialect: 'openai' }],
  ['/v1/messages', { endpoint: 'messages', dialect: 'anthropic' }],
  ['/v1/completions', { endpoint: 'completions', dialect: 'openai' }],
  ['/v1/embeddings', { endpoint: 'completions', operation: 'embeddings', dialect: 'openai' }],
  [
    '/v1/messages/count_tokens',
    { endpoint: 'messages', operation: 'count_tokens', dialect: 'anthropic' },
  ],
]);

/** The batch routes' path prefixes (files, OpenAI batches, Anthropic message batches). */
export const isBatchPath = (path: string): boolean =>
  path === '/v1/files' ||
  path.startsWith('/v1/files/') ||
  path === '/v1/batches' ||
  path.startsWith('/v1/batches/') ||
  path === '/v1/messages/batches' ||
  path.startsWith('/v1/messages/batches/');
