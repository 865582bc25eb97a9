// The demo: an offline upstream (an n-gram model speaking the three wire dialects) and the
// replay of a simulated campaign through a live gateway.
export {
  createDemoUpstream,
  DEMO_MODEL_ID,
  type DemoUpstreamOptions,
} from './create-demo-upstream.js';
export {
  formatReplayTally,
  type ReplayGroupTally,
  type ReplayOptions,
  type ReplayTally,
  replaySimulation,
} from './replay-simulation.js';
