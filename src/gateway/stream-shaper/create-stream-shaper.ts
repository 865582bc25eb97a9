import type { ExchangeResponse } from '../../log/exchange.js';
import { isRecord } from '../../shared/is-record.js';
import type { TextWatermarkStage } from '../../watermark/index.js';
import type { ProxiedEndpoint, ReasoningMode } from '../shape-completion.js';
import { createAnthropicMessagesStage } from './anthropic-messages-stage.js';
import { createStreamTally } from './create-stream-tally.js';
import { createTextMarks } from './create-text-marks.js';
import type { DialectStage, DialectStageOptions } from './dialect-stage.js';
import { createOpenAiChatStage } from './openai-chat-stage.js';
import { createOpenAiCompletionsStage } from './openai-completions-stage.js';
import { createOpenAiResponsesStage } from './openai-responses-stage.js';
import { parseSseEvent } from './parse-sse-event.js';

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

const DIALECT_STAGES: Record<ProxiedEndpoint, (options: DialectStageOptions) => DialectStage> = {
  'chat.completions': createOpenAiChatStage,
  messages: createAnthropicMessagesStage,
  responses: createOpenAiResponsesStage,
  completions: createOpenAiCompletionsStage,
};

function parseData(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/**
 * Builds the stream shaper for one upstream answer: splits any chunking into SSE events (CRLF
 * normalised), hands each to the endpoint's dialect stage, and cuts the stream once the output
 * token budget is spent.
 *
 * @example
 * const shaper = createStreamShaper({ endpoint: 'messages', reasoning: 'withhold', outputTokenBudget: 100 });
 * socket.write(shaper.push(chunkText));
 */
export function createStreamShaper({
  endpoint,
  reasoning,
  outputTokenBudget,
  createWatermarkStage,
}: StreamShaperOptions): StreamShaper {
  const tally = createStreamTally();
  const marks = createTextMarks(createWatermarkStage, tally);
  const stage = DIALECT_STAGES[endpoint]({ reasoning, tally, marks });
  let buffer = '';
  let cut = false;

  /** Returns the event text to emit ('' to drop it). */
  const handle = (raw: string): string => {
    const { event, data } = parseSseEvent(raw);
    if (data === '[DONE]') {
      tally.finished = true;
      return stage.done(raw);
    }
    const value = parseData(data);
    if (!isRecord(value)) return `${raw}\n\n`;
    return stage.event(raw, event, value);
  };

  return {
    push(chunk) {
      if (tally.finished) return '';
      buffer += chunk.includes('\r') ? chunk.replace(/\r\n?/g, '\n') : chunk;
      let out = '';
      let boundary = buffer.indexOf('\n\n');
      while (boundary !== -1 && !tally.finished) {
        const raw = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        if (raw.trim() !== '') out += handle(raw);
        if (
          !tally.finished &&
          outputTokenBudget !== null &&
          tally.outputTokens >= outputTokenBudget
        ) {
          out += stage.close();
          tally.finished = true;
          cut = true;
        }
        boundary = buffer.indexOf('\n\n');
      }
      return out;
    },
    fail(message) {
      if (tally.finished) return '';
      tally.finished = true;
      tally.stopReason = 'upstream_error';
      return stage.fail(message);
    },
    get finished() {
      return tally.finished;
    },
    get cut() {
      return cut;
    },
    response: () => tally.response(cut),
  };
}
