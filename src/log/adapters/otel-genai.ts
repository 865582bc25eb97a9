import type { Result } from '../../shared/distillguard-error.js';
import { isRecord } from '../../shared/is-record.js';
import type { Endpoint, Exchange, ExchangeRequest, Message } from '../exchange.js';
import {
  contentText,
  count,
  isoTimeFromNanos,
  jsonValue,
  missingBody,
  responseFrom,
  text,
  UNKNOWN_IP,
} from './adapter-fields.js';
import type { LogAdapter } from './log-adapter.js';

type Fields = Record<string, unknown>;
type Attributes = Map<string, unknown>;

/** An OTLP `AnyValue` as a plain value (`intValue` comes as a decimal string in OTLP JSON). */
function anyValue(value: unknown): unknown {
  if (!isRecord(value)) return undefined;
  if ('stringValue' in value) return value.stringValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('boolValue' in value) return value.boolValue;
  if ('arrayValue' in value) {
    const values = isRecord(value.arrayValue) ? value.arrayValue.values : undefined;
    return Array.isArray(values) ? values.map(anyValue) : [];
  }
  if ('kvlistValue' in value) {
    const values = isRecord(value.kvlistValue) ? value.kvlistValue.values : undefined;
    return Object.fromEntries(attributesOf(values));
  }
  return undefined;
}

function attributesOf(list: unknown, into: Attributes = new Map()): Attributes {
  if (!Array.isArray(list)) return into;
  for (const item of list) {
    if (isRecord(item) && typeof item.key === 'string') into.set(item.key, anyValue(item.value));
  }
  return into;
}

const isSpan = (value: unknown): boolean =>
  isRecord(value) && 'spanId' in value && 'traceId' in value && 'startTimeUnixNano' in value;

/**
 * OpenTelemetry spans in OTLP JSON (a collector's file exporter writes one
 * `ExportTraceServiceRequest` per line; a whole export is one document) that follow the GenAI
 * semantic conventions (`gen_ai.*`). Each inference span is one exchange; other spans (HTTP,
 * database, embeddings, tool calls) are none. Mapping and missing evidence:
 * docs/log-adapters.md#opentelemetry-genai.
 */
export const otelGenAiAdapter: LogAdapter = {
  name: 'otel',
  label: 'OpenTelemetry spans (OTLP JSON)',
  sniff: (value) => isSpan(value) || (isRecord(value) && Array.isArray(value.resourceSpans)),
  convert(value) {
    if (!isRecord(value)) return { success: false, error: 'not a JSON object' };
    if (isSpan(value)) return spanExchanges([[value, new Map()]]);
    const spans: [Fields, Attributes][] = [];
    for (const resourceSpans of Array.isArray(value.resourceSpans) ? value.resourceSpans : []) {
      if (!isRecord(resourceSpans)) continue;
      const resource = attributesOf(
        isRecord(resourceSpans.resource) ? resourceSpans.resource.attributes : undefined,
      );
      const scopes = resourceSpans.scopeSpans ?? resourceSpans.instrumentationLibrarySpans;
      for (const scope of Array.isArray(scopes) ? scopes : []) {
        if (!isRecord(scope) || !Array.isArray(scope.spans)) continue;
        for (const span of scope.spans) if (isSpan(span)) spans.push([span as Fields, resource]);
      }
    }
    return spanExchanges(spans);
  },
};

function spanExchanges(spans: [Fields, Attributes][]): Result<Exchange[], string> {
  const exchanges: Exchange[] = [];
  let firstError: string | undefined;
  for (const [span, resource] of spans) {
    const converted = spanExchange(span, resource);
    if (converted === undefined) continue;
    if (converted.success) exchanges.push(converted.value);
    else firstError ??= converted.error;
  }
  // A record whose every inference span failed is rejected; one good span keeps the record.
  if (exchanges.length === 0 && firstError) return { success: false, error: firstError };
  return { success: true, value: exchanges };
}

const ENDPOINT_OF_OPERATION: Record<string, Endpoint> = {
  chat: 'chat.completions',
  generate_content: 'chat.completions',
  text_completion: 'completions',
};

/** One span's exchange; undefined when the span is no model inference. */
function spanExchange(span: Fields, resource: Attributes): Result<Exchange, string> | undefined {
  const attributes = attributesOf(span.attributes, new Map(resource));
  const operation = text(attributes.get('gen_ai.operation.name'));
  const model =
    text(attributes.get('gen_ai.request.model')) ?? text(attributes.get('gen_ai.response.model'));
  if (operation === undefined && model === undefined) return undefined;
  if (operation !== undefined && !(operation in ENDPOINT_OF_OPERATION)) return undefined;
  const ts = isoTimeFromNanos(span.startTimeUnixNano);
  if (!ts) return { success: false, error: 'otel: `startTimeUnixNano` must be nanoseconds' };
  const account =
    text(attributes.get('user.id')) ??
    text(attributes.get('enduser.id')) ??
    text(attributes.get('gen_ai.user.id'));
  if (!account) {
    return {
      success: false,
      error: 'otel: no account (the span has no `user.id` or `enduser.id` attribute)',
    };
  }
  const provider =
    text(attributes.get('gen_ai.provider.name')) ?? text(attributes.get('gen_ai.system'));
  const endpoint =
    operation === 'chat' && provider === 'anthropic'
      ? 'messages'
      : (ENDPOINT_OF_OPERATION[operation ?? 'chat'] ?? 'chat.completions');
  const events = Array.isArray(span.events) ? span.events.filter(isRecord) : [];
  const exchange: Exchange = {
    id: `${text(span.traceId) ?? ''}:${text(span.spanId) ?? ''}`,
    ts,
    account_id: account,
    ip: text(attributes.get('client.address')) ?? UNKNOWN_IP,
    endpoint,
    model: model ?? 'unknown',
    request: requestOf(attributes, events),
    status: statusOf(span, attributes),
  };
  const agent = text(attributes.get('user_agent.original'));
  if (agent) exchange.user_agent = agent;
  const response = responseFrom(answerOf(attributes, events), {
    input:
      count(attributes.get('gen_ai.usage.input_tokens')) ??
      count(attributes.get('gen_ai.usage.prompt_tokens')),
    output:
      count(attributes.get('gen_ai.usage.output_tokens')) ??
      count(attributes.get('gen_ai.usage.completion_tokens')),
  });
  if (response) {
    const finish = attributes.get('gen_ai.response.finish_reasons');
    const reason = Array.isArray(finish) ? text(finish[0]) : text(finish);
    if (reason) response.stop_reason = reason;
    exchange.response = response;
  }
  const end = isoTimeFromNanos(span.endTimeUnixNano);
  if (end) exchange.latency_ms = Math.max(0, Date.parse(end) - Date.parse(ts));
  return { success: true, value: exchange };
}

function statusOf(span: Fields, attributes: Attributes): number {
  const status = isRecord(span.status) ? span.status.code : undefined;
  const failed = status === 2 || status === 'STATUS_CODE_ERROR' || attributes.has('error.type');
  if (!failed) return 200;
  const code = count(attributes.get('http.response.status_code'));
  return code !== undefined && code >= 400 ? code : 500;
}

/** `gen_ai.*.messages` (parts with `content`) to log-v1 messages (text content). */
function messagesFrom(value: unknown): Message[] {
  const parsed = jsonValue(value);
  if (!Array.isArray(parsed)) return [];
  const messages: Message[] = [];
  for (const item of parsed) {
    if (!isRecord(item) || typeof item.role !== 'string') continue;
    const content = contentText(item.parts) ?? contentText(item.content) ?? text(item.content);
    messages.push({ role: item.role, content: content ?? '' });
  }
  return messages;
}

/** Indexed attributes (`gen_ai.prompt.0.role`, `gen_ai.prompt.0.content`, …) as messages. */
function indexedMessages(attributes: Attributes, prefix: string): Message[] {
  const messages: Message[] = [];
  for (let index = 0; attributes.has(`${prefix}.${index}.content`); index += 1) {
    messages.push({
      role: text(attributes.get(`${prefix}.${index}.role`)) ?? 'user',
      content: text(attributes.get(`${prefix}.${index}.content`)) ?? '',
    });
  }
  return messages;
}

const EVENT_ROLES: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};

function requestOf(attributes: Attributes, events: Fields[]): ExchangeRequest {
  let messages = messagesFrom(attributes.get('gen_ai.input.messages'));
  if (messages.length === 0) messages = indexedMessages(attributes, 'gen_ai.prompt');
  if (messages.length === 0) {
    for (const event of events) {
      const eventAttributes = attributesOf(event.attributes);
      if (event.name === 'gen_ai.content.prompt') {
        const prompt = eventAttributes.get('gen_ai.prompt');
        const list = messagesFrom(prompt);
        messages.push(
          ...(list.length > 0 ? list : [{ role: 'user', content: String(prompt ?? '') }]),
        );
      }
      const role = EVENT_ROLES[String(event.name)];
      if (role) messages.push({ role, content: text(eventAttributes.get('content')) ?? '' });
    }
  }
  const request: ExchangeRequest = messages.length > 0 ? { messages } : missingBody();
  const instructions = messagesFrom(attributes.get('gen_ai.system_instructions'));
  const system = text(attributes.get('gen_ai.system_instructions'));
  if (instructions.length === 0 && system && !system.startsWith('[')) request.system = system;
  const maxTokens = count(attributes.get('gen_ai.request.max_tokens'));
  const temperature = count(attributes.get('gen_ai.request.temperature'));
  const topP = count(attributes.get('gen_ai.request.top_p'));
  if (maxTokens !== undefined) request.max_tokens = maxTokens;
  if (temperature !== undefined) request.temperature = temperature;
  if (topP !== undefined) request.top_p = topP;
  return request;
}

/** The answer's text, when the span recorded it, as a string `responseFrom` takes. */
function answerOf(attributes: Attributes, events: Fields[]): string | undefined {
  const output = messagesFrom(attributes.get('gen_ai.output.messages'));
  if (output.length > 0) return output.map((message) => message.content as string).join('');
  const indexed = indexedMessages(attributes, 'gen_ai.completion');
  if (indexed.length > 0) return indexed.map((message) => message.content as string).join('');
  for (const event of events) {
    const eventAttributes = attributesOf(event.attributes);
    if (event.name === 'gen_ai.content.completion') {
      const completion = eventAttributes.get('gen_ai.completion');
      const list = messagesFrom(completion);
      return list.length > 0 ? list.map((m) => m.content as string).join('') : text(completion);
    }
    if (event.name === 'gen_ai.choice') {
      const message = jsonValue(eventAttributes.get('message'));
      return isRecord(message)
        ? contentText(message.content)
        : text(eventAttributes.get('content'));
    }
  }
  return undefined;
}
