/**
 * Verdicts and campaigns (contract: ../shared/design.md §4, docs/verdicts.md).
 */

/** A reason code with its human text and, as an extension, machine-readable evidence. */
export interface Reason {
  code: string;
  detail: string;
  evidence?: Record<string, unknown>;
}

export type VerdictLabel = 'attack' | 'suspect' | 'clean';

/** One line of `verdicts.jsonl`: one per account seen. */
export interface Verdict {
  account_id: string;
  verdict: VerdictLabel;
  /** 0–1. */
  score: number;
  /** RFC 3339 time of the first exchange at which the account would have been flagged, from data up to then only. */
  first_flagged_at: string | null;
  campaign_id: string | null;
  reasons: Reason[];
  /** Extension: for reseller accounts that mix attack and customer traffic, the campaigns whose exchanges pass through. */
  reseller_of?: string[];
}

/** Every indicator type `campaigns.json` may carry (readers validate against this list). */
export const INDICATOR_TYPES = [
  'ipv4',
  'ipv6',
  'subnet',
  'asn',
  'user_agent',
  'tls_fingerprint',
  'header_order',
  'payment_fingerprint',
  'email_domain',
  'template',
  'system_prompt',
  'tool_set',
] as const;

export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/** An observable shared by a campaign's accounts. */
export interface Indicator {
  type: IndicatorType;
  value: string;
  /** Exchanges (or accounts, for account-side indicators) that carried it. */
  count: number;
  first_seen: string;
  last_seen: string;
}

/** One entry of `campaigns.json` (`{ "campaigns": Campaign[] }`). */
export interface Campaign {
  campaign_id: string;
  /** 0–1. */
  confidence: number;
  accounts: string[];
  /** Accounts that mix this campaign's traffic with customer traffic. */
  resellers: string[];
  exchange_count: number;
  first_seen: string;
  last_seen: string;
  first_flagged_at: string | null;
  /** Capability category → share of the campaign's exchanges (sums to 1). */
  capability_mix: Record<string, number>;
  models: Record<string, number>;
  /** Exchanges per hour, for the report's timeline. */
  timeline: { hour: string; exchanges: number }[];
  indicators: Indicator[];
  reasons: Reason[];
}

export interface CampaignsFile {
  generated_at: string;
  campaigns: Campaign[];
}
