import type { Verdict } from '../detect/verdict.js';
import { adjustedRandIndex } from './adjusted-rand-index.js';
import type { AttackExchangeTally } from './attack-exchange-tally.js';
import { ratio } from './attack-exchange-tally.js';
import type {
  CampaignMetrics,
  EvaluationReport,
  FlaggedVerdict,
  GroupMetrics,
  TimeToDetectMetrics,
} from './evaluation-report.js';
import { medianOrNull } from './median.js';
import { checkTargets, TARGET_PROFILES } from './targets.js';
import type { TruthIndex } from './truth-index.js';
import { UNATTRIBUTED_CAMPAIGN } from './truth-index.js';

export interface BuildEvaluationInput {
  index: TruthIndex;
  verdicts: Iterable<Verdict>;
  flaggedVerdicts: readonly FlaggedVerdict[];
  /** Attack exchanges already tallied against the same flags; null when there is no log. */
  tally: AttackExchangeTally | null;
  exchanges: { total: number; unknownAccount: number } | null;
  /** Accounts with at least one exchange in the log; null without a log (then every account counts). */
  activeAccounts: ReadonlySet<string> | null;
  targetProfile: string;
}

/** Account → epoch ms of its first flag (+∞ when flagged without a time), for flagged accounts only. */
export function flagTimes(
  verdicts: Iterable<Verdict>,
  flaggedVerdicts: readonly FlaggedVerdict[],
): Map<string, number> {
  const flagged = new Set<string>(flaggedVerdicts);
  const times = new Map<string, number>();
  for (const verdict of verdicts) {
    if (!flagged.has(verdict.verdict)) continue;
    const time =
      verdict.first_flagged_at === null ? Number.NaN : Date.parse(verdict.first_flagged_at);
    times.set(verdict.account_id, Number.isNaN(time) ? Number.POSITIVE_INFINITY : time);
  }
  return times;
}

/** Computes every metric from indexed truth, verdicts and (optionally) a tally of attack exchanges. */
export function buildEvaluation(input: BuildEvaluationInput): EvaluationReport {
  const { index, flaggedVerdicts, tally } = input;
  const verdicts = [...input.verdicts];
  const flags = flagTimes(verdicts, flaggedVerdicts);
  const predictedCampaign = new Map<string, string | null>();
  let unknownVerdicts = 0;
  for (const verdict of verdicts) {
    if (!index.byAccount.has(verdict.account_id)) unknownVerdicts++;
    predictedCampaign.set(verdict.account_id, verdict.campaign_id);
  }

  const counts = { attack: 0, legit: 0, mixed: 0 };
  const flaggedCounts = { attack: 0, legit: 0, mixed: 0 };
  const groups = new Map<string, { flagged: number; total: number }>();
  const campaignRecall = new Map<string, { flagged: number; total: number }>();
  const truthLabels: string[] = [];
  const predictedLabels: string[] = [];
  let missingVerdicts = 0;
  let inactive = 0;
  for (const record of index.byAccount.values()) {
    const accountId = record.account_id;
    // An account that never sent a request cannot be judged from traffic: it is left out.
    if (input.activeAccounts !== null && !input.activeAccounts.has(accountId)) {
      inactive++;
      continue;
    }
    if (!predictedCampaign.has(accountId)) missingVerdicts++;
    const isFlagged = flags.has(accountId);
    counts[record.label]++;
    if (isFlagged) flaggedCounts[record.label]++;
    if (record.label === 'legit') {
      const name = record.group ?? 'ungrouped';
      const group = groups.get(name) ?? { flagged: 0, total: 0 };
      group.total++;
      if (isFlagged) group.flagged++;
      groups.set(name, group);
    } else if (record.label === 'attack') {
      const campaignId = record.campaign_id ?? UNATTRIBUTED_CAMPAIGN;
      const campaign = campaignRecall.get(campaignId) ?? { flagged: 0, total: 0 };
      campaign.total++;
      if (isFlagged) campaign.flagged++;
      campaignRecall.set(campaignId, campaign);
      truthLabels.push(`t:${campaignId}`);
      const predicted = isFlagged ? predictedCampaign.get(accountId) : null;
      // Unflagged or unattributed accounts are singletons: they were not put with anyone.
      predictedLabels.push(
        predicted === null || predicted === undefined ? `s:${accountId}` : `p:${predicted}`,
      );
    }
  }

  const falsePositivesByGroup: GroupMetrics[] = [...groups.entries()]
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([group, { flagged, total }]) => ({ group, falsePositives: ratio(flagged, total) }));

  const campaigns = campaignMetrics(index, flags, campaignRecall, tally);
  const base: Omit<EvaluationReport, 'targets'> = {
    targetProfile: input.targetProfile,
    flaggedVerdicts: [...flaggedVerdicts],
    accounts: { ...counts, inactive, unknownVerdicts, missingVerdicts },
    recall: ratio(flaggedCounts.attack, counts.attack),
    precision: ratio(flaggedCounts.attack, flaggedCounts.attack + flaggedCounts.legit),
    falsePositives: ratio(flaggedCounts.legit, counts.legit),
    falsePositivesByGroup,
    mixedFlagged: ratio(flaggedCounts.mixed, counts.mixed),
    leakage: tally === null ? null : tally.total(),
    timeToDetect: tally === null ? null : timeToDetect(index, flags, campaigns, tally),
    campaignAri: truthLabels.length === 0 ? null : adjustedRandIndex(truthLabels, predictedLabels),
    campaigns,
    exchanges:
      input.exchanges === null || tally === null
        ? null
        : { ...input.exchanges, attack: tally.total().total },
  };
  const profile = TARGET_PROFILES[input.targetProfile] ?? TARGET_PROFILES['seed-scale']!;
  return { ...base, targets: checkTargets(base, profile) };
}

function campaignMetrics(
  index: TruthIndex,
  flags: ReadonlyMap<string, number>,
  recall: ReadonlyMap<string, { flagged: number; total: number }>,
  tally: AttackExchangeTally | null,
): CampaignMetrics[] {
  const firstFlag = new Map<string, number>();
  const noteFlag = (campaignId: string, accountId: string) => {
    const time = flags.get(accountId);
    if (time === undefined || !Number.isFinite(time)) return;
    const known = firstFlag.get(campaignId);
    if (known === undefined || time < known) firstFlag.set(campaignId, time);
  };
  for (const record of index.byAccount.values()) {
    if (record.label === 'attack')
      noteFlag(record.campaign_id ?? UNATTRIBUTED_CAMPAIGN, record.account_id);
  }
  // A reseller carrying a campaign's exchanges is one of that campaign's doors: flagging it counts.
  if (tally !== null) {
    for (const [accountId, campaignIds] of tally.campaignsByAccount) {
      if (index.byAccount.get(accountId)?.label !== 'mixed') continue;
      for (const campaignId of campaignIds) noteFlag(campaignId, accountId);
    }
  }
  const ids = new Set([...index.campaignIds, ...recall.keys()]);
  return [...ids].sort().map((campaignId) => {
    const counted = recall.get(campaignId) ?? { flagged: 0, total: 0 };
    const exchanges = tally?.byCampaign.get(campaignId);
    const flaggedAt = firstFlag.get(campaignId);
    return {
      campaignId,
      recall: ratio(counted.flagged, counted.total),
      leakage: tally === null ? null : ratio(exchanges?.leaked ?? 0, exchanges?.exchanges ?? 0),
      timeToDetectMs:
        exchanges === undefined || flaggedAt === undefined
          ? null
          : flaggedAt - exchanges.firstExchangeMs,
      firstExchangeAt:
        exchanges === undefined ? null : new Date(exchanges.firstExchangeMs).toISOString(),
      firstFlaggedAt: flaggedAt === undefined ? null : new Date(flaggedAt).toISOString(),
    };
  });
}

function timeToDetect(
  index: TruthIndex,
  flags: ReadonlyMap<string, number>,
  campaigns: readonly CampaignMetrics[],
  tally: AttackExchangeTally,
): TimeToDetectMetrics {
  const campaignTimes: number[] = [];
  let detected = 0;
  for (const campaign of campaigns) {
    if (campaign.firstExchangeAt === null) continue;
    if (campaign.timeToDetectMs === null) campaignTimes.push(Number.POSITIVE_INFINITY);
    else {
      detected++;
      campaignTimes.push(campaign.timeToDetectMs);
    }
  }
  const accountTimes: number[] = [];
  for (const [accountId, first] of tally.firstExchangeByAccount) {
    if (index.byAccount.get(accountId)?.label !== 'attack') continue;
    accountTimes.push((flags.get(accountId) ?? Number.POSITIVE_INFINITY) - first);
  }
  return {
    medianCampaignMs: medianOrNull(campaignTimes),
    medianAccountMs: medianOrNull(accountTimes),
    campaignsDetected: detected,
    campaignsMeasured: campaignTimes.length,
  };
}
