import type { Result } from '../../shared/distillguard-error.js';
import { isRecord } from '../../shared/is-record.js';
import type { Exchange, ExchangeRequest, Message } from '../exchange.js';
import {
  contentText,
  count,
  isoTime,
  jsonValue,
  missingBody,
  record,
  requestBody,
  responseFrom,
  text,
  UNKNOWN_IP,
} from './adapter-fields.js';
import type { LogAdapter } from './log-adapter.js';

type Fields = Record<string, unknown>;

const isObservation = (value: Fields) =>
  'traceId' in value && 'type' in value && 'startTime' in value;
const isTrace = (value: Fields) =>
  'timestamp' in value &&
  'userId' in value &&
  ('observations' in value || 'htmlPath' in value || 'sessionId' in value);

/**
 * Langfuse's export: traces (with their observations, as `GET /api/public/traces/{id}` or the
 * UI's export gives them) or observations (`GET /api/public/observations`). Each GENERATION is
 * one exchange; a trace without generations is one exchange of its own input and output; other
 * observations (spans, events) are no exchange. Mapping and missing evidence:
 * docs/log-adapters.md#langfuse.
 */
export const langfuseAdapter: LogAdapter = {
  name: 'langfuse',
  label: 'a Langfuse export',
  sniff: (value) => isRecord(value) && (isObservation(value) || isTrace(value)),
  convert(value) {
    if (!isRecord(value)) return { success: false, error: 'not a JSON object' };
    if (isObservation(value)) {
      if (value.type !== 'GENERATION') return { success: true, value: [] };
      return generation(value, undefined);
    }
    if (!isTrace(value))
      return { success: false, error: 'langfuse: neither a trace nor an observation' };
    const account = text(value.userId);
    if (!account) {
      return { success: false, error: 'langfuse: no account (the trace has no `userId`)' };
    }
    const generations = (Array.isArray(value.observations) ? value.observations : []).filter(
      (item): item is Fields => isRecord(item) && item.type === 'GENERATION',
    );
    if (generations.length === 0) return traceExchange(value, account);
    const exchanges: Exchange[] = [];
    for (const item of generations) {
      const converted = generation(item, account);
      if (!converted.success) return converted;
      exchanges.push(converted.value);
    }
    return { success: true, value: exchanges };
  },
};

function generation(value: Fields, traceAccount: string | undefined): Result<Exchange, string> {
  const id = text(value.id);
  if (!id)
    return { success: false, error: 'langfuse: observation `id` must be a non-empty string' };
  const ts = isoTime(value.startTime);
  if (!ts) return { success: false, error: 'langfuse: `startTime` must be a time' };
  const metadata = record(value.metadata) ?? {};
  const account =
    traceAccount ?? text(value.userId) ?? text(metadata.user_id) ?? text(metadata.userId);
  if (!account) {
    return {
      success: false,
      error:
        'langfuse: no account (an observation names no user: export traces with their observations)',
    };
  }
  const usage = record(value.usageDetails) ?? record(value.usage) ?? {};
  const exchange: Exchange = {
    id,
    ts,
    account_id: account,
    ip: UNKNOWN_IP,
    endpoint: 'chat.completions',
    model: text(value.model) ?? 'unknown',
    request: withParameters(requestOf(value.input), record(value.modelParameters)),
    status: value.level === 'ERROR' ? 500 : 200,
  };
  const response = responseFrom(answerOf(value.output), {
    input: count(usage.input) ?? count(value.promptTokens),
    output: count(usage.output) ?? count(value.completionTokens),
  });
  if (response) exchange.response = response;
  const end = Date.parse(isoTime(value.endTime) ?? '');
  if (Number.isFinite(end) && end >= Date.parse(ts)) exchange.latency_ms = end - Date.parse(ts);
  return { success: true, value: exchange };
}

function traceExchange(value: Fields, account: string): Result<Exchange, string> {
  const id = text(value.id);
  if (!id) return { success: false, error: 'langfuse: trace `id` must be a non-empty string' };
  const ts = isoTime(value.timestamp);
  if (!ts) return { success: false, error: 'langfuse: `timestamp` must be a time' };
  const exchange: Exchange = {
    id,
    ts,
    account_id: account,
    ip: UNKNOWN_IP,
    endpoint: 'chat.completions',
    model: 'unknown',
    request: requestOf(value.input),
    status: 200,
  };
  const response = responseFrom(answerOf(value.output));
  if (response) exchange.response = response;
  const latency = count(value.latency);
  // Langfuse reports a trace's latency in seconds.
  if (latency !== undefined) exchange.latency_ms = Math.round(latency * 1000);
  return { success: true, value: exchange };
}

/** A generation's input: a message list, a body with `messages`, or a bare prompt string. */
function requestOf(input: unknown): ExchangeRequest {
  const parsed = jsonValue(input);
  if (typeof parsed === 'string' && parsed !== '') {
    return { messages: [{ role: 'user', content: parsed }] };
  }
  return requestBody(parsed) ?? missingBody();
}

function withParameters(request: ExchangeRequest, parameters: Fields | undefined): ExchangeRequest {
  if (!parameters) return request;
  const result = { ...request };
  const maxTokens = count(parameters.max_tokens);
  const temperature = count(parameters.temperature);
  if (maxTokens !== undefined) result.max_tokens = maxTokens;
  if (temperature !== undefined) result.temperature = temperature;
  return result;
}

/** A generation's output as a body `responseFrom` reads: a message, a choice list or text. */
function answerOf(output: unknown): unknown {
  const parsed = jsonValue(output);
  if (isRecord(parsed) && 'role' in parsed && 'content' in parsed) {
    return contentText((parsed as Message).content) ?? '';
  }
  return parsed;
}
