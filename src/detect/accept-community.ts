import type { AccountState } from './account-state.js';
import type { AccountCommunity } from './cluster-accounts.js';
import type { DetectorThresholds } from './detector-thresholds.js';
import { isEstablishedOrganisation } from './established-organisation.js';
import type { LinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX, type KeyFamily, LINKAGE_KEY_TYPES } from './linkage-key-type.js';
import { operatorIslands } from './operator-islands.js';

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
  /** Event time of this clustering (an account's standing is measured at it). */
  nowMs: number;
}

const FAMILY_OF = LINKAGE_KEY_TYPES.map((type) => type.family);
const OPERATOR = LINKAGE_KEY_TYPES.map((type) => type.operator);
const IDENTITY = LINKAGE_KEY_TYPES.map((type) => type.family === 'identity');
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
  { accounts, index, hubWeight, thresholds, nowMs }: AcceptContext,
): AcceptedCommunity | undefined {
  if (community.accounts.length < thresholds.minCampaignAccounts) return undefined;
  const families = new Set<KeyFamily>();
  let operatorHubs = 0;
  for (const keyId of community.hubs) {
    const typeIndex = index.typeOf(keyId);
    families.add(FAMILY_OF[typeIndex] as KeyFamily);
    if (OPERATOR[typeIndex]) operatorHubs += 1;
  }
  // Software fingerprints and templates are shared by every user of a popular tool, an ASN by
  // every customer of an ISP or cloud: a campaign also needs operator-controlled infrastructure
  // or identity (addresses, proxy subnets, payment, sign-up batches).
  if (families.size < 2 || operatorHubs === 0) return undefined;
  let total = 0;
  let cueShare = 0;
  for (const account of community.accounts) {
    const state = accounts[account] as AccountState;
    total += state.score;
    cueShare += smoothedCueShare(state);
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
  // A part held together by addresses alone (no shared payment or sign-up batch) and tied to the
  // rest only by software, templates or a domain — a campus NAT whose students drew homework from
  // the dataset the campaign harvests — must show the cue evidence a network-only campaign needs.
  const excluded = new Set<number>();
  const islands = operatorIslands(
    community.accounts,
    (account) => (accounts[account] as AccountState).keys,
    hubSet,
    index.typeOf,
  );
  if (islands.length > 1) {
    for (const island of islands) {
      if (island.identity) continue;
      let islandCues = 0;
      for (const account of island.accounts)
        islandCues += smoothedCueShare(accounts[account] as AccountState);
      if (islandCues / island.accounts.length >= thresholds.minNetworkOnlyCueShare) continue;
      for (const account of island.accounts) excluded.add(account);
    }
  }
  // Identity values (a card, a sign-up batch) two or more accounts of the community carry.
  const identityCarriers = new Map<number, number>();
  if (families.has('identity')) {
    for (const account of community.accounts) {
      for (const keyId of (accounts[account] as AccountState).keys) {
        if (hubSet.has(keyId) && IDENTITY[index.typeOf(keyId)])
          identityCarriers.set(keyId, (identityCarriers.get(keyId) ?? 0) + 1);
      }
    }
  }
  let heldByIdentity = false;
  for (const carriers of identityCarriers.values()) if (carriers >= 2) heldByIdentity = true;
  const sharesIdentity = (state: AccountState): boolean =>
    state.keys.some((keyId) => (identityCarriers.get(keyId) ?? 0) >= 2);
  const members = community.accounts.filter((account) => {
    if (excluded.has(account)) return false;
    const state = accounts[account] as AccountState;
    // In a campaign held by its operator's cards, an account tied to it by an address alone is
    // held to the network-only standard: a residential proxy's subnet is its households' subnet
    // too, and a chat user at home there shares the campaign's public templates as well.
    // Cloud egress is shared by a provider's tenants: addresses alone do not place a verified
    // organisation of long standing (an evaluation lab behind the proxies' datacenter).
    if (!sharesIdentity(state) && isEstablishedOrganisation(state, nowMs)) return false;
    if (
      heldByIdentity &&
      !sharesIdentity(state) &&
      smoothedCueShare(state) < thresholds.minNetworkOnlyCueShare
    )
      return false;
    let linkage = 0;
    let operatorLinkage = 0;
    for (const keyId of state.keys) {
      if (!hubSet.has(keyId)) continue;
      const weight = hubWeight.get(keyId) ?? 0;
      linkage += weight;
      if (OPERATOR[index.typeOf(keyId)]) operatorLinkage += weight;
    }
    // A shared template alone puts an honest user next to a campaign that harvests the same
    // public dataset; membership needs the operator's own infrastructure or identity too.
    return (
      linkage >= thresholds.minMemberLinkage && operatorLinkage >= thresholds.minOperatorLinkage
    );
  });
  if (members.length < thresholds.minCampaignAccounts) return undefined;
  // The content evidence is the members' own: accounts Louvain put beside them and the checks
  // above turned away lend it nothing. A classroom signed up in one lesson on its campus network
  // (a sign-up batch, the campus addresses) is clustered beside the homework crowd of its campus
  // (edu domain, public templates) whose scores carry the community's mean; its own traffic does
  // not harvest, an operator's accounts do.
  const memberScore = meanOf(members, accounts);
  if (memberScore < thresholds.minCampaignScore) return undefined;
  // The campaign owns (and later joins accounts by) only the values its members share: a NAT
  // address that Louvain put in the community through a rejected account stays nobody's.
  const carriers = new Map<number, number>();
  for (const account of members) {
    for (const keyId of (accounts[account] as AccountState).keys) {
      if (hubSet.has(keyId)) carriers.set(keyId, (carriers.get(keyId) ?? 0) + 1);
    }
  }
  const hubs = community.hubs.filter((keyId) => (carriers.get(keyId) ?? 0) >= 2);
  return { accounts: members, hubs, families, meanScore: memberScore };
}

function meanOf(members: readonly number[], accounts: readonly AccountState[]): number {
  let total = 0;
  for (const account of members) total += (accounts[account] as AccountState).score;
  return total / members.length;
}

/** Smoothed: two homework questions out of two are not yet a pattern. */
function smoothedCueShare(state: AccountState): number {
  return state.cueExchanges / (state.exchanges + 3);
}
