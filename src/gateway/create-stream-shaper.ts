import type { ExchangeResponse } from '../log/exchange.js';
import {
  type ProxiedEndpoint,
  type ReasoningMode,
  summariseReasoning,
} from './shape-completion.js';

export interface StreamShaperOptions {
  endpoint: ProxiedEndpoint;
  reasoning: ReasoningMode;
  /** Output tokens (one per content delta) after which the stream is ended cleanly; null: none. */
  outputTokenBudget: number | null;
}

/**
 * One stage of the streaming path: server-sent events in, server-sent events out. It counts the
 * served tokens, withholds or summarises reasoning deltas, and, when the token budget runs out,
 * ends the stream the way the upstream would have (`finish_reason: length`, `stop_reason:
 * max_tokens`, `response.incomplete`) so SDKs see a complete, well-formed stream.
 */
export interface StreamShaper {
  /** Text in (any chunking); text out. Returns '' once the stream is finished. */
  push(text: string): string;
  /** Ends the stream with an error event (upstream stalled or failed mid-stream). */
  fail(message: string): string;
  /** True once the budget is spent or a terminal event has passed: stop reading the upstream. */
  readonly finished: boolean;
  readonly cut: boolean;
  /** What the exchange log keeps. */
  response(): ExchangeResponse;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

export function createStreamShaper({
  endpoint,
  reasoning,
  outputTokenBudget,
}: StreamShaperOptions): StreamShaper {
  let buffer = '';
  let finished = false;
  let cut = false;
  let outputTokens = 0;
  let reportedOutputTokens: number | null = null;
  let inputTokens = 0;
  let reasoningTokens = 0;
  let stopReason = 'unknown';
  const text: string[] = [];
  // OpenAI chat: identity of the last chunk, to forge a well-formed final chunk.
  let chunkIdentity: Record<string, unknown> = {};
  let responseId: unknown = null;
  // Anthropic: upstream block index → downstream index (withheld thinking blocks shift them).
  const blockIndex = new Map<number, number | null>();
  const summarised = new Map<number, number>();
  let nextBlock = 0;
  let openBlock: number | null = null;

  const frame = (event: string | null, data: unknown) =>
    `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

  const closing = (): string => {
    if (endpoint === 'chat.completions') {
      stopReason = 'length';
      return (
        frame(null, {
          ...chunkIdentity,
          choices: [{ index: 0, delta: {}, finish_reason: 'length' }],
        }) + frame(null, '[DONE]')
      );
    }
    if (endpoint === 'messages') {
      stopReason = 'max_tokens';
      let out = '';
      if (openBlock !== null)
        out += frame('content_block_stop', { type: 'content_block_stop', index: openBlock });
      out += frame('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: 'max_tokens', stop_sequence: null },
        usage: { output_tokens: outputTokens },
      });
      return out + frame('message_stop', { type: 'message_stop' });
    }
    stopReason = 'incomplete';
    return frame('response.incomplete', {
      type: 'response.incomplete',
      response: {
        id: responseId,
        object: 'response',
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
        output: [],
        usage: {
          input_tokens: inputTokens,
          output_tokens: outputTokens,
          total_tokens: inputTokens + outputTokens,
        },
      },
    });
  };

  const countDelta = (isReasoning: boolean) => {
    outputTokens += 1;
    if (isReasoning) reasoningTokens += 1;
  };

  /** Returns the event text to emit ('' to drop it). */
  const handle = (raw: string): string => {
    let event: string | null = null;
    let data = '';
    for (const line of raw.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(5).trimStart();
    }
    if (data === '[DONE]') {
      finished = true;
      return `${raw}\n\n`;
    }
    const value = parseData(data);
    if (!isRecord(value)) return `${raw}\n\n`;
    if (endpoint === 'chat.completions') return handleChat(raw, value);
    if (endpoint === 'messages') return handleMessages(raw, event, value);
    return handleResponses(raw, event, value);
  };

  const handleChat = (raw: string, value: Record<string, unknown>): string => {
    chunkIdentity = {
      id: value.id,
      object: value.object,
      created: value.created,
      model: value.model,
    };
    const usage = isRecord(value.usage) ? value.usage : null;
    if (usage) {
      if (typeof usage.prompt_tokens === 'number') inputTokens = usage.prompt_tokens;
      if (typeof usage.completion_tokens === 'number')
        reportedOutputTokens = usage.completion_tokens;
    }
    let modified = false;
    for (const choice of Array.isArray(value.choices) ? value.choices : []) {
      if (!isRecord(choice)) continue;
      if (typeof choice.finish_reason === 'string') stopReason = choice.finish_reason;
      const delta = isRecord(choice.delta) ? choice.delta : null;
      if (!delta) continue;
      if (typeof delta.content === 'string' && delta.content.length > 0) {
        text.push(delta.content);
        countDelta(false);
      } else if (Array.isArray(delta.tool_calls)) countDelta(false);
      for (const field of ['reasoning_content', 'reasoning'] as const) {
        const reasoningText = delta[field];
        if (typeof reasoningText !== 'string') continue;
        countDelta(true);
        if (reasoning === 'withhold') {
          delete delta[field];
          modified = true;
        } else if (reasoning === 'summarise') {
          const budget = Math.max(0, 200 - (summarised.get(-1) ?? 0));
          summarised.set(-1, (summarised.get(-1) ?? 0) + reasoningText.length);
          delta[field] = reasoningText.slice(0, budget);
          modified = true;
        }
      }
    }
    return modified ? frame(null, value) : `${raw}\n\n`;
  };

  const handleMessages = (
    raw: string,
    event: string | null,
    value: Record<string, unknown>,
  ): string => {
    const type = typeof value.type === 'string' ? value.type : event;
    if (type === 'message_start' && isRecord(value.message)) {
      const usage = isRecord(value.message.usage) ? value.message.usage : {};
      if (typeof usage.input_tokens === 'number') inputTokens = usage.input_tokens;
      return `${raw}\n\n`;
    }
    if (type === 'message_delta') {
      const delta = isRecord(value.delta) ? value.delta : {};
      if (typeof delta.stop_reason === 'string') stopReason = delta.stop_reason;
      const usage = isRecord(value.usage) ? value.usage : {};
      if (typeof usage.output_tokens === 'number') reportedOutputTokens = usage.output_tokens;
      return `${raw}\n\n`;
    }
    if (type === 'message_stop') {
      finished = true;
      return `${raw}\n\n`;
    }
    const index = typeof value.index === 'number' ? value.index : null;
    if (index === null) return `${raw}\n\n`;
    if (type === 'content_block_start') {
      const block = isRecord(value.content_block) ? value.content_block : {};
      const thinking = block.type === 'thinking' || block.type === 'redacted_thinking';
      if (thinking && reasoning === 'withhold') {
        blockIndex.set(index, null);
        return '';
      }
      blockIndex.set(index, nextBlock);
      openBlock = nextBlock;
      nextBlock += 1;
      if (thinking && reasoning === 'summarise') summarised.set(index, 0);
    }
    const downstream = blockIndex.get(index);
    if (downstream === null) {
      if (
        type === 'content_block_delta' &&
        isRecord(value.delta) &&
        typeof value.delta.thinking === 'string'
      )
        countDelta(true);
      return '';
    }
    if (type === 'content_block_stop') openBlock = null;
    if (type === 'content_block_delta' && isRecord(value.delta)) {
      const delta = value.delta;
      if (typeof delta.text === 'string') text.push(delta.text);
      const isThinking = typeof delta.thinking === 'string';
      if (delta.type !== 'signature_delta') countDelta(isThinking);
      const summarisedSoFar = summarised.get(index);
      if (isThinking && summarisedSoFar !== undefined) {
        const thinkingText = delta.thinking as string;
        summarised.set(index, summarisedSoFar + thinkingText.length);
        if (summarisedSoFar >= 200) return '';
        delta.thinking = summariseReasoning(thinkingText).slice(0, 200 - summarisedSoFar);
        value.index = downstream ?? index;
        return frame(event, value);
      }
      if (delta.type === 'signature_delta' && summarisedSoFar !== undefined) return '';
    }
    if (downstream === undefined || downstream === index) return `${raw}\n\n`;
    value.index = downstream;
    return frame(event, value);
  };

  const handleResponses = (
    raw: string,
    event: string | null,
    value: Record<string, unknown>,
  ): string => {
    const type = typeof value.type === 'string' ? value.type : (event ?? '');
    if (isRecord(value.response)) {
      responseId = value.response.id;
      const usage = isRecord(value.response.usage) ? value.response.usage : null;
      if (usage) {
        if (typeof usage.input_tokens === 'number') inputTokens = usage.input_tokens;
        if (typeof usage.output_tokens === 'number') reportedOutputTokens = usage.output_tokens;
      }
      if (typeof value.response.status === 'string') stopReason = value.response.status;
    }
    if (type === 'response.output_text.delta' && typeof value.delta === 'string') {
      text.push(value.delta);
      countDelta(false);
    } else if (type.startsWith('response.reasoning')) {
      if (type.endsWith('.delta')) countDelta(true);
      if (reasoning !== 'pass') return '';
    } else if (type === 'response.function_call_arguments.delta') countDelta(false);
    if (
      type === 'response.completed' ||
      type === 'response.incomplete' ||
      type === 'response.failed'
    ) {
      finished = true;
    }
    return `${raw}\n\n`;
  };

  return {
    push(chunk) {
      if (finished) return '';
      buffer += chunk.includes('\r') ? chunk.replace(/\r\n?/g, '\n') : chunk;
      let out = '';
      let boundary = buffer.indexOf('\n\n');
      while (boundary !== -1 && !finished) {
        const raw = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        if (raw.trim() !== '') out += handle(raw);
        if (!finished && outputTokenBudget !== null && outputTokens >= outputTokenBudget) {
          out += closing();
          finished = true;
          cut = true;
        }
        boundary = buffer.indexOf('\n\n');
      }
      return out;
    },
    fail(message) {
      if (finished) return '';
      finished = true;
      stopReason = 'upstream_error';
      if (endpoint === 'messages') {
        return frame('error', { type: 'error', error: { type: 'api_error', message } });
      }
      if (endpoint === 'responses') {
        return frame('error', {
          type: 'error',
          code: 'upstream_error',
          message,
          param: null,
          sequence_number: 0,
        });
      }
      return frame(null, {
        error: { message, type: 'server_error', param: null, code: 'upstream_stream_failed' },
      });
    },
    get finished() {
      return finished;
    },
    get cut() {
      return cut;
    },
    response() {
      const response: ExchangeResponse = {
        input_tokens: inputTokens,
        output_tokens: cut ? outputTokens : (reportedOutputTokens ?? outputTokens),
        stop_reason: stopReason,
      };
      if (text.length > 0) response.text = text.join('');
      if (reasoningTokens > 0) response.reasoning_tokens = reasoningTokens;
      return response;
    },
  };
}
