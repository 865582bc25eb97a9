import { accountReasons } from './account-reasons.js';
import { type AccountState, forEachCount } from './account-state.js';
import type { CampaignState } from './campaign-state.js';
import type { DetectorThresholds } from './detector-thresholds.js';
import type { LinkageIndex } from './linkage-index.js';
import { LINKAGE_KEY_TYPES } from './linkage-key-type.js';
import { CAPABILITIES } from './prompt/capability.js';
import { createReason } from './reason-text.js';
import type { Campaign, Indicator, Reason } from './verdict.js';

export interface CampaignContext {
  accounts: readonly AccountState[];
  campaigns: readonly CampaignState[];
  index: LinkageIndex;
  ownerCampaign: Int32Array;
  thresholds: DetectorThresholds;
}

const MAX_INDICATORS = 50;
/** Members whose reasons are sampled for the campaign's reasons. */
const REASON_SAMPLE = 64;

/** Exports a campaign: accounts, exchanges, capability mix, timeline, indicators, reasons. */
export function buildCampaign(campaign: CampaignState, context: CampaignContext): Campaign {
  const { accounts, index } = context;
  const members = [...campaign.accounts]
    .sort((a, b) => a - b)
    .map((account) => accounts[account] as AccountState);
  let exchanges = campaign.resellerExchanges;
  let firstSeen = Number.POSITIVE_INFINITY;
  let lastSeen = Number.NEGATIVE_INFINITY;
  let firstFlagged = Number.POSITIVE_INFINITY;
  const capabilityCounts = new Float64Array(CAPABILITIES.length);
  const models = new Map<string, number>();
  for (const member of members) {
    exchanges += member.exchanges;
    if (member.firstMs < firstSeen) firstSeen = member.firstMs;
    if (member.lastMs > lastSeen) lastSeen = member.lastMs;
    if (member.flaggedMs < firstFlagged) firstFlagged = member.flaggedMs;
    member.capabilities.forEach((count, position) => {
      capabilityCounts[position] = (capabilityCounts[position] as number) + count;
    });
    forEachCount(member.models, (model, count) => {
      models.set(model, (models.get(model) ?? 0) + count);
    });
  }
  const capabilityTotal = capabilityCounts.reduce((total, count) => total + count, 0);
  const capabilityMix: Record<string, number> = {};
  CAPABILITIES.forEach((capability, position) => {
    const count = capabilityCounts[position] as number;
    if (count > 0) capabilityMix[capability] = round(count / capabilityTotal);
  });
  const timeline = [...campaign.hourly]
    .sort(([a], [b]) => a - b)
    .map(([hour, count]) => ({ hour: new Date(hour * 3600_000).toISOString(), exchanges: count }));
  const size = members.length;
  const confidence = round(
    Math.min(
      0.99,
      campaign.meanScore *
        (0.55 + 0.1 * campaign.families.size + 0.05 * Math.log10(Math.max(1, size))),
    ),
  );
  const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : '');
  return {
    campaign_id: campaign.id,
    confidence,
    accounts: members.map((member) => member.id),
    resellers: [...campaign.resellers]
      .sort((a, b) => a - b)
      .map((account) => (accounts[account] as AccountState).id),
    exchange_count: exchanges,
    first_seen: iso(firstSeen),
    last_seen: iso(lastSeen),
    first_flagged_at: Number.isFinite(firstFlagged) ? iso(firstFlagged) : null,
    capability_mix: capabilityMix,
    models: Object.fromEntries([...models].sort(([a], [b]) => a.localeCompare(b))),
    timeline,
    indicators: indicatorsOf(campaign, index),
    reasons: campaignReasons(campaign, members, context),
  };
}

function indicatorsOf(campaign: CampaignState, index: LinkageIndex): Indicator[] {
  const indicators: { indicator: Indicator; accounts: number }[] = [];
  for (const keyId of campaign.hubs) {
    const type = LINKAGE_KEY_TYPES[index.typeOf(keyId)]?.indicator;
    if (!type) continue;
    const value = index.valueOf(keyId);
    const exported = type === 'ipv4' && value.includes(':') ? 'ipv6' : type;
    indicators.push({
      indicator: {
        type: exported,
        value,
        count: index.exchangeCount(keyId) || index.accountCount(keyId),
        first_seen: new Date(index.firstSeenMs(keyId)).toISOString(),
        last_seen: new Date(
          Math.max(index.firstSeenMs(keyId), index.lastSeenMs(keyId)),
        ).toISOString(),
      },
      accounts: index.accountCount(keyId),
    });
  }
  return indicators
    .sort((a, b) => b.accounts - a.accounts || a.indicator.value.localeCompare(b.indicator.value))
    .slice(0, MAX_INDICATORS)
    .map((entry) => entry.indicator);
}

function campaignReasons(
  campaign: CampaignState,
  members: readonly AccountState[],
  context: CampaignContext,
): Reason[] {
  const byCode = new Map<string, { members: number; evidence: Record<string, unknown> }>();
  const sample = members.slice(0, REASON_SAMPLE);
  for (const member of sample) {
    for (const reason of accountReasons(member, context)) {
      if (
        reason.code === 'campaign_member' ||
        reason.code === 'regrowth' ||
        reason.code === 'account_age'
      )
        continue;
      const entry = byCode.get(reason.code);
      if (entry) entry.members += 1;
      else byCode.set(reason.code, { members: 1, evidence: reason.evidence ?? {} });
    }
  }
  const reasons: Reason[] = [];
  for (const [code, { members: count, evidence }] of [...byCode].sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    if (count / Math.max(1, sample.length) < 0.3) continue;
    const reason = createReason(code, { ...evidence, memberShare: round(count / sample.length) });
    reasons.push(reason);
  }
  const regrown = members.filter((member) => member.flaggedBy === 'affinity').length;
  if (regrown > 0) {
    reasons.push(
      createReason('regrowth', {
        campaign: campaign.id,
        keys: [`${regrown} accounts joined on first exchanges`],
      }),
    );
  }
  const total = [...campaign.models.values()].reduce((sum, entry) => sum + entry.exchanges, 0);
  for (const [model, entry] of campaign.models) {
    const share = entry.exchanges / Math.max(1, total);
    if (entry.firstMs > campaign.firstExchangeMs + 3600_000 && share >= 0.3) {
      reasons.push(
        createReason('model_pivot', {
          model,
          share: round(share),
          hours: round((entry.firstMs - campaign.firstExchangeMs) / 3600_000),
        }),
      );
    }
  }
  return reasons;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
