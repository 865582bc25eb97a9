/**
 * The evaluation's result: every metric a defender cares about, as data (docs/evaluation.md).
 * Rates are fractions in 0–1; times are milliseconds; `null` means "not measurable from the
 * inputs given" (e.g. leakage without an exchange log).
 */

/** Which verdict labels count as a flag (default `['attack']`). */
export type FlaggedVerdict = 'attack' | 'suspect';

/** A count over a denominator, with the rate (`null` when the denominator is 0). */
export interface Ratio {
  count: number;
  total: number;
  rate: number | null;
}

export interface CampaignMetrics {
  campaignId: string;
  /** Attack accounts of this campaign flagged / all of its attack accounts. */
  recall: Ratio;
  /** Its attack exchanges served before their account's flag / all of them; null without a log. */
  leakage: Ratio | null;
  /** First flag among its accounts − its first exchange (ms); null if never flagged or no log. */
  timeToDetectMs: number | null;
  firstExchangeAt: string | null;
  firstFlaggedAt: string | null;
}

export interface GroupMetrics {
  group: string;
  /** Flagged legit accounts of this group / its legit accounts. */
  falsePositives: Ratio;
}

export interface TimeToDetectMetrics {
  /** Median over campaigns with at least one exchange; a never-detected campaign counts as +∞. */
  medianCampaignMs: number | null;
  /** Median over attack accounts with at least one exchange; never-flagged ones count as +∞. */
  medianAccountMs: number | null;
  campaignsDetected: number;
  campaignsMeasured: number;
}

export type TargetStatus = 'pass' | 'fail' | 'not_measured';

/** One target of issue 3, checked against a measured value. */
export interface TargetCheck {
  id: string;
  description: string;
  comparator: '>=' | '<=';
  threshold: number;
  actual: number | null;
  status: TargetStatus;
}

export interface EvaluationReport {
  /** Target profile the checks used (`seed-scale`, `low-and-slow`, `adaptive`). */
  targetProfile: string;
  flaggedVerdicts: FlaggedVerdict[];
  /** Accounts judged, by truth label (with a log: only accounts that sent at least one exchange). */
  accounts: {
    attack: number;
    legit: number;
    mixed: number;
    /** Truth accounts with no exchange in the log, left out of every account metric (0 without a log). */
    inactive: number;
    /** Verdicts whose account is not in the truth (ignored by every metric). */
    unknownVerdicts: number;
    /** Truth accounts with no verdict (counted as not flagged). */
    missingVerdicts: number;
  };
  /** Attack accounts flagged / attack accounts. */
  recall: Ratio;
  /** Flagged attack accounts / flagged attack + flagged legit accounts (mixed excluded). */
  precision: Ratio;
  /** Flagged legit accounts / legit accounts. */
  falsePositives: Ratio;
  falsePositivesByGroup: GroupMetrics[];
  /** Reseller (`mixed`) accounts flagged / mixed accounts: neither a hit nor a false positive. */
  mixedFlagged: Ratio;
  /** Attack exchanges served before their account's flag / all attack exchanges; null without a log. */
  leakage: Ratio | null;
  timeToDetect: TimeToDetectMetrics | null;
  /** Adjusted Rand index of predicted vs true campaigns over attack accounts (null if none). */
  campaignAri: number | null;
  campaigns: CampaignMetrics[];
  exchanges: { total: number; attack: number; unknownAccount: number } | null;
  targets: TargetCheck[];
}
