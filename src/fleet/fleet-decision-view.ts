import type { IndicatorType, Reason, VerdictLabel } from '../detect/index.js';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import { subnetOf } from '../shared/ip-address/index.js';
import type { AccountDecision, CampaignDecision } from './decision-board.js';
import { createIndicatorHasher, type IndicatorFamily, indicatorFamily } from './indicator-hash.js';

/** The fleet engine's judgement of the account behind one request (a gateway `RequestAssessment`). */
export interface FleetAssessment {
  accountId: string;
  score: number;
  verdict: VerdictLabel;
  campaignId: string | null;
  reasons: Reason[];
}

/**
 * A gateway's local copy of the detector's decisions (fed by a KV watch, or by the cluster
 * primary), read on the request path without a round trip.
 */
export interface FleetDecisionView {
  /** Applies decisions as they arrive (idempotent: the newest stream sequence per account wins). */
  apply(accounts: readonly AccountDecision[], campaigns: readonly CampaignDecision[]): void;
  /** Remembers what the control plane knows of an account (payment fingerprint, creation time). */
  observeAccount(account: AccountRecord): void;
  /**
   * The fleet's assessment of this request's account: its own decision when the detector has
   * one, else a match of the request against a flagged campaign's indicators (a regrown
   * account), else `null`.
   */
  assess(exchange: Exchange): FleetAssessment | null;
  readonly size: { accounts: number; campaigns: number };
}

/** Request values a regrown account can be matched on: chosen by its operator, or its client. */
const OPERATOR_FAMILIES: ReadonlySet<IndicatorFamily> = new Set(['network', 'identity']);

/**
 * Builds the view. A regrown account (no decision of its own, created after the campaign was
 * first flagged when its creation time is known) is matched to a flagged campaign when its
 * request shares the campaign's values from two evidence families at least, one of them an
 * operator-chosen one (an address or /24, a payment fingerprint): the engine's own rule that a
 * shared NAT alone, or a popular client alone, links nobody. It is then assessed as the
 * campaign's strongest member.
 */
export function createFleetDecisionView({
  indicatorKey,
}: {
  indicatorKey?: string;
} = {}): FleetDecisionView {
  const hash = createIndicatorHasher(indicatorKey);
  const accounts = new Map<string, AccountDecision>();
  const campaigns = new Map<string, CampaignDecision>();
  /** Indicator hash → campaigns carrying it. */
  const byIndicator = new Map<string, Set<string>>();
  /** Campaign → the highest score among its members judged `attack`. */
  const strongest = new Map<string, number>();
  const records = new Map<string, { payment?: string; email?: string; createdMs: number }>();

  const unindex = (campaign: CampaignDecision) => {
    for (const indicator of campaign.indicators)
      byIndicator.get(indicator.hash)?.delete(campaign.campaign_id);
  };

  const requestValues = (exchange: Exchange): [IndicatorType, string][] => {
    const values: [IndicatorType, string][] = [
      [exchange.ip.includes(':') ? 'ipv6' : 'ipv4', exchange.ip],
    ];
    const subnet = subnetOf(exchange.ip);
    if (subnet) values.push(['subnet', subnet]);
    if (exchange.tls_fingerprint) values.push(['tls_fingerprint', exchange.tls_fingerprint]);
    if (exchange.header_order) values.push(['header_order', exchange.header_order]);
    if (exchange.user_agent) values.push(['user_agent', exchange.user_agent]);
    const record = records.get(exchange.account_id);
    if (record?.payment) values.push(['payment_fingerprint', record.payment]);
    if (record?.email) values.push(['email_domain', record.email]);
    return values;
  };

  const matchCampaign = (exchange: Exchange): FleetAssessment | null => {
    const families = new Map<string, Set<IndicatorFamily>>();
    for (const [type, value] of requestValues(exchange)) {
      const carriers = byIndicator.get(`${type}:${hash(type, value)}`);
      if (!carriers) continue;
      for (const campaignId of carriers) {
        const seen = families.get(campaignId) ?? new Set<IndicatorFamily>();
        families.set(campaignId, seen);
        seen.add(indicatorFamily(type));
      }
    }
    const createdMs = records.get(exchange.account_id)?.createdMs ?? Number.NaN;
    let best: { campaignId: string; score: number; families: number } | null = null;
    for (const [campaignId, seen] of families) {
      if (seen.size < 2 || ![...seen].some((family) => OPERATOR_FAMILIES.has(family))) continue;
      const campaign = campaigns.get(campaignId);
      const flaggedMs = campaign?.first_flagged_at
        ? Date.parse(campaign.first_flagged_at)
        : Number.NaN;
      // An account older than the campaign's first flag is not regrown: the engine judges it.
      if (!Number.isFinite(flaggedMs) || createdMs < flaggedMs) continue;
      const score = strongest.get(campaignId) ?? 0;
      if (score === 0) continue;
      if (!best || seen.size > best.families || (seen.size === best.families && score > best.score))
        best = { campaignId, score, families: seen.size };
    }
    if (!best) return null;
    return {
      accountId: exchange.account_id,
      score: best.score,
      verdict: 'attack',
      campaignId: best.campaignId,
      reasons: [
        {
          code: 'fleet_campaign_indicators',
          detail: `shares ${best.families} evidence families of values with flagged campaign ${best.campaignId}`,
        },
      ],
    };
  };

  return {
    apply(accountDecisions, campaignDecisions) {
      for (const decision of accountDecisions) {
        const before = accounts.get(decision.account_id);
        if (before && before.sequence > decision.sequence) continue;
        accounts.set(decision.account_id, decision);
        if (decision.campaign_id !== null && decision.verdict === 'attack')
          strongest.set(
            decision.campaign_id,
            Math.max(strongest.get(decision.campaign_id) ?? 0, decision.score),
          );
      }
      for (const campaign of campaignDecisions) {
        const before = campaigns.get(campaign.campaign_id);
        if (before) unindex(before);
        campaigns.set(campaign.campaign_id, campaign);
        for (const indicator of campaign.indicators) {
          const key = `${indicator.type}:${indicator.hash}`;
          const carriers = byIndicator.get(key) ?? new Set<string>();
          byIndicator.set(key, carriers);
          carriers.add(campaign.campaign_id);
        }
      }
    },
    observeAccount(account) {
      records.set(account.account_id, {
        ...(account.payment_fingerprint ? { payment: account.payment_fingerprint } : {}),
        ...(account.email_domain ? { email: account.email_domain.toLowerCase() } : {}),
        createdMs: Date.parse(account.created_at),
      });
    },
    assess(exchange) {
      const decision = accounts.get(exchange.account_id);
      if (decision)
        return {
          accountId: decision.account_id,
          score: decision.score,
          verdict: decision.verdict,
          campaignId: decision.campaign_id,
          reasons: decision.reasons.map((code) => ({ code, detail: code })),
        };
      return byIndicator.size === 0 ? null : matchCampaign(exchange);
    },
    get size() {
      return { accounts: accounts.size, campaigns: campaigns.size };
    },
  };
}
