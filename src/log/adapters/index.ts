// Log adapters: foreign log formats read as exchange log v1 (docs/log-adapters.md).

export { UNKNOWN_IP } from './adapter-fields.js';
export {
  fromGlasswallyEvent,
  type GlasswallyEvent,
  glasswallyAccount,
  glasswallyAdapter,
  isGlasswallyEvent,
} from './glasswally.js';
export { heliconeAdapter } from './helicone.js';
export { langfuseAdapter } from './langfuse.js';
export { litellmAdapter } from './litellm.js';
export type { LineProblem, LogAdapter, LogFormatName } from './log-adapter.js';
export {
  LOG_ADAPTERS,
  LOG_FORMATS,
  logAdapterNamed,
  lookAlikeOf,
  sniffLogFormat,
} from './log-adapters.js';
export { otelGenAiAdapter } from './otel-genai.js';
export { portkeyAdapter } from './portkey.js';
export { readGatewayStoreBatches } from './read-gateway-store.js';
export { readJsonDocumentBatches } from './read-json-document.js';
export { type LogContainer, type LogInput, resolveLogInput } from './resolve-log-input.js';
export { v1Adapter } from './v1.js';
