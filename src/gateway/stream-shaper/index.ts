// The stream shaper: SSE in, SSE out, for the three wire dialects the gateway proxies.
export {
  createStreamShaper,
  type StreamShaper,
  type StreamShaperOptions,
} from './create-stream-shaper.js';
