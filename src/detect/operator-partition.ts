import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import { createSeededRandom } from '../shared/create-seeded-random.js';
import type { OperatorProfile } from './operator-profile.js';

type Louvain = typeof louvainModule.default;
const louvain = louvainModule as unknown as Louvain;

/**
 * Families of operator likeness a pair of flagged accounts may agree on, with the weight of an
 * agreement. The task list and the sign-up procedure weigh double: every account of one operator
 * runs the same task list and was opened through the same procedure, while its schedule, client,
 * sign-up period, exits or campaign can differ from account to account.
 */
export const OPERATOR_FAMILY_WEIGHTS = {
  task: 2,
  signup: 2,
  schedule: 1,
  cohort: 1,
  harness: 1,
  client: 1,
  infrastructure: 1,
  campaign: 1,
} as const;

export type OperatorFamily = keyof typeof OPERATOR_FAMILY_WEIGHTS;

export interface OperatorPartitionOptions {
  /** Weight of agreements two accounts need to be tied (of 10 for {@link agreement}). */
  minWeight?: number;
  /** Louvain resolution over the ties (higher: smaller parts). */
  resolution?: number;
  /** Weight of what two accounts agree on: {@link agreement} (default) or {@link invariantAgreement}. */
  tie?: (a: OperatorProfile, b: OperatorProfile) => number;
}

/** Cosine of two capability mixes from one task list (26 requests each are a noisy sample). */
const TASK_COSINE = 0.9;
/** Cosine of two hour-of-day profiles run by one scheduler. */
const SCHEDULE_COSINE = 0.8;
/** Sign-ups this close are one sign-up period. */
const COHORT_MS = 3 * 86_400_000;
/** Up to this many accounts every pair is compared; beyond, each with this many neighbours in sign-up order. */
const ALL_PAIRS = 1500;
const WINDOW = 256;

/**
 * Splits flagged accounts into operators. Clustering flags campaigns by what ties accounts
 * (shared values, population evidence), and one public template, one proxy provider's subnets
 * or one busy sign-up week can tie two operators' pools; what an operator cannot share with
 * another is its own harness: its task list, its schedule, its sign-up procedure and period, its
 * client, its values. Two accounts are tied by the weight of the families they agree on
 * (at least `minWeight`), and Louvain over the ties finds the operators: a chance agreement
 * on a few families between two pools weighs less than the many within each. Shared content
 * (templates, system prompts, tool sets) is no family here: a public template is carried by
 * every operator that found it, and the values an operator owns already made its campaign. Returns the
 * parts as positions into `profiles`, each ascending, ordered by first position; accounts with
 * no tie are parts of their own.
 *
 * @example
 * partitionOperators(profiles).map((part) => part.map((at) => profiles[at].account));
 */
export function partitionOperators(
  profiles: readonly OperatorProfile[],
  { minWeight = 7, resolution = 1, tie = agreement }: OperatorPartitionOptions = {},
): number[][] {
  const graph = new UndirectedGraph({ allowSelfLoops: false });
  profiles.forEach((_profile, at) => {
    graph.addNode(at);
  });
  const order = profiles.map((_profile, at) => at);
  if (profiles.length > ALL_PAIRS)
    order.sort(
      (a, b) =>
        createdOrder(profiles[a] as OperatorProfile) -
          createdOrder(profiles[b] as OperatorProfile) || a - b,
    );
  const reach = profiles.length > ALL_PAIRS ? WINDOW : profiles.length;
  for (let i = 0; i < order.length; i += 1) {
    const a = order[i] as number;
    for (let j = i + 1; j < order.length && j <= i + reach; j += 1) {
      const b = order[j] as number;
      const left = profiles[a] as OperatorProfile;
      const right = profiles[b] as OperatorProfile;
      const agreed = tie(left, right);
      if (agreed >= minWeight) graph.addEdge(Math.min(a, b), Math.max(a, b), { weight: agreed });
    }
  }
  if (graph.size === 0)
    return order.map((at) => [at]).sort((x, y) => (x[0] as number) - (y[0] as number));
  const assignment = louvain(graph, {
    getEdgeWeight: 'weight',
    resolution,
    randomWalk: false,
    rng: createSeededRandom(1),
  });
  const byCommunity = new Map<number, number[]>();
  for (let at = 0; at < profiles.length; at += 1) {
    const community = graph.degree(at) === 0 ? -1 - at : (assignment[at] ?? -1 - at);
    const list = byCommunity.get(community);
    if (list) list.push(at);
    else byCommunity.set(community, [at]);
  }
  const parts: number[][] = [...byCommunity.values()];
  return parts.sort((x, y) => (x[0] as number) - (y[0] as number));
}

/**
 * Weight of the families an operator cannot vary across its own accounts, however it adapts:
 * what it harvests (the task list, 2) and how it opens accounts (the sign-up procedure, 2).
 * Schedule, client, exits, model and sign-up period are each an adaptive operator's to change
 * per account; partitioned on them, one such operator fell into dozens of labels.
 */
export function invariantAgreement(a: OperatorProfile, b: OperatorProfile): number {
  const w = OPERATOR_FAMILY_WEIGHTS;
  let weight = 0;
  if (cosine(a.mix, b.mix) >= TASK_COSINE) weight += w.task;
  if (a.signup !== null && a.signup === b.signup) weight += w.signup;
  return weight;
}

/** Ties on {@link invariantAgreement} need both families. */
export const INVARIANT_MIN_WEIGHT = OPERATOR_FAMILY_WEIGHTS.task + OPERATOR_FAMILY_WEIGHTS.signup;

/** Weight of the families two accounts agree on ({@link OPERATOR_FAMILY_WEIGHTS}). */
export function agreement(a: OperatorProfile, b: OperatorProfile): number {
  const w = OPERATOR_FAMILY_WEIGHTS;
  let weight = 0;
  if (cosine(a.mix, b.mix) >= TASK_COSINE) weight += w.task;
  if (a.signup !== null && a.signup === b.signup) weight += w.signup;
  if (cosine(a.hours, b.hours) >= SCHEDULE_COSINE) weight += w.schedule;
  if (Math.abs(a.createdMs - b.createdMs) <= COHORT_MS) weight += w.cohort;
  if (a.harness === b.harness) weight += w.harness;
  if (intersects(a.softwareKeys, b.softwareKeys)) weight += w.client;
  if (intersects(a.operatorKeys, b.operatorKeys)) weight += w.infrastructure;
  if (a.campaign >= 0 && a.campaign === b.campaign) weight += w.campaign;
  return weight;
}

function createdOrder(profile: OperatorProfile): number {
  return Number.isFinite(profile.createdMs) ? profile.createdMs : Number.POSITIVE_INFINITY;
}

function cosine(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  for (let at = 0; at < a.length; at += 1) dot += (a[at] as number) * (b[at] as number);
  return dot;
}

/** Whether two ascending lists share a value. */
function intersects(a: readonly number[], b: readonly number[]): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) return true;
    if (x < y) i += 1;
    else j += 1;
  }
  return false;
}
