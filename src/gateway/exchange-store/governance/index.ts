// Data governance of the exchange store: retention, body sampling and redaction
// (docs/gateway.md#data-governance).

export { createExchangeGovernor, keepsBodies } from './govern-exchange.js';
export {
  type GovernedSink,
  type GovernedSinkOptions,
  governExchangeSink,
} from './govern-exchange-sink.js';
export {
  type BodiesPolicy,
  BUILT_IN_REDACTIONS,
  type BuiltInRedaction,
  type StoreGovernance,
  storeGovernanceShape,
} from './governance-config.js';
export { createTextRedactor } from './redact-text.js';
