import type { TextWatermarkStage } from '../../watermark/index.js';
import type { StreamTally } from './create-stream-tally.js';

/**
 * The watermark stages of one stream, one per served text (a chat choice `c0`, an Anthropic
 * block `b1`, a responses part `p0:0`). A stage holds back the last word of each delta until the
 * whitespace after it arrives, so its tail is flushed as one more delta just before the text
 * ends (finish chunk, block stop, `.done` event, budget cut).
 */
export interface TextMarks {
  /** Whether answers are watermarked at all. */
  readonly active: boolean;
  /** A delta's text as served (unchanged when not active). */
  mark(id: string, piece: string): string;
  /** The held-back tail of one text ('' when none), added to the tally's served text. */
  flush(id: string): string;
  /** Whether a text still has a stage (and so may hold a tail). */
  has(id: string): boolean;
  /** The texts that still have a stage, in the order they started. */
  pending(): string[];
  /** The whole text served so far under an id. */
  served(id: string): string | undefined;
  /** How many texts have been served marked. */
  readonly servedCount: number;
}

/** The stream's watermark stages, made on first use by `createWatermarkStage`. */
export function createTextMarks(
  createWatermarkStage: (() => TextWatermarkStage) | undefined,
  tally: StreamTally,
): TextMarks {
  const stages = new Map<string, TextWatermarkStage>();
  const servedTexts = new Map<string, string>();
  return {
    active: createWatermarkStage !== undefined,
    mark(id, piece) {
      if (!createWatermarkStage) return piece;
      let stage = stages.get(id);
      if (!stage) {
        stage = createWatermarkStage();
        stages.set(id, stage);
      }
      const out = stage.push(piece);
      servedTexts.set(id, (servedTexts.get(id) ?? '') + out);
      return out;
    },
    flush(id) {
      const stage = stages.get(id);
      if (!stage) return '';
      stages.delete(id);
      const tail = stage.flush();
      if (tail) {
        servedTexts.set(id, (servedTexts.get(id) ?? '') + tail);
        tally.text.push(tail);
      }
      return tail;
    },
    has: (id) => stages.has(id),
    pending: () => [...stages.keys()],
    served: (id) => servedTexts.get(id),
    get servedCount() {
      return servedTexts.size;
    },
  };
}
