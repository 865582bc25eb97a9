/**
 * The detection engine: one causal streaming detector behind `analyze` (batch replay), the
 * gateway (live) and the CLI. See docs/detection.md.
 */
export {
  type AnalyzeOptions,
  type AnalyzeSummary,
  analyze,
  MAX_AUTO_WORKERS,
} from './analyze.js';
export {
  type Assessment,
  createDetector,
  type Detector,
  type DetectorOptions,
} from './create-detector.js';
export { DEFAULT_THRESHOLDS, type DetectorThresholds } from './detector-thresholds.js';
export {
  type AsnInfo,
  createIpAsnTable,
  type IpAsnRow,
  type IpAsnTable,
  loadIpAsnTable,
} from './ip-asn-table.js';
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
