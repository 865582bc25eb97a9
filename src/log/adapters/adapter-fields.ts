// Field readers shared by the log adapters: each foreign format spells times, numbers and
// bodies its own way, and every adapter must read them the same way.
import { createHash } from 'node:crypto';
import { isRecord } from '../../shared/is-record.js';
import type { Endpoint, ExchangeRequest, ExchangeResponse, Message } from '../exchange.js';

/**
 * The `ip` of an exchange whose log does not record the client address. The engine keys no
 * network evidence on it (`networkKeys`), so accounts are never linked by a shared "unknown".
 */
export const UNKNOWN_IP = 'unknown';

/** A non-empty string, or undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A finite number (numeric strings too: CSV-born exports quote them), or undefined. */
export function count(value: unknown): number | undefined {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/** JSON text parsed (exports often store bodies as strings), anything else as it is. */
export function jsonValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** A JSON object, from an object or from its JSON text. */
export function record(value: unknown): Record<string, unknown> | undefined {
  const parsed = jsonValue(value);
  return isRecord(parsed) ? parsed : undefined;
}

/**
 * A time as RFC 3339 UTC with milliseconds: ISO 8601 text (no zone means UTC, as Python's
 * `isoformat()` and most SQL exports write it; a space separator is accepted), or a number of
 * seconds or milliseconds since the epoch.
 */
export function isoTime(value: unknown): string | undefined {
  if (typeof value === 'number') {
    const date = new Date(value < 1e12 ? value * 1000 : value);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  if (typeof value !== 'string' || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return isoTime(Number(value));
  const zoned = /[Zz]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`;
  const date = new Date(zoned.replace(' ', 'T'));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** A time given in nanoseconds since the epoch (OTLP's `*UnixNano`, a decimal string). */
export function isoTimeFromNanos(value: unknown): string | undefined {
  const digits = typeof value === 'number' ? String(Math.trunc(value)) : value;
  if (typeof digits !== 'string' || !/^\d{10,}$/.test(digits)) return undefined;
  const date = new Date(Number(BigInt(digits) / 1_000_000n));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * An id for a record that has none: a hash of the record itself, so the same record read twice
 * gets the same id (and is dropped as a duplicate) while distinct records never collide.
 */
export function contentId(prefix: string, value: unknown): string {
  return `${prefix}-${createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 24)}`;
}

/** The log-v1 endpoint of an API path (`/v1/chat/completions` → `chat.completions`). */
export function endpointFromPath(path: unknown): Endpoint | undefined {
  if (typeof path !== 'string') return undefined;
  if (/chat\/completions/.test(path)) return 'chat.completions';
  if (/\/messages(\?|$|\/)/.test(path) && !/count_tokens/.test(path)) return 'messages';
  if (/\/responses(\?|$|\/)/.test(path)) return 'responses';
  if (/\/completions(\?|$)/.test(path)) return 'completions';
  return undefined;
}

/**
 * The request body a client sent, when a log kept it: an OpenAI or Anthropic body as an object
 * or as JSON text, or a bare message array (LiteLLM's `messages` column). Undefined when the
 * log holds no body.
 */
export function requestBody(value: unknown): ExchangeRequest | undefined {
  const parsed = jsonValue(value);
  if (Array.isArray(parsed)) {
    return parsed.length > 0 ? { messages: parsed.filter(isMessage) } : undefined;
  }
  if (!isRecord(parsed)) return undefined;
  if ('messages' in parsed || 'prompt' in parsed || 'input' in parsed || 'system' in parsed) {
    return parsed as ExchangeRequest;
  }
  return undefined;
}

function isMessage(value: unknown): value is Message {
  return isRecord(value) && typeof value.role === 'string';
}

/** Text of a content value: a string, or the `text` of its parts. */
export function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const parts: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') parts.push(part);
    else if (isRecord(part)) {
      const value = part.text ?? part.content;
      if (typeof value === 'string') parts.push(value);
    }
  }
  return parts.length > 0 ? parts.join('') : undefined;
}

/** Token counts a log gives beside the body (any of them may be absent). */
export interface UsageCounts {
  input?: number | undefined;
  output?: number | undefined;
  reasoning?: number | undefined;
}

/**
 * The log-v1 `response` of a served body (OpenAI chat, legacy completions or responses;
 * Anthropic messages), or of counts alone. Undefined when neither is known.
 */
export function responseFrom(
  body: unknown,
  counts: UsageCounts = {},
): ExchangeResponse | undefined {
  const parsed = record(body);
  let answer: string | undefined;
  let stop: string | undefined;
  const usage = record(parsed?.usage);
  if (parsed) {
    const choice = Array.isArray(parsed.choices) ? record(parsed.choices[0]) : undefined;
    if (choice) {
      answer = contentText(record(choice.message)?.content) ?? text(choice.text);
      stop = text(choice.finish_reason);
    } else if (Array.isArray(parsed.content)) {
      answer = contentText(parsed.content);
      stop = text(parsed.stop_reason);
    } else if (Array.isArray(parsed.output)) {
      answer =
        text(parsed.output_text) ??
        parsed.output.map((item) => contentText(record(item)?.content) ?? '').join('');
      stop = text(parsed.status);
    }
  } else if (typeof body === 'string' && body !== '') {
    answer = body;
  }
  const input = counts.input ?? count(usage?.prompt_tokens) ?? count(usage?.input_tokens);
  const output = counts.output ?? count(usage?.completion_tokens) ?? count(usage?.output_tokens);
  const reasoning =
    counts.reasoning ??
    count(record(usage?.completion_tokens_details)?.reasoning_tokens) ??
    count(record(usage?.output_tokens_details)?.reasoning_tokens);
  if (answer === undefined && input === undefined && output === undefined) return undefined;
  const response: ExchangeResponse = {
    input_tokens: input ?? 0,
    output_tokens: output ?? 0,
    stop_reason: stop ?? 'unknown',
  };
  if (answer !== undefined) response.text = answer;
  if (reasoning !== undefined) response.reasoning_tokens = reasoning;
  return response;
}

/** An empty request: the log kept no body (`x_body_missing` tells a reader why it is empty). */
export function missingBody(): ExchangeRequest {
  return { messages: [], x_body_missing: true };
}
