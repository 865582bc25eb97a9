import type { AccountState } from '../account-state.js';
import type { DetectorThresholds } from '../detector-thresholds.js';
import { isEstablishedOrganisation } from '../established-organisation.js';
import type { LinkageIndex } from '../linkage-index.js';
import { type KeyFamily, LINKAGE_KEY_TYPES } from '../linkage-key-type.js';
import { isEstablishedAccount } from '../public-value.js';
import { hasOwnTrace } from './own-trace.js';

/** Requests before an account's own content is judged. */
const MIN_EXCHANGES = 10;
/** Share of its requests that elicit (smoothed over n + 3, as a population candidate's). */
const MIN_CUE_SHARE = 0.5;
/** Families of values the account must share with the campaign (content always one of them). */
export const REMNANT_FAMILIES = 2;
/** Distinct values of the campaign's own content the account must send (a harvest's prompts). */
export const REMNANT_CONTENT_VALUES = 3;
/** Members of the campaign that must carry a value. */
const MIN_HELD = 2;
/** A value is the campaign's when this share of its unexplained carriers are members. */
export const REMNANT_PURITY = 0.6;
/** Pseudo-carriers added before measuring a value's concentration (as hubs' purity). */
const PRIOR = 2;
/**
 * Families whose values say who runs the accounts without being operator-controlled: a
 * throwaway domain, a harness's client build, the campaign's own prompts. Network values (an
 * ISP, a proxy's household block) and identity values (the affinity join's) are left out.
 */
const KIN_FAMILIES: ReadonlySet<KeyFamily> = new Set(['affiliation', 'software', 'content']);

const FAMILY_OF = LINKAGE_KEY_TYPES.map((type) => type.family);

export interface RemnantContext {
  accounts: readonly AccountState[];
  index: LinkageIndex;
  thresholds: DetectorThresholds;
  /** Per key id: the owning campaign's number, or -1 ({@link CampaignOwnership.owners}). */
  owners: Int32Array;
  /** The catch-all campaign of evasive accounts (its members say nothing of who sends a value). */
  catchAll: number;
  nowMs: number;
}

/**
 * The campaign an unflagged account is a leftover member of, or -1: an operator's account that
 * shares none of its infrastructure (own card, own residential exits, its own sign-up) but still
 * sends the campaign's own prompts and carries its other values — a throwaway domain, the
 * harness's client build — values whose carriers are, apart from accounts as suspicious as this
 * one, the campaign's members. The account must show the operator's trace itself (rotating exits
 * or a sweep across languages, {@link hasOwnTrace}), be new (opened for the campaign, not of a
 * month's standing) and harvest on its own (a candidate whose requests mostly elicit).
 *
 * Threat: an operator that buys a residential exit and a card per account is not tied to its
 * fellows by anything it controls, so the affinity join (an owned operator value) never fires and
 * the population grouping judges its throwaway domain impure because the carriers already caught
 * count as innocent. It cannot change what it came for nor, without rebuilding its harness, the
 * client and domain its pool was set up with. Innocent carriers it spares: a student whose
 * homework question or SDK the campaign also sends (those values' other carriers are students and
 * developers, so the value is not the campaign's; a student keeps one home network and does not
 * mostly elicit), an exam teacher's multilingual worksheets (its own templates, no campaign's), an
 * evaluation lab of standing (established).
 */
export function remnantCampaign(state: AccountState, context: RemnantContext): number {
  if (!isRemnantCandidate(state, context)) return -1;
  const kin = campaignKin(state, context);
  let best = -1;
  let bestValues = 0;
  for (const [campaign, entry] of kin) {
    if (entry.families.size < REMNANT_FAMILIES || !entry.families.has('content')) continue;
    if (entry.content < REMNANT_CONTENT_VALUES) continue;
    if (entry.values > bestValues) {
      best = campaign;
      bestValues = entry.values;
    }
  }
  return best;
}

/** The account's own bar: unflagged, new, its own operator trace, a harvest of its own. */
function isRemnantCandidate(state: AccountState, { thresholds, nowMs }: RemnantContext): boolean {
  if (!Number.isNaN(state.flaggedMs) || state.exchanges < MIN_EXCHANGES) return false;
  if (state.score < thresholds.candidateScore) return false;
  if (state.cueExchanges / (state.exchanges + 3) < MIN_CUE_SHARE) return false;
  if (isEstablishedAccount(state) || isEstablishedOrganisation(state, nowMs)) return false;
  return hasOwnTrace(state);
}

interface KinEntry {
  families: Set<KeyFamily>;
  values: number;
  content: number;
}

/** Per campaign: the values of {@link KIN_FAMILIES} the account carries that are the campaign's. */
function campaignKin(state: AccountState, context: RemnantContext): Map<number, KinEntry> {
  const { index, owners, catchAll } = context;
  const kin = new Map<number, KinEntry>();
  const seen = new Set<number>();
  for (const keyId of [...state.keys, ...state.recordKeys]) {
    if (seen.has(keyId) || keyId >= owners.length) continue;
    seen.add(keyId);
    const family = FAMILY_OF[index.typeOf(keyId)] as KeyFamily;
    if (!KIN_FAMILIES.has(family)) continue;
    let campaign = owners[keyId] as number;
    if (campaign < 0 && context.thresholds.operatorRemnantByCarriers)
      campaign = carriersCampaign(keyId, context);
    if (campaign < 0 || campaign === catchAll) continue;
    if (!heldByCampaign(keyId, campaign, state, context)) continue;
    const entry = kin.get(campaign) ?? { families: new Set<KeyFamily>(), values: 0, content: 0 };
    entry.families.add(family);
    entry.values += 1;
    if (family === 'content') entry.content += 1;
    kin.set(campaign, entry);
  }
  return kin;
}

/** Values with more active carriers than this are not scanned for their carriers' campaign. */
const MAX_SCANNED = 512;

/**
 * The campaign most of a value's flagged carriers are in, or -1: for a value no campaign owns
 * because the last clustering left its members' community out (they stay flagged in it), as the
 * no-network+no-identity reasoning campaign of tuning seed 9 at the end of its log.
 */
function carriersCampaign(keyId: number, { accounts, index, catchAll }: RemnantContext): number {
  if (index.activeMembers(keyId) > MAX_SCANNED) return -1;
  const votes = new Map<number, number>();
  let best = -1;
  let bestVotes = 0;
  for (const member of index.members(keyId)) {
    const state = accounts[member] as AccountState;
    if (Number.isNaN(state.flaggedMs) || state.campaign < 0 || state.campaign === catchAll)
      continue;
    const count = (votes.get(state.campaign) ?? 0) + 1;
    votes.set(state.campaign, count);
    if (count > bestVotes) {
      best = state.campaign;
      bestVotes = count;
    }
  }
  return best;
}

/**
 * Whether the value's active carriers are, apart from unflagged accounts as suspicious as this
 * one (candidates), the campaign's members: members / (members + other carriers + prior).
 * Carriers in other campaigns count against it (a stock value is nobody's).
 */
function heldByCampaign(
  keyId: number,
  campaign: number,
  self: AccountState,
  { accounts, index, thresholds }: RemnantContext,
): boolean {
  const active = index.activeMembers(keyId);
  let held = 0;
  let suspicious = 0;
  let seen = 0;
  for (const member of index.members(keyId)) {
    const state = accounts[member] as AccountState;
    if (state.exchanges === 0) continue;
    seen += 1;
    if (!Number.isNaN(state.flaggedMs) && state.campaign === campaign) held += 1;
    else if (
      Number.isNaN(state.flaggedMs) &&
      (state === self || state.score >= thresholds.candidateScore)
    )
      suspicious += 1;
  }
  // Stored members are a sample of a huge value: the carriers beyond it count as others.
  const others = Math.max(active, seen) - held - suspicious;
  return held >= MIN_HELD && held / (held + others + PRIOR) >= REMNANT_PURITY;
}
