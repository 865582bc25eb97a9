import { isRecord } from '../../shared/is-record.js';
import type { DialectStage, DialectStageOptions } from './dialect-stage.js';
import { formatSseFrame as frame } from './format-sse-frame.js';

// Summarised reasoning keeps this many characters per stream.
const SUMMARY_LIMIT = 200;

/**
 * OpenAI chat completions (`chat.completion.chunk` events, ended by `data: [DONE]`): counts
 * content and tool-call deltas, withholds or trims `reasoning_content`/`reasoning`, watermarks
 * each choice's content, and ends a cut stream with `finish_reason: length` and `[DONE]`.
 */
export function createOpenAiChatStage({
  reasoning,
  tally,
  marks,
}: DialectStageOptions): DialectStage {
  // The identity of the last chunk, to forge well-formed chunks of our own.
  let chunkIdentity: Record<string, unknown> = {};
  let summarised = 0;

  /** The held-back tails of choices whose stream ends without a finish chunk. */
  const flushTails = (): string => {
    let out = '';
    for (const id of marks.pending()) {
      const tail = marks.flush(id);
      if (!tail) continue;
      out += frame(null, {
        ...chunkIdentity,
        choices: [{ index: Number(id.slice(1)), delta: { content: tail }, finish_reason: null }],
      });
    }
    return out;
  };

  return {
    event(raw, _event, value) {
      chunkIdentity = {
        id: value.id,
        object: value.object,
        created: value.created,
        model: value.model,
      };
      const usage = isRecord(value.usage) ? value.usage : null;
      if (usage) {
        if (typeof usage.prompt_tokens === 'number') tally.inputTokens = usage.prompt_tokens;
        if (typeof usage.completion_tokens === 'number')
          tally.reportedOutputTokens = usage.completion_tokens;
      }
      let modified = false;
      for (const choice of Array.isArray(value.choices) ? value.choices : []) {
        if (!isRecord(choice)) continue;
        if (typeof choice.finish_reason === 'string') tally.stopReason = choice.finish_reason;
        const delta = isRecord(choice.delta) ? choice.delta : null;
        if (!delta) continue;
        const choiceId = `c${typeof choice.index === 'number' ? choice.index : 0}`;
        if (typeof delta.content === 'string' && delta.content.length > 0) {
          tally.countDelta(false);
          const served = marks.mark(choiceId, delta.content);
          if (served !== delta.content) {
            delta.content = served;
            modified = true;
          }
          tally.text.push(served);
        } else if (Array.isArray(delta.tool_calls)) tally.countDelta(false);
        if (typeof choice.finish_reason === 'string' && marks.has(choiceId)) {
          const tail = marks.flush(choiceId);
          if (tail) {
            delta.content = (typeof delta.content === 'string' ? delta.content : '') + tail;
            modified = true;
          }
        }
        for (const field of ['reasoning_content', 'reasoning'] as const) {
          const reasoningText = delta[field];
          if (typeof reasoningText !== 'string') continue;
          tally.countDelta(true);
          if (reasoning === 'withhold') {
            delete delta[field];
            modified = true;
          } else if (reasoning === 'summarise') {
            const budget = Math.max(0, SUMMARY_LIMIT - summarised);
            summarised += reasoningText.length;
            delta[field] = reasoningText.slice(0, budget);
            modified = true;
          }
        }
      }
      return modified ? frame(null, value) : `${raw}\n\n`;
    },
    done: (raw) => `${flushTails()}${raw}\n\n`,
    close() {
      tally.stopReason = 'length';
      return (
        flushTails() +
        frame(null, {
          ...chunkIdentity,
          choices: [{ index: 0, delta: {}, finish_reason: 'length' }],
        }) +
        frame(null, '[DONE]')
      );
    },
    fail: (message) =>
      frame(null, {
        error: { message, type: 'server_error', param: null, code: 'upstream_stream_failed' },
      }),
  };
}
