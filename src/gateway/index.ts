export {
  type AccountDirectory,
  type ApiKeyRecord,
  createAccountDirectory,
  createReplicatedDirectory,
  type DirectoryChange,
} from './account-directory.js';
export { type ApiKeyHasher, createApiKeyHasher } from './api-key-hasher.js';
export type { BufferedResponse } from './buffered-response.js';
export {
  createDemoUpstream,
  DEMO_MODEL_ID,
  type DemoUpstreamOptions,
} from './create-demo-upstream.js';
export { createDetectorScorer } from './create-detector-scorer.js';
export {
  capOutputTokens,
  createGateway,
  type Gateway,
  type GatewayContext,
  type GatewayOptions,
  type GatewayRequest,
  type HeaderReader,
} from './create-gateway.js';
export {
  createStreamShaper,
  type StreamShaper,
  type StreamShaperOptions,
} from './create-stream-shaper.js';
export { createDuckDbExchangeSink } from './duckdb-exchange-sink.js';
export {
  type AuditEntry,
  actionRank,
  type BucketOutcome,
  type BucketRule,
  type Decision,
  type DecisionSubject,
  type EnforcementState,
  LADDER_ACTIONS,
  type LadderAction,
} from './enforcement-state.js';
export {
  type BatchingRecorderOptions,
  createBatchingRecorder,
  createMemoryExchangeSink,
  type ExchangeRecorder,
  type ExchangeSink,
} from './exchange-recorder.js';
export {
  type GatewayConfig,
  gatewayConfigSchema,
  loadGatewayConfig,
  parseGatewayConfig,
} from './gateway-config.js';
export { type Dialect, GatewayError } from './gateway-error.js';
export { createGatewayMetrics, type GatewayMetrics } from './gateway-metrics.js';
export {
  type GatewayReply,
  isBufferedReply,
  type StreamedResponse,
  toWebResponse,
} from './gateway-reply.js';
export { createInMemoryEnforcementState } from './in-memory-enforcement-state.js';
export { createJsonLinesExchangeSink } from './json-lines-exchange-sink.js';
export {
  createLadder,
  DEFAULT_LADDER_POLICY,
  engineAction,
  type Ladder,
  type LadderOutcome,
  type LadderPolicy,
} from './ladder.js';
export {
  createRedisEnforcementState,
  type RedisEnforcementStateOptions,
} from './redis-enforcement-state.js';
export {
  formatReplayTally,
  type ReplayGroupTally,
  type ReplayOptions,
  type ReplayTally,
  replaySimulation,
} from './replay-simulation.js';
export {
  createNullScorer,
  createScriptedScorer,
  type RequestAssessment,
  type RequestScorer,
} from './request-scorer.js';
export { type FetchHandler, type ServedHandler, serveFetchHandler } from './serve-gateway.js';
export {
  defaultWorkerCount,
  type GatewayCluster,
  startGatewayCluster,
} from './start-gateway-cluster.js';
export {
  type GatewayServer,
  policyFromConfig,
  startGatewayServer,
} from './start-gateway-server.js';
export {
  createUndiciUpstream,
  type UpstreamClient,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream-client.js';
