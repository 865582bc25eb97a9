import type { ReasoningMode } from '../shape-completion.js';
import type { StreamTally } from './create-stream-tally.js';
import type { TextMarks } from './create-text-marks.js';

/**
 * One wire dialect's shaping of a server-sent event stream. The shaper splits the stream into
 * events and hands each one here; every method returns the text to send on ('' drops it).
 */
export interface DialectStage {
  /** An event whose data is a JSON object; `raw` is the event's text as it arrived. */
  event(raw: string, event: string | null, value: Record<string, unknown>): string;
  /** The `data: [DONE]` sentinel (chat streams end with it). */
  done(raw: string): string;
  /** The token budget ran out: end the stream as the upstream would at its own output limit. */
  close(): string;
  /** The upstream failed mid-stream: the dialect's error event. */
  fail(message: string): string;
}

/** What every dialect stage is built from. */
export interface DialectStageOptions {
  reasoning: ReasoningMode;
  tally: StreamTally;
  marks: TextMarks;
}
