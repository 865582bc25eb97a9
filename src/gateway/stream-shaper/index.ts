// The stream shaper: SSE in, SSE out, one stage per wire dialect (OpenAI chat, OpenAI responses,
// Anthropic messages) over a shared tally and the watermark's text marks.
export {
  createStreamShaper,
  type StreamShaper,
  type StreamShaperOptions,
} from './create-stream-shaper.js';
export type { DialectStage, DialectStageOptions } from './dialect-stage.js';
