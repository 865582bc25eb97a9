import type { AccountState } from './account-state.js';
import { type CampaignState, createCampaignState } from './campaign-state.js';

/**
 * The campaigns to export, one per operator label ({@link createOperatorLabels}): a registry
 * campaign whose flagged members all carry its own id is exported as it is; one split into
 * operators gives a view per part, with the campaign's evidence (hubs, families, score, models)
 * and its timeline scaled by the part's share of the members' exchanges; its resellers stay
 * with the part that kept its id. Resellers labelled as an operator of their own get a view
 * with their history at each one's first hour.
 */
export function operatorCampaigns(
  campaigns: readonly CampaignState[],
  accounts: readonly AccountState[],
  labelOf: (state: AccountState) => string | null,
): CampaignState[] {
  const byLabel = new Map<string, AccountState[]>();
  for (const state of accounts) {
    const label = labelOf(state);
    if (label === null) continue;
    const list = byLabel.get(label);
    if (list) list.push(state);
    else byLabel.set(label, [state]);
  }
  const exported: CampaignState[] = [];
  const done = new Set<string>();
  for (const campaign of campaigns) {
    if (campaign.accounts.size === 0) continue;
    const own = byLabel.get(campaign.id) ?? [];
    if (
      own.length === campaign.accounts.size &&
      own.every((state) => campaign.accounts.has(state.index))
    ) {
      exported.push(campaign);
      done.add(campaign.id);
    }
  }
  // Labels in the order their home campaign was created, then by id.
  const home = (label: string, members: readonly AccountState[]): number => {
    const parent = campaigns.find((campaign) => campaign.id === label.split('.')[0]);
    if (parent) return parent.number;
    const numbers = members.map((state) => state.campaign).filter((number) => number >= 0);
    return numbers.length > 0 ? Math.min(...numbers) : Number.MAX_SAFE_INTEGER;
  };
  const rest = [...byLabel]
    .filter(([label]) => !done.has(label))
    .map(([label, members]) => ({ label, members, home: home(label, members) }))
    .sort((a, b) => a.home - b.home || a.label.localeCompare(b.label));
  for (const { label, members, home: number } of rest) {
    const parent = campaigns[number];
    const view = createCampaignState(
      parent?.number ?? -1,
      parent?.createdMs ?? members[0]?.firstMs ?? 0,
    );
    const exchanges = (states: Iterable<AccountState>): number => {
      let total = 0;
      for (const state of states) total += state.exchanges;
      return total;
    };
    const share = parent
      ? exchanges(members) /
        Math.max(
          1,
          exchanges([...parent.accounts].map((account) => accounts[account] as AccountState)),
        )
      : 1;
    if (parent) {
      for (const [hour, count] of parent.hourly) view.hourly.set(hour, Math.round(count * share));
      view.hubs = parent.hubs;
      view.families = parent.families;
      view.meanScore = parent.meanScore;
      view.models = parent.models;
      view.firstExchangeMs = parent.firstExchangeMs;
      if (label === parent.id) {
        view.resellers = parent.resellers;
        view.resellerExchanges = parent.resellerExchanges;
      }
    } else {
      let score = 0;
      for (const state of members) {
        const hour = Math.floor(state.firstMs / 3600_000);
        view.hourly.set(hour, (view.hourly.get(hour) ?? 0) + state.exchanges);
        score += state.score;
      }
      view.meanScore = score / Math.max(1, members.length);
    }
    for (const state of members) view.accounts.add(state.index);
    exported.push({ ...view, id: label });
  }
  return exported;
}
