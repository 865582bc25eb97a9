import type { Ratio } from './evaluation-report.js';

/**
 * Streaming counts over attack exchanges: served-before-flag (leaked) per campaign, and the first
 * exchange time per campaign and per account (for time to detect). Memory is per account and per
 * campaign, never per exchange, so a seed-scale log streams through it.
 */
export interface AttackExchangeTally {
  /** Records one attack exchange; `leaked` says whether it was served before the stop. */
  add(accountId: string, campaignId: string, timeMs: number, leaked: boolean): void;
  readonly byCampaign: ReadonlyMap<string, CampaignTally>;
  readonly firstExchangeByAccount: ReadonlyMap<string, number>;
  /** Account → campaigns whose exchanges it carried (resellers carry several). */
  readonly campaignsByAccount: ReadonlyMap<string, ReadonlySet<string>>;
  total(): Ratio;
}

export interface CampaignTally {
  exchanges: number;
  leaked: number;
  firstExchangeMs: number;
}

export function createAttackExchangeTally(): AttackExchangeTally {
  const byCampaign = new Map<string, CampaignTally>();
  const firstExchangeByAccount = new Map<string, number>();
  const campaignsByAccount = new Map<string, Set<string>>();
  let exchanges = 0;
  let leaked = 0;
  return {
    byCampaign,
    firstExchangeByAccount,
    campaignsByAccount,
    add(accountId, campaignId, timeMs, wasLeaked) {
      exchanges++;
      if (wasLeaked) leaked++;
      let campaign = byCampaign.get(campaignId);
      if (campaign === undefined) {
        campaign = { exchanges: 0, leaked: 0, firstExchangeMs: timeMs };
        byCampaign.set(campaignId, campaign);
      }
      campaign.exchanges++;
      if (wasLeaked) campaign.leaked++;
      if (timeMs < campaign.firstExchangeMs) campaign.firstExchangeMs = timeMs;
      const first = firstExchangeByAccount.get(accountId);
      if (first === undefined || timeMs < first) firstExchangeByAccount.set(accountId, timeMs);
      let campaigns = campaignsByAccount.get(accountId);
      if (campaigns === undefined) {
        campaigns = new Set();
        campaignsByAccount.set(accountId, campaigns);
      }
      campaigns.add(campaignId);
    },
    total: () => ratio(leaked, exchanges),
  };
}

export function ratio(count: number, total: number): Ratio {
  return { count, total, rate: total === 0 ? null : count / total };
}
