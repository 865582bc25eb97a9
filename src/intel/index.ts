/**
 * Threat-intelligence sharing: STIX 2.1 bundles of distillation campaigns (private by default:
 * keyed hashes, never prompts), a TAXII 2.1 server on the embedded DuckDB store, and import of
 * peers' indicators into the detection engine (`PeerIndicatorMatcher`). See docs/intel.md.
 */
export {
  COMMUNITY_KEY_ENVIRONMENT_VARIABLE,
  CommunityKey,
  type LoadCommunityKeyOptions,
  loadCommunityKey,
} from './community-key.js';
export { normalizeIndicatorValue } from './indicator-value.js';
export { parseCampaignsFile } from './parse-campaigns-file.js';
export {
  type CreatePeerIndicatorMatcherOptions,
  createPeerIndicatorMatcher,
  type ExchangeSignatures,
  type LoadedPeerIndicatorMatcher,
  type PeerBundle,
} from './peer/create-peer-indicator-matcher.js';
export { extractPeerIndicators } from './peer/extract-peer-indicators.js';
export { type FetchTaxiiObjectsOptions, fetchTaxiiObjects } from './peer/fetch-taxii-objects.js';
export {
  type ImportPeerIntelOptions,
  type ImportPeerIntelSummary,
  importPeerIntel,
  loadPeerBundles,
  parsePeerBundle,
} from './peer/import-peer-intel.js';
export {
  type LoadPeerIndicatorMatcherOptions,
  loadPeerIndicatorMatcher,
} from './peer/load-peer-indicator-matcher.js';
export type { PeerIndicator, PeerIndicatorKey } from './peer/peer-indicator.js';
export { signaturesFromPromptAnalyzer } from './peer/signatures-from-prompt-analyzer.js';
export {
  createStixValidator,
  type StixValidationError,
  type StixValidator,
} from './stix/create-stix-validator.js';
export {
  type ExportCampaignBundleOptions,
  exportCampaignBundle,
  exportCampaignBundles,
} from './stix/export-campaign-bundle.js';
export type { StixBundle, StixObject } from './stix/stix-object.js';
export { parseStixPattern } from './stix/stix-pattern.js';
export { TLP_LEVELS, type TlpLevel } from './stix/tlp-marking.js';
export {
  type CreateTaxiiHandlerOptions,
  createTaxiiHandler,
  type TaxiiHandler,
} from './taxii/create-taxii-handler.js';
export { createDuckDbTaxiiStore } from './taxii/duckdb-taxii-store.js';
export { type RunningTaxiiServer, serveTaxii } from './taxii/serve-taxii.js';
export { type StartTaxiiServerOptions, startTaxiiServer } from './taxii/start-taxii-server.js';
export {
  hashToken,
  loadTaxiiServerConfig,
  resolveTaxiiServerConfig,
  type TaxiiServerConfig,
} from './taxii/taxii-server-config.js';
export type { TaxiiStore } from './taxii/taxii-store.js';
