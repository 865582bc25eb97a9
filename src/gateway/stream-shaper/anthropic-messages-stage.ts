import { isRecord } from '../../shared/is-record.js';
import { summariseReasoning } from '../shape-completion.js';
import type { DialectStage, DialectStageOptions } from './dialect-stage.js';
import { formatSseFrame as frame } from './format-sse-frame.js';

// Summarised thinking keeps this many characters per block.
const SUMMARY_LIMIT = 200;

/**
 * Anthropic messages (`message_start` … `content_block_*` … `message_stop`): counts text and
 * thinking deltas, withholds thinking blocks (renumbering the blocks after them so indices stay
 * contiguous) or summarises them, watermarks text blocks, and ends a cut stream with
 * `stop_reason: max_tokens`.
 */
export function createAnthropicMessagesStage({
  reasoning,
  tally,
  marks,
}: DialectStageOptions): DialectStage {
  // Upstream block index → downstream index (null: withheld).
  const blockIndex = new Map<number, number | null>();
  // Thinking blocks being summarised → characters seen so far.
  const summarised = new Map<number, number>();
  let nextBlock = 0;
  let openBlock: number | null = null;

  const textDeltaFrame = (downstream: number, tail: string) =>
    frame('content_block_delta', {
      type: 'content_block_delta',
      index: downstream,
      delta: { type: 'text_delta', text: tail },
    });

  return {
    event(raw, event, value) {
      const type = typeof value.type === 'string' ? value.type : event;
      if (type === 'message_start' && isRecord(value.message)) {
        const usage = isRecord(value.message.usage) ? value.message.usage : {};
        if (typeof usage.input_tokens === 'number') tally.inputTokens = usage.input_tokens;
        return `${raw}\n\n`;
      }
      if (type === 'message_delta') {
        const delta = isRecord(value.delta) ? value.delta : {};
        if (typeof delta.stop_reason === 'string') tally.stopReason = delta.stop_reason;
        const usage = isRecord(value.usage) ? value.usage : {};
        if (typeof usage.output_tokens === 'number')
          tally.reportedOutputTokens = usage.output_tokens;
        return `${raw}\n\n`;
      }
      if (type === 'message_stop') {
        tally.finished = true;
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
          tally.countDelta(true);
        return '';
      }
      let prefix = '';
      if (type === 'content_block_stop') {
        openBlock = null;
        const tail = marks.flush(`b${downstream ?? index}`);
        if (tail) prefix = textDeltaFrame(downstream ?? index, tail);
      }
      if (type === 'content_block_delta' && isRecord(value.delta)) {
        const delta = value.delta;
        if (typeof delta.text === 'string') {
          if (marks.active) {
            const served = marks.mark(`b${downstream ?? index}`, delta.text);
            delta.text = served;
            value.index = downstream ?? index;
            tally.text.push(served);
            tally.countDelta(false);
            return frame(event, value);
          }
          tally.text.push(delta.text);
        }
        const isThinking = typeof delta.thinking === 'string';
        if (delta.type !== 'signature_delta') tally.countDelta(isThinking);
        const summarisedSoFar = summarised.get(index);
        if (isThinking && summarisedSoFar !== undefined) {
          const thinkingText = delta.thinking as string;
          summarised.set(index, summarisedSoFar + thinkingText.length);
          if (summarisedSoFar >= SUMMARY_LIMIT) return '';
          delta.thinking = summariseReasoning(thinkingText).slice(
            0,
            SUMMARY_LIMIT - summarisedSoFar,
          );
          value.index = downstream ?? index;
          return frame(event, value);
        }
        if (delta.type === 'signature_delta' && summarisedSoFar !== undefined) return '';
      }
      if (downstream === undefined || downstream === index) return `${prefix}${raw}\n\n`;
      value.index = downstream;
      return prefix + frame(event, value);
    },
    done: (raw) => `${raw}\n\n`,
    close() {
      tally.stopReason = 'max_tokens';
      let out = '';
      if (openBlock !== null) {
        const tail = marks.flush(`b${openBlock}`);
        if (tail) out += textDeltaFrame(openBlock, tail);
        out += frame('content_block_stop', { type: 'content_block_stop', index: openBlock });
      }
      out += frame('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: 'max_tokens', stop_sequence: null },
        usage: { output_tokens: tally.outputTokens },
      });
      return out + frame('message_stop', { type: 'message_stop' });
    },
    fail: (message) => frame('error', { type: 'error', error: { type: 'api_error', message } }),
  };
}
