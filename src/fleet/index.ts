/**
 * The fleet: gateways publish exchange records to one durable stream (NATS JetStream), and
 * `distillguard detect` runs the one engine over it and publishes decisions for every gateway.
 * See docs/fleet.md.
 */
export {
  type CheckpointStore,
  createFileCheckpointStore,
  createMemoryCheckpointStore,
} from './checkpoint-store.js';
export { type ConnectNatsOptions, connectNats } from './connect-nats.js';
export {
  type AccountDecision,
  type CampaignDecision,
  createInProcessDecisionBoard,
  type DecisionBoard,
} from './decision-board.js';
export {
  type DetectService,
  type DetectServiceOptions,
  type DetectServiceStats,
  openDetectService,
} from './detect-service.js';
export {
  ENGINE_SNAPSHOT_FORMAT,
  ENGINE_SNAPSHOT_VERSION,
  type EngineSnapshot,
  parseEngineSnapshot,
  type SnapshotRefusal,
  type SnapshotSettings,
} from './engine-snapshot.js';
export {
  accountsBatchId,
  type BusConsumer,
  type BusMessage,
  batchId,
  type ConsumerStart,
  type ExchangeBus,
  type PublishResult,
  type StreamInfo,
} from './exchange-bus.js';
export {
  createExchangePublisher,
  type ExchangePublisher,
  type ExchangePublisherOptions,
  type PublisherCounters,
} from './exchange-publisher.js';
export {
  createFleetDecisionView,
  type FleetAssessment,
  type FleetDecisionView,
} from './fleet-decision-view.js';
export {
  createInProcessExchangeBus,
  type InProcessExchangeBusOptions,
} from './in-process-exchange-bus.js';
export {
  type InProcessFleetEngine,
  type InProcessFleetEngineOptions,
  openInProcessFleetEngine,
} from './in-process-fleet-engine.js';
export {
  createIndicatorHasher,
  DEFAULT_INDICATOR_KEY,
  type HashedIndicator,
  hashIndicators,
} from './indicator-hash.js';
export {
  type JetStreamExchangeBusOptions,
  openJetStreamExchangeBus,
} from './jetstream-exchange-bus.js';
export {
  type DecisionWatch,
  decisionKey,
  type KvDecisionBoardOptions,
  openKvDecisionBoard,
  watchKvDecisions,
} from './kv-decision-board.js';
export { createReorderWindow, type ReorderWindow } from './reorder-window.js';
export { type ServeDetectOptions, serveDetect } from './serve-detect.js';
