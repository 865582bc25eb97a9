import type { AcceptedCommunity } from './accept-community.js';
import type { AccountState } from './account-state.js';
import type { DetectorThresholds } from './detector-thresholds.js';
import { isEstablishedOrganisation } from './established-organisation.js';
import type { LinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX, type KeyFamily, LINKAGE_KEY_TYPES } from './linkage-key-type.js';
import type { StatefulPart } from './part-state.js';
import { isPublicValue } from './public-value.js';

/**
 * Which campaign owns each linkage value (key id), as lent by its hubs at clustering: the map an
 * unflagged account is joined by between clusterings, and traffic is attributed by.
 */
export interface CampaignOwnership extends StatefulPart {
  /** Per key id: the owning campaign's number, or -1; shorter than the index for newer keys. */
  readonly owners: Int32Array;
  /** Whether the last {@link contentOwner} answer came from a stock value only. */
  readonly ownerIsStock: boolean;
  /**
   * Whether the value behind the last {@link contentOwner} answer already circulates among
   * established customers: sent by accounts of a month's standing (no clustering placed) from at
   * least `thresholds.memberPublicNetworks` networks, short of the three that make it public.
   */
  ownerCirculates(): boolean;
  /**
   * The campaign whose operator-authored content (a system prompt or tool set only its accounts
   * send) these keys carry, preferring a value no other campaign carries, or -1.
   */
  contentOwner(keyIds: readonly number[]): number;
  /** The campaign an unflagged account joins on the strength of these keys, or -1. */
  affinity(keyIds: readonly number[], state: AccountState, cue: boolean, timeMs: number): number;
  /** The campaign whose wording an evasive account shares, or -1 (placement only). */
  contentKin(state: AccountState): number;
  /** The campaign owning a payment card two of the community's members carry, or -1. */
  cardOwner(community: AcceptedCommunity): number;
  /** Lends campaign `number` the hubs it holds more strongly than their present owner. */
  lend(hubs: readonly number[], number: number, hubWeight: ReadonlyMap<number, number>): void;
  /** Forgets every owner (a whole clustering assigns them again). */
  reset(): void;
  /** Makes room for keys interned since the last whole clustering (they have no owner yet). */
  widen(): void;
  /**
   * Marks the communities' authored hubs other campaigns' members also carry as stock, and
   * releases those that are public (see {@link isPublicValue}): they attribute nothing.
   */
  markSharedAuthored(communities: readonly AcceptedCommunity[]): void;
}

export interface CampaignOwnershipOptions {
  index: LinkageIndex;
  thresholds: DetectorThresholds;
  accounts: readonly AccountState[];
  /** The catch-all campaign of evasive accounts (its members say nothing of who else sends a value). */
  evasionNumber: () => number;
}

const FAMILY_OF = LINKAGE_KEY_TYPES.map((type) => type.family);
const OPERATOR = LINKAGE_KEY_TYPES.map((type) => type.operator);
const AUTHORED = LINKAGE_KEY_TYPES.map(
  (type) => type.name === 'system_prompt' || type.name === 'tool_set',
);
const PAYMENT = KEY_TYPE_INDEX.payment_fingerprint;

/**
 * Creates the campaign ownership of linkage values.
 *
 * @example
 * const ownership = createCampaignOwnership({ index, thresholds, accounts, evasionNumber: () => -1 });
 * ownership.widen();
 * ownership.lend(community.hubs, 0, hubWeight);
 */
export function createCampaignOwnership({
  index,
  thresholds,
  accounts,
  evasionNumber,
}: CampaignOwnershipOptions): CampaignOwnership {
  let ownerCampaign: Int32Array = new Int32Array(0);
  /** Per key id: the weight it lends to a join. */
  let ownerWeight: Float64Array = new Float64Array(0);
  /** Per key id: 1 when an operator-authored value is shared by two campaigns (a stock prompt). */
  let ownerShared: Uint8Array = new Uint8Array(0);
  let ownerIsStock = false;
  let ownerKey = -1;

  /** Whether at least two members of campaigns other than `owner` carry the value. */
  const carriedByOtherCampaigns = (keyId: number, owner: number): boolean => {
    const catchAll = evasionNumber();
    let others = 0;
    for (const member of index.members(keyId)) {
      const campaign = (accounts[member] as AccountState).campaign;
      if (campaign >= 0 && campaign !== owner && campaign !== catchAll) others += 1;
      if (others >= 2) return true;
    }
    return false;
  };

  const exportState = () => ({ ownerCampaign, ownerWeight, ownerShared, ownerIsStock });
  return {
    exportState,
    importState(state) {
      ({ ownerCampaign, ownerWeight, ownerShared, ownerIsStock } = state as ReturnType<
        typeof exportState
      >);
    },
    get owners() {
      return ownerCampaign;
    },
    get ownerIsStock() {
      return ownerIsStock;
    },

    ownerCirculates() {
      if (ownerKey < 0 || !Number.isFinite(thresholds.memberPublicNetworks)) return false;
      return isPublicValue(
        index.members(ownerKey),
        accounts,
        index,
        thresholds.memberPublicNetworks,
      );
    },

    // Public templates do not count: honest users draw from the same datasets.
    contentOwner(keyIds) {
      let stock = -1;
      ownerKey = -1;
      for (const keyId of keyIds) {
        if (
          keyId < ownerCampaign.length &&
          ownerCampaign[keyId] !== -1 &&
          AUTHORED[index.typeOf(keyId)]
        ) {
          if (ownerShared[keyId] === 0) {
            ownerIsStock = false;
            ownerKey = keyId;
            return ownerCampaign[keyId] as number;
          }
          if (stock < 0) {
            stock = ownerCampaign[keyId] as number;
            ownerKey = keyId;
          }
        }
      }
      ownerIsStock = stock >= 0;
      return stock;
    },

    affinity(keyIds, state, cue, timeMs) {
      let best = -1;
      let bestWeight = 0;
      let weights:
        | Map<number, { weight: number; families: number; content: boolean; operator: boolean }>
        | undefined;
      for (const keyId of keyIds) {
        if (keyId >= ownerCampaign.length) continue;
        const campaign = ownerCampaign[keyId] as number;
        if (campaign < 0) continue;
        weights ??= new Map();
        const entry = weights.get(campaign) ?? {
          weight: 0,
          families: 0,
          content: false,
          operator: false,
        };
        const typeIndex = index.typeOf(keyId);
        const family = FAMILY_OF[typeIndex] as KeyFamily;
        entry.weight += ownerWeight[keyId] as number;
        entry.families |= familyBit(family);
        if (family === 'content') entry.content = true;
        if (OPERATOR[typeIndex]) entry.operator = true;
        weights.set(campaign, entry);
      }
      if (!weights) return -1;
      const candidate = state.score >= thresholds.candidateScore;
      const established = isEstablishedOrganisation(state, timeMs);
      for (const [campaign, entry] of weights) {
        // As in a community: without the operator's identity, no join for an established organisation.
        if (established && (entry.families & IDENTITY_BIT) === 0) continue;
        const families = popCount(entry.families);
        // Without the operator's identity (card, sign-up batch) or its client fingerprint, an
        // address and a public template are a household in the proxy's residential block: this
        // exchange must elicit, from an account whose own score makes it a candidate.
        const suspicious =
          (entry.families & IDENTITY_BIT) !== 0 || families >= 3
            ? entry.content || cue || candidate
            : cue && candidate;
        if (
          entry.weight >= thresholds.joinAffinity &&
          families >= 2 &&
          entry.operator &&
          suspicious &&
          entry.weight > bestWeight
        ) {
          best = campaign;
          bestWeight = entry.weight;
        }
      }
      return best;
    },

    // Weight at least `minMemberLinkage`: an operator that rotates every exit still reuses its
    // own templates, prompts and domain.
    contentKin(state) {
      let best = -1;
      let bestWeight = thresholds.minMemberLinkage;
      const weights = new Map<number, number>();
      for (const keyId of state.keys) {
        if (keyId >= ownerCampaign.length || OPERATOR[index.typeOf(keyId)]) continue;
        const campaign = ownerCampaign[keyId] as number;
        if (campaign < 0 || ownerShared[keyId] === 1) continue;
        const weight = (weights.get(campaign) ?? 0) + (ownerWeight[keyId] as number);
        weights.set(campaign, weight);
        if (weight >= bestWeight) {
          best = campaign;
          bestWeight = weight;
        }
      }
      return best;
    },

    cardOwner(community) {
      const carriers = new Map<number, number>();
      for (const account of community.accounts) {
        for (const keyId of (accounts[account] as AccountState).keys) {
          if (keyId >= ownerCampaign.length || index.typeOf(keyId) !== PAYMENT) continue;
          const owner = ownerCampaign[keyId] as number;
          if (owner < 0) continue;
          const count = (carriers.get(keyId) ?? 0) + 1;
          carriers.set(keyId, count);
          if (count >= 2) return owner;
        }
      }
      return -1;
    },

    lend(hubs, number, hubWeight) {
      for (const keyId of hubs) {
        const weight = hubWeight.get(keyId) ?? 0;
        if (weight > (ownerWeight[keyId] as number)) {
          ownerCampaign[keyId] = number;
          ownerWeight[keyId] = weight;
        }
      }
    },

    reset() {
      ownerCampaign = new Int32Array(index.size).fill(-1);
      ownerWeight = new Float64Array(index.size);
      ownerShared = new Uint8Array(index.size);
    },

    widen() {
      if (ownerCampaign.length >= index.size) return;
      const campaign = new Int32Array(index.size).fill(-1);
      campaign.set(ownerCampaign);
      ownerCampaign = campaign;
      const weight = new Float64Array(index.size);
      weight.set(ownerWeight);
      ownerWeight = weight;
      const shared = new Uint8Array(index.size);
      shared.set(ownerShared);
      ownerShared = shared;
    },

    // Two operators drawing the same stock system prompt or tool set: a hub sits in one community
    // only, so look at who else carries it; such a value attributes traffic to neither campaign.
    // A public one (an open-source agent's prompt and tool schema) is nobody's at all.
    markSharedAuthored(communities) {
      for (const community of communities) {
        for (const keyId of community.hubs) {
          if (!AUTHORED[index.typeOf(keyId)]) continue;
          if (isPublicValue(index.members(keyId), accounts, index)) {
            ownerCampaign[keyId] = -1;
            ownerWeight[keyId] = Number.POSITIVE_INFINITY;
            continue;
          }
          if (carriedByOtherCampaigns(keyId, ownerCampaign[keyId] as number))
            ownerShared[keyId] = 1;
        }
      }
    },
  };
}

function familyBit(family: KeyFamily): number {
  return family === 'network'
    ? 1
    : family === 'identity'
      ? 2
      : family === 'software'
        ? 4
        : family === 'content'
          ? 8
          : 16;
}

const IDENTITY_BIT = familyBit('identity');

function popCount(bits: number): number {
  let count = 0;
  for (let value = bits; value > 0; value >>= 1) count += value & 1;
  return count;
}
