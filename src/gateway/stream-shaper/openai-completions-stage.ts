import { isRecord } from '../../shared/is-record.js';
import type { DialectStage, DialectStageOptions } from './dialect-stage.js';
import { formatSseFrame as frame } from './format-sse-frame.js';

/**
 * OpenAI legacy completions (`text_completion` chunks with `choices[].text`, ended by
 * `data: [DONE]`): counts text deltas, watermarks each choice's text, and ends a cut stream with
 * `finish_reason: length` and `[DONE]`. The legacy API has no reasoning field to withhold.
 */
export function createOpenAiCompletionsStage({ tally, marks }: DialectStageOptions): DialectStage {
  let chunkIdentity: Record<string, unknown> = {};

  const flushTails = (): string => {
    let out = '';
    for (const id of marks.pending()) {
      const tail = marks.flush(id);
      if (!tail) continue;
      out += frame(null, {
        ...chunkIdentity,
        choices: [{ index: Number(id.slice(1)), text: tail, logprobs: null, finish_reason: null }],
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
        const choiceId = `c${typeof choice.index === 'number' ? choice.index : 0}`;
        if (typeof choice.text === 'string' && choice.text.length > 0) {
          tally.countDelta(false);
          const served = marks.mark(choiceId, choice.text);
          if (served !== choice.text) {
            choice.text = served;
            modified = true;
          }
          tally.text.push(served);
        }
        if (typeof choice.finish_reason === 'string' && marks.has(choiceId)) {
          const tail = marks.flush(choiceId);
          if (tail) {
            choice.text = (typeof choice.text === 'string' ? choice.text : '') + tail;
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
          choices: [{ index: 0, text: '', logprobs: null, finish_reason: 'length' }],
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
