import type { TruthExchange, TruthRecord } from '../log/exchange.js';

/** Ground truth keyed for O(1) lookups while streaming exchanges. */
export interface TruthIndex {
  byAccount: Map<string, TruthRecord>;
  /** Exchange id → campaign, for attack exchanges carried by `mixed` (reseller) accounts. */
  exchangeCampaign: Map<string, string>;
  /** Every campaign named by the truth, sorted. */
  campaignIds: string[];
}

export function indexTruth(
  truth: Iterable<TruthRecord>,
  truthExchanges: Iterable<TruthExchange>,
): TruthIndex {
  const byAccount = new Map<string, TruthRecord>();
  const campaigns = new Set<string>();
  for (const record of truth) {
    byAccount.set(record.account_id, record);
    if (record.label === 'attack' && record.campaign_id !== null) campaigns.add(record.campaign_id);
  }
  const exchangeCampaign = new Map<string, string>();
  for (const exchange of truthExchanges) {
    exchangeCampaign.set(exchange.id, exchange.campaign_id);
    campaigns.add(exchange.campaign_id);
  }
  return { byAccount, exchangeCampaign, campaignIds: [...campaigns].sort() };
}

/**
 * The campaign an exchange serves according to the truth, or null for customer traffic: every
 * exchange of an `attack` account, and the listed exchanges of `mixed` accounts.
 */
export function attackCampaignOf(
  index: TruthIndex,
  exchangeId: string,
  accountId: string,
): string | null {
  const record = index.byAccount.get(accountId);
  if (record === undefined) return null;
  if (record.label === 'attack') return record.campaign_id ?? UNATTRIBUTED_CAMPAIGN;
  if (record.label === 'mixed') return index.exchangeCampaign.get(exchangeId) ?? null;
  return null;
}

/** Campaign id used for attack accounts whose truth names no campaign. */
export const UNATTRIBUTED_CAMPAIGN = '(none)';
