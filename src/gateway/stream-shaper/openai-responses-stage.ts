import { isRecord } from '../../shared/is-record.js';
import type { DialectStage, DialectStageOptions } from './dialect-stage.js';
import { formatSseFrame as frame } from './format-sse-frame.js';

const partId = (value: Record<string, unknown>) =>
  `p${Number(value.output_index ?? 0)}:${Number(value.content_index ?? 0)}`;

/**
 * OpenAI responses (`response.*` events, ended by `response.completed`/`incomplete`/`failed`):
 * counts text, reasoning and function-call deltas, drops reasoning events unless passed,
 * watermarks each output text part (and rewrites the `.done` events that repeat the whole text),
 * and ends a cut stream with `response.incomplete` (`max_output_tokens`).
 */
export function createOpenAiResponsesStage({
  reasoning,
  tally,
  marks,
}: DialectStageOptions): DialectStage {
  let responseId: unknown = null;

  /** A delta event carrying a part's held-back tail, placed before the event that ends it. */
  const tailDelta = (id: string, like: Record<string, unknown>): string => {
    const tail = marks.flush(id);
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
  const flushTails = (): string => {
    let out = '';
    for (const id of marks.pending()) out += tailDelta(id, {});
    return out;
  };

  /** The `.done` and final events repeat the whole text: they must carry the served one. */
  const rewriteDone = (
    raw: string,
    type: string,
    event: string | null,
    value: Record<string, unknown>,
  ): string => {
    let prefix = '';
    const served = (outputIndex: unknown, contentIndex: unknown) =>
      marks.served(`p${Number(outputIndex ?? 0)}:${Number(contentIndex ?? 0)}`);
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
      const text = marks.served(id);
      if (text !== undefined) value.text = text;
    } else if (type === 'response.content_part.done' && isRecord(value.part)) {
      prefix = tailDelta(partId(value), value);
      const text = served(value.output_index, value.content_index);
      if (value.part.type === 'output_text' && text !== undefined) value.part.text = text;
    } else if (type === 'response.output_item.done') {
      for (const id of marks.pending())
        if (id.startsWith(`p${Number(value.output_index ?? 0)}:`)) prefix += tailDelta(id, value);
      rewriteItem(value.item, value.output_index);
    } else if (tally.finished && isRecord(value.response) && Array.isArray(value.response.output)) {
      prefix = flushTails();
      value.response.output.forEach((item: unknown, outputIndex) => {
        rewriteItem(item, outputIndex);
      });
    } else return `${raw}\n\n`;
    return prefix + frame(event, value);
  };

  return {
    event(raw, event, value) {
      const type = typeof value.type === 'string' ? value.type : (event ?? '');
      if (isRecord(value.response)) {
        responseId = value.response.id;
        const usage = isRecord(value.response.usage) ? value.response.usage : null;
        if (usage) {
          if (typeof usage.input_tokens === 'number') tally.inputTokens = usage.input_tokens;
          if (typeof usage.output_tokens === 'number')
            tally.reportedOutputTokens = usage.output_tokens;
        }
        if (typeof value.response.status === 'string') tally.stopReason = value.response.status;
      }
      if (type === 'response.output_text.delta' && typeof value.delta === 'string') {
        tally.countDelta(false);
        if (marks.active) {
          const served = marks.mark(partId(value), value.delta);
          value.delta = served;
          tally.text.push(served);
          return frame(event, value);
        }
        tally.text.push(value.delta);
      } else if (type.startsWith('response.reasoning')) {
        if (type.endsWith('.delta')) tally.countDelta(true);
        if (reasoning !== 'pass') return '';
      } else if (type === 'response.function_call_arguments.delta') tally.countDelta(false);
      if (
        type === 'response.completed' ||
        type === 'response.incomplete' ||
        type === 'response.failed'
      ) {
        tally.finished = true;
      }
      if (marks.active && marks.servedCount > 0) return rewriteDone(raw, type, event, value);
      return `${raw}\n\n`;
    },
    done: (raw) => `${raw}\n\n`,
    close() {
      tally.stopReason = 'incomplete';
      return (
        flushTails() +
        frame('response.incomplete', {
          type: 'response.incomplete',
          response: {
            id: responseId,
            object: 'response',
            status: 'incomplete',
            incomplete_details: { reason: 'max_output_tokens' },
            output: [],
            usage: {
              input_tokens: tally.inputTokens,
              output_tokens: tally.outputTokens,
              total_tokens: tally.inputTokens + tally.outputTokens,
            },
          },
        })
      );
    },
    fail: (message) =>
      frame('error', {
        type: 'error',
        code: 'upstream_error',
        message,
        param: null,
        sequence_number: 0,
      }),
  };
}
