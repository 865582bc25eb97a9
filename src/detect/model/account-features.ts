import type { AccountState } from '../account-state.js';
import { isEstablishedOrganisation } from '../established-organisation.js';
import { repeatedLanguages } from '../evasive-account.js';
import {
  accountRisk,
  cadenceRegularity,
  fixedParameterShare,
  highValueShare,
} from '../individual-score.js';
import type { LinkageIndex } from '../linkage-index.js';
import { KEY_TYPE_INDEX, LINKAGE_KEY_TYPES } from '../linkage-key-type.js';
import { COHORT_BUCKET_MS } from '../population/population-tracker.js';
import { newCarrierShare, rarityWeight } from '../population/rarity-weight.js';

/**
 * The features the fitted model reads, in vector order. Each is a stable code: a flagged
 * account's strongest contributions are reported under these names (reason `model_score`).
 * Own evidence first (the individual score's parts), then the neighbourhood: accounts that
 * share the account's values, weighted by how rare each value is among the population.
 */
export const FEATURE_NAMES = [
  'individual_score',
  'cue_share',
  'weak_cue_share',
  'coverage',
  'template_repeat_share',
  'single_turn_share',
  'fixed_parameters',
  'cadence_regularity',
  'output_tokens',
  'tool_share',
  'languages',
  'exit_rotation',
  'entry_risk',
  'account_age',
  'exchanges',
  'established_organisation',
  'rare_key_share',
  'rare_operator_keys',
  'rare_content_keys',
  'neighbours',
  'neighbour_mean_score',
  'neighbour_max_score',
  'neighbour_flagged_share',
  'neighbour_pooled_cues',
  'neighbour_co_activity',
  'domain_new_share',
  'signup_cohort_excess',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** What the features read besides the account: the engine's own state, never written. */
export interface FeatureContext {
  index: LinkageIndex;
  accounts: readonly AccountState[];
  /** Exchanges of an account with a weak cue (population tracker). */
  weakCues(account: number): number;
  /** An account's distinct activity buckets, ascending (population tracker). */
  buckets(account: number): readonly number[];
  /** Sign-ups in a cohort bucket, and the population's per-bucket baseline. */
  signups(cohort: number): number;
  cohortBaseline(): number;
}

/** A value this rare or rarer among the population makes its carriers neighbours. */
const RARE = 0.5;
/** Carriers read per shared value, and neighbours compared for co-activity: bounded cost. */
const MAX_CARRIERS = 64;
const MAX_CO_ACTIVITY = 32;
const LOG_1000 = Math.log(1001);
const OPERATOR = LINKAGE_KEY_TYPES.map((type) => type.operator);
const CONTENT = LINKAGE_KEY_TYPES.map((type) => type.family === 'content');
const DOMAIN = KEY_TYPE_INDEX.email_domain;

/**
 * The account's feature vector at `nowMs`, from what the engine keeps now (causal). Cost:
 * O(keys × {@link MAX_CARRIERS} + {@link MAX_CO_ACTIVITY} × buckets); the model flagger calls
 * it on a schedule, not on every exchange.
 *
 * @example
 * const vector = accountFeatures(state, Date.parse(exchange.ts), context);
 * vector[FEATURE_NAMES.indexOf('cue_share')];
 */
export function accountFeatures(
  state: AccountState,
  nowMs: number,
  context: FeatureContext,
): Float64Array {
  const n = Math.max(1, state.exchanges);
  const features = new Float64Array(FEATURE_NAMES.length);
  const repeats = state.templateRepeats / n;
  const subnets = state.keysPerType[KEY_TYPE_INDEX.subnet] as number;
  const ageMs = nowMs - state.createdMs;
  let at = 0;
  features[at++] = state.score;
  features[at++] = state.cueExchanges / (state.exchanges + 1);
  features[at++] = Math.max(context.weakCues(state.index), state.cueExchanges) / n;
  features[at++] = highValueShare(state) * (1 - repeats);
  features[at++] = repeats;
  features[at++] = state.singleTurn / n;
  features[at++] = fixedParameterShare(state);
  features[at++] = cadenceRegularity(state);
  features[at++] = Math.log1p(state.outputTokens / n) / Math.log(4001);
  features[at++] = state.withTools / n;
  features[at++] = Math.min(1, repeatedLanguages(state) / 5);
  // A new /24 every dozen requests or faster is rotation; 1 = one per dozen.
  features[at++] = Math.min(2, subnets / Math.max(1, n / 12));
  features[at++] = accountRisk(state);
  features[at++] = Number.isFinite(ageMs) ? Math.log1p(ageMs / 86_400_000) / LOG_1000 : -1;
  features[at++] = Math.log1p(state.exchanges) / LOG_1000;
  features[at++] = isEstablishedOrganisation(state, nowMs) ? 1 : 0;
  at = neighbourhood(state, context, features, at);
  features[at++] = cohortExcess(state.createdMs, context);
  return features;
}

/** Writes the neighbourhood features from position `at`; returns the next position. */
function neighbourhood(
  state: AccountState,
  context: FeatureContext,
  features: Float64Array,
  at: number,
): number {
  const { index, accounts } = context;
  const population = Math.max(2, accounts.length);
  const neighbours = new Set<number>();
  let keys = 0;
  let rareKeys = 0;
  let rareOperator = 0;
  let rareContent = 0;
  let weightSum = 0;
  let scoreSum = 0;
  let flaggedSum = 0;
  let maxScore = 0;
  let domainNew = 0;
  const visit = (keyId: number): void => {
    keys += 1;
    const carriers = index.accountCount(keyId);
    if (carriers < 2) return;
    const rarity = rarityWeight(carriers, population);
    const type = index.typeOf(keyId);
    if (type === DOMAIN && rarity > 0) {
      const sample = index
        .firstMembers(keyId, MAX_CARRIERS)
        .map((member) => accounts[member] as AccountState);
      domainNew = rarity * newCarrierShare(sample);
    }
    if (rarity < RARE) return;
    const members = index.firstMembers(keyId, MAX_CARRIERS);
    rareKeys += 1;
    if (OPERATOR[type]) rareOperator += 1;
    if (CONTENT[type]) rareContent += 1;
    for (let position = 0; position < members.length; position += 1) {
      const member = members[position] as number;
      if (member === state.index) continue;
      const neighbour = accounts[member] as AccountState;
      weightSum += rarity;
      scoreSum += rarity * neighbour.score;
      if (!Number.isNaN(neighbour.flaggedMs)) flaggedSum += rarity;
      if (rarity * neighbour.score > maxScore) maxScore = rarity * neighbour.score;
      neighbours.add(member);
    }
  };
  for (const keyId of state.keys) visit(keyId);
  for (const keyId of state.recordKeys) if (!state.keys.includes(keyId)) visit(keyId);
  // Content pooled over the account and its rare-value neighbours: per-account windows are small.
  let pooledExchanges = state.exchanges;
  let pooledWeak = Math.max(context.weakCues(state.index), state.cueExchanges);
  let coActivity = 0;
  let compared = 0;
  const own = context.buckets(state.index);
  for (const member of neighbours) {
    const neighbour = accounts[member] as AccountState;
    pooledExchanges += neighbour.exchanges;
    pooledWeak += Math.max(context.weakCues(member), neighbour.cueExchanges);
    if (compared < MAX_CO_ACTIVITY && own.length > 0) {
      coActivity += jaccard(own, context.buckets(member));
      compared += 1;
    }
  }
  features[at++] = keys === 0 ? 0 : rareKeys / keys;
  features[at++] = Math.log1p(rareOperator) / Math.log(33);
  features[at++] = Math.log1p(rareContent) / Math.log(33);
  features[at++] = Math.log1p(neighbours.size) / LOG_1000;
  features[at++] = weightSum === 0 ? 0 : scoreSum / weightSum;
  features[at++] = maxScore;
  features[at++] = weightSum === 0 ? 0 : flaggedSum / weightSum;
  features[at++] = neighbours.size === 0 ? 0 : pooledWeak / Math.max(1, pooledExchanges);
  features[at++] = compared === 0 ? 0 : coActivity / compared;
  features[at++] = domainNew;
  return at;
}

/** Sign-ups in the account's cohort bucket against the population's rate, log-scaled (0: none or no record). */
function cohortExcess(createdMs: number, context: FeatureContext): number {
  const baseline = context.cohortBaseline();
  if (!Number.isFinite(createdMs) || baseline <= 0) return 0;
  const cohort = context.signups(Math.floor(createdMs / COHORT_BUCKET_MS));
  return Math.log2(1 + cohort / baseline) / 8;
}

/** Jaccard similarity of two ascending lists. */
function jaccard(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let both = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      both += 1;
      i += 1;
      j += 1;
    } else if (x < y) i += 1;
    else j += 1;
  }
  return both / (a.length + b.length - both);
}
