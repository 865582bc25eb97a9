/**
 * The detection engine: one causal streaming detector behind `analyze` (batch replay, in
 * `src/analyze`), the gateway (live) and the CLI. It imports no face. See docs/detection.md.
 */
export {
  type Assessment,
  createDetector,
  DETECTOR_STATE_VERSION,
  type Detector,
  type DetectorOptions,
  type DetectorState,
  RESTORABLE_DETECTOR_STATE_VERSIONS,
} from './create-detector.js';
export { DEFAULT_THRESHOLDS, type DetectorThresholds } from './detector-thresholds.js';
export {
  type AsnInfo,
  createIpAsnTable,
  type IpAsnRow,
  type IpAsnTable,
  loadIpAsnTable,
} from './ip-asn-table.js';
export {
  FEATURE_NAMES,
  type FeatureTap,
  FITTED_MODEL,
  type FittedModel,
  type ModelFinding,
} from './model/index.js';
export type { PeerIndicatorMatch, PeerIndicatorMatcher } from './peer-indicator-matcher.js';
export { createReason, REASON_CODES, renderReason } from './reason-text.js';
export type {
  Campaign,
  CampaignsFile,
  Indicator,
  IndicatorType,
  Reason,
  Verdict,
  VerdictLabel,
} from './verdict.js';
