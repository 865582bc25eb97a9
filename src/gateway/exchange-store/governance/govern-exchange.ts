import { createHash } from 'node:crypto';
import {
  createPromptAnalyzer,
  type PromptAnalyzer,
  toStoredPromptFeatures,
} from '../../../detect/prompt/index.js';
import type { Exchange, ExchangeRequest } from '../../../log/exchange.js';
import { isRecord } from '../../../shared/is-record.js';
import type { BodiesPolicy } from './governance-config.js';
import { createTextRedactor } from './redact-text.js';

// Request fields that are parameters, not text: kept when a body is dropped.
const PARAMETERS = [
  'model',
  'max_tokens',
  'max_completion_tokens',
  'max_output_tokens',
  'temperature',
  'top_p',
  'stream',
  'n',
  'seed',
] as const;
// Keys whose string values are structure, never user text: not walked by redaction.
const STRUCTURE = new Set(['role', 'type', 'model', 'id', 'tool_call_id', 'tool_use_id']);

/**
 * Whether an exchange keeps its full bodies under `sample_rate`: a keyed hash of the exchange id
 * (or account id) mapped to [0, 1), so the same exchange (or account) is decided the same way on
 * every gateway and every restart.
 */
export function keepsBodies(
  exchange: Exchange,
  { sample_rate: rate, sample_by: by }: Pick<BodiesPolicy, 'sample_rate' | 'sample_by'>,
): boolean {
  if (rate >= 1) return true;
  if (rate <= 0) return false;
  const key =
    by === 'account' ? `account\u0000${exchange.account_id}` : `exchange\u0000${exchange.id}`;
  const digest = createHash('sha256').update(key).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < rate;
}

/**
 * The exchange as the store keeps it under a bodies policy: sampled out, its request keeps only
 * parameters and the prompt's fingerprints (`x_body_dropped`, `x_prompt_features`) and its
 * response only counts; sampled in, its text is redacted by the rules. Metadata (account, key,
 * address, client fingerprints, time, model, status, enforcement) is always kept. Never mutates
 * its argument (the same record may go to the fleet's stream).
 *
 * @example
 * const govern = createExchangeGovernor({ sample_rate: 0, sample_by: 'exchange', redact: [], redact_patterns: [] });
 * sink.writeBatch(batch.map(govern));
 */
export function createExchangeGovernor(
  policy: BodiesPolicy,
  { promptAnalyzer = createPromptAnalyzer() }: { promptAnalyzer?: PromptAnalyzer } = {},
): (exchange: Exchange) => Exchange {
  const redact = createTextRedactor({ builtIns: policy.redact, patterns: policy.redact_patterns });
  const redacting = policy.redact.length > 0 || policy.redact_patterns.length > 0;
  const redactValue = (value: unknown): unknown => {
    if (typeof value === 'string') return redact(value);
    if (Array.isArray(value)) return value.map(redactValue);
    if (!isRecord(value)) return value;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] = STRUCTURE.has(key) ? item : redactValue(item);
    }
    return copy;
  };
  return (exchange) => {
    if (!keepsBodies(exchange, policy)) {
      const request: Record<string, unknown> = {};
      for (const field of PARAMETERS) {
        if (exchange.request[field] !== undefined) request[field] = exchange.request[field];
      }
      request.x_body_dropped = true;
      request.x_prompt_features = toStoredPromptFeatures(
        promptAnalyzer.analyze(exchange.request, exchange.endpoint),
      );
      const governed: Exchange = { ...exchange, request: request as ExchangeRequest };
      if (exchange.response) {
        const { text: _text, ...counts } = exchange.response;
        governed.response = counts;
      }
      if (exchange.truncated?.preview !== undefined) {
        const { preview: _preview, ...truncated } = exchange.truncated;
        governed.truncated = truncated;
      }
      return governed;
    }
    if (!redacting) return exchange;
    const governed: Exchange = {
      ...exchange,
      request: redactValue(exchange.request) as ExchangeRequest,
    };
    if (exchange.response?.text !== undefined) {
      governed.response = { ...exchange.response, text: redact(exchange.response.text) };
    }
    if (exchange.truncated?.preview !== undefined) {
      governed.truncated = { ...exchange.truncated, preview: redact(exchange.truncated.preview) };
    }
    return governed;
  };
}
