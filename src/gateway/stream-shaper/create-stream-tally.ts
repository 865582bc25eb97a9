import type { ExchangeResponse } from '../../log/exchange.js';

/**
 * What a stream has carried so far, written by the dialect stage and read by the shaper: the
 * exchange log's token counts, stop reason and served text, and whether the stream is over.
 */
export interface StreamTally {
  /** Content deltas served (one per delta: the budget's unit). */
  outputTokens: number;
  /** The upstream's own output count, when its usage said so. */
  reportedOutputTokens: number | null;
  inputTokens: number;
  reasoningTokens: number;
  stopReason: string;
  /** The served answer text, piece by piece (as the client saw it, watermark included). */
  readonly text: string[];
  /** A terminal event has passed (or the stream was cut or failed): emit nothing more. */
  finished: boolean;
  /** Counts one delta against the budget (and as reasoning when it is). */
  countDelta(isReasoning: boolean): void;
  /** The exchange log's response; a cut stream reports what it served, not the upstream's count. */
  response(cut: boolean): ExchangeResponse;
}

/** A fresh tally for one stream. */
export function createStreamTally(): StreamTally {
  const tally: StreamTally = {
    outputTokens: 0,
    reportedOutputTokens: null,
    inputTokens: 0,
    reasoningTokens: 0,
    stopReason: 'unknown',
    text: [],
    finished: false,
    countDelta(isReasoning) {
      tally.outputTokens += 1;
      if (isReasoning) tally.reasoningTokens += 1;
    },
    response(cut) {
      const response: ExchangeResponse = {
        input_tokens: tally.inputTokens,
        output_tokens: cut
          ? tally.outputTokens
          : (tally.reportedOutputTokens ?? tally.outputTokens),
        stop_reason: tally.stopReason,
      };
      if (tally.text.length > 0) response.text = tally.text.join('');
      if (tally.reasoningTokens > 0) response.reasoning_tokens = tally.reasoningTokens;
      return response;
    },
  };
  return tally;
}
