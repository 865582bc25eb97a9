export { type ApiKeyHasher, createApiKeyHasher } from './api-key-hasher.js';
export type { BufferedResponse } from './buffered-response.js';
export { capOutputTokens } from './cap-output-tokens.js';
export {
  type AccountDirectory,
  type ApiKeyRecord,
  createAccountDirectory,
  createReplicatedDirectory,
  type DirectoryChange,
} from './control-plane/index.js';
export {
  DEFAULT_STATE_ERROR_POLICY,
  type StateErrorPolicy,
} from './create-decision-step.js';
export { createDetectorScorer } from './create-detector-scorer.js';
export { createGateway, type GatewayOptions } from './create-gateway.js';
export {
  createDemoUpstream,
  DEMO_MODEL_ID,
  type DemoUpstreamOptions,
  formatReplayTally,
  type ReplayGroupTally,
  type ReplayOptions,
  type ReplayTally,
  replaySimulation,
} from './demo/index.js';
export {
  type AuditEntry,
  actionRank,
  type BucketOutcome,
  type BucketRule,
  createInMemoryEnforcementState,
  createRedisEnforcementState,
  type Decision,
  type DecisionSubject,
  type EnforcementState,
  LADDER_ACTIONS,
  type LadderAction,
  type RedisEnforcementStateOptions,
} from './enforcement-state/index.js';
export {
  type BatchingRecorderOptions,
  createBatchingRecorder,
  createDuckDbExchangeSink,
  createJsonLinesExchangeSink,
  createMemoryExchangeSink,
  type ExchangeRecorder,
  type ExchangeSink,
  type RecorderHealth,
  serialiseExchange,
  truncateExchange,
} from './exchange-store/index.js';
export {
  type GatewayConfig,
  gatewayConfigSchema,
  loadGatewayConfig,
  parseGatewayConfig,
} from './gateway-config.js';
export { type Dialect, GatewayError } from './gateway-error.js';
export {
  createGatewayMetrics,
  type GatewayMetrics,
  type GatewayMetricsOptions,
  type RequestMetrics,
} from './gateway-metrics.js';
export {
  type GatewayReply,
  isBufferedReply,
  type StreamedResponse,
  toWebResponse,
} from './gateway-reply.js';
export type {
  Gateway,
  GatewayContext,
  GatewayReadiness,
  GatewayRequest,
  HeaderReader,
} from './gateway-types.js';
export {
  createIdentityResolver,
  DEFAULT_IDENTITY,
  type IdentitySettings,
  identityFromConfig,
  KEY_MODES,
  type KeyMode,
} from './identity/index.js';
export {
  createLadder,
  DEFAULT_LADDER_POLICY,
  engineAction,
  type Ladder,
  type LadderOutcome,
  type LadderPolicy,
} from './ladder.js';
export {
  defaultWorkerCount,
  type FetchHandler,
  type GatewayCluster,
  type GatewayServer,
  policyFromConfig,
  type ServedHandler,
  serveFetchHandler,
  startGatewayCluster,
  startGatewayServer,
} from './node/index.js';
export {
  createGatewayTracing,
  createMetricsEndpoint,
  type GatewayObservability,
  type GatewayTracing,
  resolveObservability,
} from './observability/index.js';
export {
  createNullScorer,
  createScriptedScorer,
  type RequestAssessment,
  type RequestScorer,
} from './request-scorer.js';
export {
  createStreamShaper,
  type StreamShaper,
  type StreamShaperOptions,
} from './stream-shaper/index.js';
export {
  createUndiciUpstream,
  type UpstreamClient,
  type UpstreamRequest,
  type UpstreamResponse,
} from './upstream-client.js';
