import type { AccountState } from './account-state.js';
import type { CampaignRegistry } from './create-campaign-registry.js';
import type { LinkageIndex } from './linkage-index.js';
import { matchCampaigns } from './match-campaigns.js';
import {
  INVARIANT_MIN_WEIGHT,
  invariantAgreement,
  type OperatorPartitionOptions,
  partitionOperators,
} from './operator-partition.js';
import { operatorProfile } from './operator-profile.js';
import { refill, type StatefulPart } from './part-state.js';
import { splitRotatingClients } from './split-rotating-clients.js';

/**
 * Which operator campaign each flagged account is labelled with (its `campaign_id`), apart from
 * who is flagged and when: clustering decides the flags, this only names the operators among
 * them. Labels are decided at whole clusterings from what was seen so far and keep their ids
 * while they grow (matched by account overlap, as campaigns are).
 */
export interface OperatorLabels extends StatefulPart {
  /**
   * Re-partitions the flagged accounts into operators; paced (only once the flagged population
   * grew by a tenth since the last time) unless `force` (end of input).
   */
  relabel(force: boolean): void;
  /** The account's operator campaign id, null when unflagged or left without one. */
  labelOf(state: AccountState): string | null;
}

export interface OperatorLabelOptions {
  accounts: readonly AccountState[];
  registry: CampaignRegistry;
  index: LinkageIndex;
  partition?: OperatorPartitionOptions;
  /** Cut operator parts on client builds first (`DetectorThresholds.splitByClientBuild`). */
  splitByBuild?: boolean;
}

/** The flagged population grows by this share before it is partitioned again. */
const RELABEL_GROWTH = 0.1;
/** Accounts flagged as resellers form an operator of their own only this many together. */
const MIN_RESELLER_OPERATOR = 5;

/**
 * Creates the operator labelling.
 *
 * @example
 * const labels = createOperatorLabels({ accounts, registry, index });
 * labels.relabel(true);
 * labels.labelOf(state); // 'campaign-0002', 'campaign-0002.2', 'campaign-r0001' or null
 */
export function createOperatorLabels({
  accounts,
  registry,
  index,
  partition = {},
  splitByBuild = false,
}: OperatorLabelOptions): OperatorLabels {
  const { campaigns } = registry;
  /** Account → its label and the registry campaign it was in when labelled. */
  const assigned = new Map<number, { campaign: number; id: string }>();
  /** Parts split from a campaign, per campaign id; operators of resellers alone. */
  const splits = new Map<string, number>();
  let resellerOperators = 0;
  let flaggedAtLast = 0;

  const labelOf = (state: AccountState): string | null => {
    if (Number.isNaN(state.flaggedMs)) return null;
    const label = assigned.get(state.index);
    if (label && label.campaign === state.campaign) return label.id;
    return campaigns[state.campaign]?.id ?? null;
  };

  const relabel = (force: boolean): void => {
    const flagged = accounts.filter((state) => !Number.isNaN(state.flaggedMs));
    if (!force && flagged.length - flaggedAtLast < Math.max(1, RELABEL_GROWTH * flaggedAtLast))
      return;
    flaggedAtLast = flagged.length;
    const evasion = registry.evasionNumber;
    // Every flagged account is partitioned, on what its operator cannot vary from account to
    // account (task list, sign-up procedure): an adaptive operator varies its schedule, client,
    // model and exits per account, and a partition on those broke one operator into dozens
    // (adaptive scenario, seeds 2 and 3: ARI 1.0 → 0.09–0.10; docs/detection.md).
    const members = flagged.filter(
      (state) => state.campaign >= 0 || state.flaggedBy === 'reseller',
    );
    const profiles = members.map((state) => {
      const profile = operatorProfile(state, index);
      // The catch-all campaign holds lone operators together for want of any tie: no evidence.
      return state.campaign === evasion ? { ...profile, campaign: -1 } : profile;
    });
    const byInvariants = partitionOperators(profiles, {
      tie: invariantAgreement,
      minWeight: INVARIANT_MIN_WEIGHT,
      ...partition,
    });
    const parts = splitRotatingClients(profiles, byInvariants, {
      byBuild: splitByBuild,
    }).map((part) => part.map((at) => members[at] as AccountState));
    const partAccounts = parts.map((part) => part.map((state) => state.index));
    // A part that holds most of a campaign's flagged members keeps the campaign's id: where the
    // operators are the campaigns, the labels are the campaigns.
    const canonical = matchCampaigns(
      partAccounts,
      (account) => (accounts[account] as AccountState).campaign,
    );
    const used = new Set<string>();
    const ids: (string | null)[] = canonical.map((number) => {
      if (number < 0) return null;
      const id = (campaigns[number] as { id: string }).id;
      used.add(id);
      return id;
    });
    // The others continue the label most of their members had.
    const previous = new Map<string, number>();
    const byAccount = new Map<number, number>();
    for (const state of members) {
      const label = labelOf(state);
      if (label === null || used.has(label)) continue;
      let number = previous.get(label);
      if (number === undefined) {
        number = previous.size;
        previous.set(label, number);
      }
      byAccount.set(state.index, number);
    }
    const labelNames = [...previous.keys()];
    const rest = partAccounts.map((accountsOfPart, position) =>
      ids[position] === null ? accountsOfPart : [],
    );
    matchCampaigns(rest, (account) => byAccount.get(account) ?? -1).forEach((number, position) => {
      if (number < 0 || ids[position] !== null) return;
      const id = labelNames[number] as string;
      ids[position] = id;
      used.add(id);
    });
    parts.forEach((part, position) => {
      if (ids[position] !== null) return;
      const parent = majorityCampaign(part);
      if (parent < 0) {
        if (part.length < MIN_RESELLER_OPERATOR) return;
        resellerOperators += 1;
        ids[position] = `campaign-r${String(resellerOperators).padStart(4, '0')}`;
        return;
      }
      const parentId = (campaigns[parent] as { id: string }).id;
      if (!used.has(parentId)) {
        ids[position] = parentId;
      } else {
        const split = (splits.get(parentId) ?? 1) + 1;
        splits.set(parentId, split);
        ids[position] = `${parentId}.${split}`;
      }
      used.add(ids[position] as string);
    });
    assigned.clear();
    parts.forEach((part, position) => {
      const id = ids[position];
      if (id === null || id === undefined) return;
      // An account tied to others (one task list, one sign-up procedure) is labelled with their
      // operator; one tied to nobody keeps its campaign's id, and a lone reseller's door none.
      if (part.length < 2) return;
      for (const state of part) assigned.set(state.index, { campaign: state.campaign, id });
    });
  };

  const exportState = () => ({ assigned, splits, resellerOperators, flaggedAtLast });
  return {
    exportState,
    importState(state) {
      const restored = state as ReturnType<typeof exportState>;
      refill(assigned, restored.assigned);
      refill(splits, restored.splits);
      ({ resellerOperators, flaggedAtLast } = restored);
    },
    relabel,
    labelOf,
  };
}

/** The registry campaign most of the part's members are in (-1: none, all resellers). */
function majorityCampaign(part: readonly AccountState[]): number {
  const counts = new Map<number, number>();
  for (const state of part)
    if (state.campaign >= 0) counts.set(state.campaign, (counts.get(state.campaign) ?? 0) + 1);
  let best = -1;
  let bestCount = 0;
  for (const [campaign, count] of counts) {
    if (count > bestCount || (count === bestCount && campaign < best)) {
      best = campaign;
      bestCount = count;
    }
  }
  return best;
}
