import type { AccountState } from './account-state.js';
import type { AccountCommunity } from './cluster-accounts.js';
import type { DetectorThresholds } from './detector-thresholds.js';
import type { LinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX, type KeyFamily, LINKAGE_KEY_TYPES } from './linkage-key-type.js';

/** A community that became a campaign: its flagged members and what holds them together. */
export interface AcceptedCommunity {
  accounts: number[];
  hubs: number[];
  families: Set<KeyFamily>;
  meanScore: number;
}

export interface AcceptContext {
  accounts: readonly AccountState[];
  index: LinkageIndex;
  /** Weight of each hub (key id) in this clustering. */
  hubWeight: ReadonlyMap<number, number>;
  thresholds: DetectorThresholds;
}

const FAMILY_OF = LINKAGE_KEY_TYPES.map((type) => type.family);
const IP = KEY_TYPE_INDEX.ip;
/** Shared addresses a campaign without shared identity needs (a campus NAT has one or two). */
const MIN_NETWORK_ONLY_ADDRESSES = 3;

/**
 * The rules that turn a community of linked suspicious accounts into a campaign, or undefined.
 * Evidence must combine: content (mean individual score), operator-controlled structure (network
 * or identity values) and at least one other family; members each need their own linkage.
 */
export function acceptCommunity(
  community: AccountCommunity,
  { accounts, index, hubWeight, thresholds }: AcceptContext,
): AcceptedCommunity | undefined {
  if (community.accounts.length < thresholds.minCampaignAccounts) return undefined;
  const families = new Set<KeyFamily>();
  for (const keyId of community.hubs) families.add(FAMILY_OF[index.typeOf(keyId)] as KeyFamily);
  // Software fingerprints and templates are shared by every user of a popular tool: a campaign
  // also needs operator-controlled infrastructure or identity (addresses, payment, signups).
  if (families.size < 2 || !(families.has('network') || families.has('identity'))) return undefined;
  let total = 0;
  let cueShare = 0;
  for (const account of community.accounts) {
    const state = accounts[account] as AccountState;
    total += state.score;
    // Smoothed: two homework questions out of two are not yet a pattern.
    cueShare += state.cueExchanges / (state.exchanges + 3);
  }
  const meanScore = total / community.accounts.length;
  if (meanScore < thresholds.minCampaignScore) return undefined;
  // Without shared identity (payment, sign-up burst), the network alone may be a campus or
  // office NAT: then the members' prompts must carry the case with explicit elicitation cues,
  // and a NAT is one or two shared addresses where a proxy pool is many.
  if (!families.has('identity')) {
    if (cueShare / community.accounts.length < thresholds.minNetworkOnlyCueShare) return undefined;
    let addresses = 0;
    for (const keyId of community.hubs) if (index.typeOf(keyId) === IP) addresses += 1;
    if (addresses < MIN_NETWORK_ONLY_ADDRESSES) return undefined;
  }
  const hubSet = new Set(community.hubs);
  const members = community.accounts.filter((account) => {
    const state = accounts[account] as AccountState;
    let linkage = 0;
    let operatorLinkage = 0;
    for (const keyId of state.keys) {
      if (!hubSet.has(keyId)) continue;
      const weight = hubWeight.get(keyId) ?? 0;
      linkage += weight;
      const family = FAMILY_OF[index.typeOf(keyId)];
      if (family === 'network' || family === 'identity') operatorLinkage += weight;
    }
    // A shared template alone puts an honest user next to a campaign that harvests the same
    // public dataset; membership needs the operator's own infrastructure or identity too.
    return (
      linkage >= thresholds.minMemberLinkage && operatorLinkage >= thresholds.minOperatorLinkage
    );
  });
  if (members.length < thresholds.minCampaignAccounts) return undefined;
  return { accounts: members, hubs: community.hubs, families, meanScore };
}
