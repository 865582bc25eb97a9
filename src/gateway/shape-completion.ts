import type { ExchangeResponse } from '../log/exchange.js';
import { isRecord } from '../shared/is-record.js';
import type { TextWatermarkStage } from '../watermark/index.js';

export type ProxiedEndpoint = 'chat.completions' | 'messages' | 'responses' | 'completions';
export type ReasoningMode = 'pass' | 'withhold' | 'summarise';

const SUMMARY_CHARS = 200;

/** The first sentences of a reasoning trace, marked as summarised (degrade step). */
export function summariseReasoning(text: string): string {
  if (text.length <= SUMMARY_CHARS) return text;
  return `${text.slice(0, SUMMARY_CHARS).trimEnd()} … [reasoning summarised by the provider]`;
}

const numberOr = (value: unknown, fallback: number) =>
  typeof value === 'number' ? value : fallback;

/**
 * Reads the served text and usage from a non-streamed upstream body and, when degrading,
 * withholds or summarises its reasoning content in place, and watermarks its answer text in place
 * when given a stage factory (one fresh stage per text; reasoning and tool calls stay unmarked).
 * Returns what the exchange log keeps: the served text.
 */
export function shapeCompletion(
  body: unknown,
  endpoint: ProxiedEndpoint,
  reasoning: ReasoningMode,
  createWatermarkStage?: () => TextWatermarkStage,
): ExchangeResponse {
  const response: ExchangeResponse = { input_tokens: 0, output_tokens: 0, stop_reason: 'unknown' };
  if (!isRecord(body)) return response;
  if (createWatermarkStage) watermarkBody(body, endpoint, createWatermarkStage);
  const usage = isRecord(body.usage) ? body.usage : {};
  if (endpoint === 'chat.completions') {
    const choice = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : {};
    const message = isRecord(choice.message) ? choice.message : {};
    if (typeof message.content === 'string') response.text = message.content;
    response.stop_reason =
      typeof choice.finish_reason === 'string' ? choice.finish_reason : 'unknown';
    response.input_tokens = numberOr(usage.prompt_tokens, 0);
    response.output_tokens = numberOr(usage.completion_tokens, 0);
    const details = isRecord(usage.completion_tokens_details)
      ? usage.completion_tokens_details
      : {};
    if (typeof details.reasoning_tokens === 'number')
      response.reasoning_tokens = details.reasoning_tokens;
    if (reasoning !== 'pass' && Array.isArray(body.choices)) {
      for (const each of body.choices) {
        if (!isRecord(each) || !isRecord(each.message)) continue;
        for (const field of ['reasoning_content', 'reasoning'] as const) {
          const value = each.message[field];
          if (value === undefined) continue;
          if (reasoning === 'summarise' && typeof value === 'string')
            each.message[field] = summariseReasoning(value);
          else delete each.message[field];
        }
      }
    }
    return response;
  }
  if (endpoint === 'completions') {
    const choice = Array.isArray(body.choices) && isRecord(body.choices[0]) ? body.choices[0] : {};
    if (typeof choice.text === 'string') response.text = choice.text;
    response.stop_reason =
      typeof choice.finish_reason === 'string' ? choice.finish_reason : 'unknown';
    response.input_tokens = numberOr(usage.prompt_tokens, 0);
    response.output_tokens = numberOr(usage.completion_tokens, 0);
    return response;
  }
  if (endpoint === 'messages') {
    const content = Array.isArray(body.content) ? body.content : [];
    const texts: string[] = [];
    const kept: unknown[] = [];
    for (const block of content) {
      if (!isRecord(block)) continue;
      if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
      if (block.type === 'thinking' || block.type === 'redacted_thinking') {
        if (reasoning === 'withhold') continue;
        if (reasoning === 'summarise' && typeof block.thinking === 'string') {
          kept.push({ ...block, thinking: summariseReasoning(block.thinking) });
          continue;
        }
      }
      kept.push(block);
    }
    if (reasoning !== 'pass') body.content = kept;
    if (texts.length > 0) response.text = texts.join('');
    response.stop_reason = typeof body.stop_reason === 'string' ? body.stop_reason : 'unknown';
    response.input_tokens = numberOr(usage.input_tokens, 0);
    response.output_tokens = numberOr(usage.output_tokens, 0);
    return response;
  }
  const output = Array.isArray(body.output) ? body.output : [];
  const texts: string[] = [];
  const kept: unknown[] = [];
  for (const item of output) {
    if (!isRecord(item)) continue;
    if (item.type === 'reasoning' && reasoning === 'withhold') continue;
    if (item.type === 'message' && Array.isArray(item.content)) {
      for (const part of item.content) {
        if (isRecord(part) && part.type === 'output_text' && typeof part.text === 'string')
          texts.push(part.text);
      }
    }
    kept.push(item);
  }
  if (reasoning === 'withhold') body.output = kept;
  if (texts.length > 0) response.text = texts.join('');
  response.stop_reason = typeof body.status === 'string' ? body.status : 'unknown';
  response.input_tokens = numberOr(usage.input_tokens, 0);
  response.output_tokens = numberOr(usage.output_tokens, 0);
  const details = isRecord(usage.output_tokens_details) ? usage.output_tokens_details : {};
  if (typeof details.reasoning_tokens === 'number')
    response.reasoning_tokens = details.reasoning_tokens;
  return response;
}

/** Rewrites every answer text of a completion body through its own watermark stage. */
function watermarkBody(
  body: Record<string, unknown>,
  endpoint: ProxiedEndpoint,
  createStage: () => TextWatermarkStage,
): void {
  const mark = (text: string) => {
    const stage = createStage();
    return stage.push(text) + stage.flush();
  };
  if (endpoint === 'chat.completions') {
    for (const choice of Array.isArray(body.choices) ? body.choices : []) {
      if (
        isRecord(choice) &&
        isRecord(choice.message) &&
        typeof choice.message.content === 'string'
      )
        choice.message.content = mark(choice.message.content);
    }
  } else if (endpoint === 'completions') {
    for (const choice of Array.isArray(body.choices) ? body.choices : [])
      if (isRecord(choice) && typeof choice.text === 'string') choice.text = mark(choice.text);
  } else if (endpoint === 'messages') {
    for (const block of Array.isArray(body.content) ? body.content : []) {
      if (isRecord(block) && block.type === 'text' && typeof block.text === 'string')
        block.text = mark(block.text);
    }
  } else {
    for (const item of Array.isArray(body.output) ? body.output : []) {
      if (!isRecord(item) || item.type !== 'message' || !Array.isArray(item.content)) continue;
      for (const part of item.content) {
        if (isRecord(part) && part.type === 'output_text' && typeof part.text === 'string')
          part.text = mark(part.text);
      }
    }
    // `output_text` is an SDK convenience some upstreams also send: keep it consistent.
    if (typeof body.output_text === 'string') body.output_text = mark(body.output_text);
  }
}
