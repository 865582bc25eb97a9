import type { ExchangeResponse } from '../../log/exchange.js';
import { isRecord } from '../../shared/is-record.js';
import type { TextWatermarkStage } from '../../watermark/index.js';
import {
  type ProxiedEndpoint,
  type ReasoningMode,
  summariseReasoning,
} from '../shape-completion.js';

export interface StreamShaperOptions {
  endpoint: ProxiedEndpoint;
  reasoning: ReasoningMode;
  /** Output tokens (one per content delta) after which the stream is ended cleanly; null: none. */
  outputTokenBudget: number | null;
  /**
   * Makes a text watermark stage for one served text (a chat choice, an Anthropic text block, a
   * responses output part); absent: the text passes unchanged. Only answer text is marked, never
   * reasoning, tool-call arguments or JSON.
   */
  createWatermarkStage?: (() => TextWatermarkStage) | undefined;
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
  createWatermarkStage,
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
  // Watermark stages by served text (choice, block or output part). A stage holds back the last
  // word of each delta until the whitespace after it arrives, so its tail is flushed as one more
  // delta just before the text ends (finish chunk, block stop, `.done` event, budget cut).
  const stages = new Map<string, TextWatermarkStage>();
  const servedTexts = new Map<string, string>();
  const mark = (id: string, piece: string): string => {
    if (!createWatermarkStage) return piece;
    let stage = stages.get(id);
    if (!stage) {
      stage = createWatermarkStage();
      stages.set(id, stage);
    }
    const out = stage.push(piece);
    servedTexts.set(id, (servedTexts.get(id) ?? '') + out);
    return out;
  };
  const flushMark = (id: string): string => {
    const stage = stages.get(id);
    if (!stage) return '';
    stages.delete(id);
    const tail = stage.flush();
    if (tail) {
      servedTexts.set(id, (servedTexts.get(id) ?? '') + tail);
      text.push(tail);
    }
    return tail;
  };
  /** Chat: the held-back tails of choices whose stream ends without a finish chunk. */
  const flushChatTails = (): string => {
    let out = '';
    for (const id of [...stages.keys()]) {
      const tail = flushMark(id);
      if (!tail) continue;
      out += frame(null, {
        ...chunkIdentity,
        choices: [{ index: Number(id.slice(1)), delta: { content: tail }, finish_reason: null }],
      });
    }
    return out;
  };
  const textDeltaFrame = (downstream: number, tail: string) =>
    frame('content_block_delta', {
      type: 'content_block_delta',
      index: downstream,
      delta: { type: 'text_delta', text: tail },
    });

  const frame = (event: string | null, data: unknown) =>
    `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

  const closing = (): string => {
    if (endpoint === 'chat.completions') {
      stopReason = 'length';
      return (
        flushChatTails() +
        frame(null, {
          ...chunkIdentity,
          choices: [{ index: 0, delta: {}, finish_reason: 'length' }],
        }) +
        frame(null, '[DONE]')
      );
    }
    if (endpoint === 'messages') {
      stopReason = 'max_tokens';
      let out = '';
      if (openBlock !== null) {
        const tail = flushMark(`b${openBlock}`);
        if (tail) out += textDeltaFrame(openBlock, tail);
        out += frame('content_block_stop', { type: 'content_block_stop', index: openBlock });
      }
      out += frame('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: 'max_tokens', stop_sequence: null },
        usage: { output_tokens: outputTokens },
      });
      return out + frame('message_stop', { type: 'message_stop' });
    }
    stopReason = 'incomplete';
    return (
      flushResponsesTails() +
      frame('response.incomplete', {
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
      })
    );
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
      return `${endpoint === 'chat.completions' ? flushChatTails() : ''}${raw}\n\n`;
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
      const choiceId = `c${typeof choice.index === 'number' ? choice.index : 0}`;
      if (typeof delta.content === 'string' && delta.content.length > 0) {
        countDelta(false);
        const served = mark(choiceId, delta.content);
        if (served !== delta.content) {
          delta.content = served;
          modified = true;
        }
        text.push(served);
      } else if (Array.isArray(delta.tool_calls)) countDelta(false);
      if (typeof choice.finish_reason === 'string' && stages.has(choiceId)) {
        const tail = flushMark(choiceId);
        if (tail) {
          delta.content = (typeof delta.content === 'string' ? delta.content : '') + tail;
          modified = true;
        }
      }
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
    let prefix = '';
    if (type === 'content_block_stop') {
      openBlock = null;
      const tail = flushMark(`b${downstream ?? index}`);
      if (tail) prefix = textDeltaFrame(downstream ?? index, tail);
    }
    if (type === 'content_block_delta' && isRecord(value.delta)) {
      const delta = value.delta;
      if (typeof delta.text === 'string') {
        if (createWatermarkStage) {
          const served = mark(`b${downstream ?? index}`, delta.text);
          delta.text = served;
          value.index = downstream ?? index;
          text.push(served);
          countDelta(false);
          return frame(event, value);
        }
        text.push(delta.text);
      }
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
    if (downstream === undefined || downstream === index) return `${prefix}${raw}\n\n`;
    value.index = downstream;
    return prefix + frame(event, value);
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
      countDelta(false);
      if (createWatermarkStage) {
        const served = mark(partId(value), value.delta);
        value.delta = served;
        text.push(served);
        return frame(event, value);
      }
      text.push(value.delta);
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
    if (createWatermarkStage && servedTexts.size > 0)
      return rewriteResponsesDone(raw, type, event, value);
    return `${raw}\n\n`;
  };

  const partId = (value: Record<string, unknown>) =>
    `p${Number(value.output_index ?? 0)}:${Number(value.content_index ?? 0)}`;

  /** A delta event carrying a part's held-back tail, placed before the event that ends it. */
  const tailDelta = (id: string, like: Record<string, unknown>): string => {
    const tail = flushMark(id);
    if (!tail) return '';
    const [outputIndex, contentIndex] = id.slice(1).split(':').map(Number);
    return frame('response.output_text.delta', {
      type: 'response.output_text.delta',
      sequence_number: like.sequence_number ?? 0,
      item_id: like.item_id ?? null,
      output_index: outputIndex,
      content_index: contentIndex,
      delta: tail,
      logprobs: [],
    });
  };
  const flushResponsesTails = (): string => {
    let out = '';
    for (const id of [...stages.keys()]) out += tailDelta(id, {});
    return out;
  };

  /** The `.done` and final events repeat the whole text: they must carry the served one. */
  const rewriteResponsesDone = (
    raw: string,
    type: string,
    event: string | null,
    value: Record<string, unknown>,
  ): string => {
    let prefix = '';
    const served = (outputIndex: unknown, contentIndex: unknown) =>
      servedTexts.get(`p${Number(outputIndex ?? 0)}:${Number(contentIndex ?? 0)}`);
    const rewriteItem = (item: unknown, outputIndex: unknown) => {
      if (!isRecord(item) || !Array.isArray(item.content)) return;
      item.content.forEach((part: unknown, contentIndex) => {
        const text = served(outputIndex, contentIndex);
        if (isRecord(part) && part.type === 'output_text' && text !== undefined) part.text = text;
      });
    };
    if (type === 'response.output_text.done') {
      const id = partId(value);
      prefix = tailDelta(id, value);
      const text = servedTexts.get(id);
      if (text !== undefined) value.text = text;
    } else if (type === 'response.content_part.done' && isRecord(value.part)) {
      prefix = tailDelta(partId(value), value);
      const text = served(value.output_index, value.content_index);
      if (value.part.type === 'output_text' && text !== undefined) value.part.text = text;
    } else if (type === 'response.output_item.done') {
      for (const id of [...stages.keys()])
        if (id.startsWith(`p${Number(value.output_index ?? 0)}:`)) prefix += tailDelta(id, value);
      rewriteItem(value.item, value.output_index);
    } else if (finished && isRecord(value.response) && Array.isArray(value.response.output)) {
      prefix = flushResponsesTails();
      value.response.output.forEach((item: unknown, outputIndex) => {
        rewriteItem(item, outputIndex);
      });
    } else return `${raw}\n\n`;
    return prefix + frame(event, value);
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
