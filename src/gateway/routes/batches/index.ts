export { admitBatch, type BatchAdmission, type BatchSubmitter } from './admit-batch.js';
export {
  type BatchLine,
  MAX_BATCH_LINES,
  parseAnthropicBatch,
  parseOpenAiBatchFile,
} from './batch-lines.js';
export {
  type BatchObjectKind,
  type BatchOwner,
  type BatchRegistry,
  createBatchRegistry,
} from './create-batch-registry.js';
export { type BatchRoutes, createBatchRoutes } from './create-batch-routes.js';
