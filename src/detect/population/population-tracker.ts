import type { AccountState } from '../account-state.js';
import { refill, type StatefulPart } from '../part-state.js';
import type { PromptFeatures } from '../prompt/prompt-features.js';
import { createPacingTracker, type PacingTracker } from './conversation-pacing.js';

/** Width of an activity bucket: loose synchronisation, not the same second (SynchroTrap uses hours). */
export const ACTIVITY_BUCKET_MS = 15 * 60_000;
/** Distinct activity buckets remembered per account (about a day of continuous use). */
const MAX_BUCKETS = 96;
/** Width of a sign-up cohort bucket. */
export const COHORT_BUCKET_MS = 6 * 3600_000;
/**
 * A weak cue: any reasoning, rubric or censorship cue at all ("explain your reasoning", a bare
 * "step by step"). Honest users write these now and then; an operator's whole traffic carries
 * them. Never evidence for one account — only pooled over a group bound by shared values.
 */
export const WEAK_CUE = 0.25;

/**
 * What the population signals keep per account, beside the engine's own counters (which they
 * read, never write): weak-cue exchanges and the time buckets the account was active in, plus
 * the population's activity per bucket and sign-ups per cohort bucket — the chance baselines.
 * O(1) per exchange; memory O(accounts × {@link MAX_BUCKETS}).
 */
export interface PopulationTracker extends StatefulPart {
  observe(state: AccountState, features: PromptFeatures, timeMs: number): void;
  observeAccount(state: AccountState): void;
  /** Exchanges of the account with a weak cue. */
  weakCues(account: number): number;
  /** Exchanges of the account that offered tools. */
  toolExchanges(account: number): number;
  /** Of those, how many offered another tool set than the account's previous one. */
  toolSwitches(account: number): number;
  /** Distinct activity buckets of the account, ascending (the last {@link MAX_BUCKETS}). */
  buckets(account: number): readonly number[];
  /** Accounts active in a bucket (whole population). */
  activeIn(bucket: number): number;
  /** Σ over buckets of accounts active in it (account-buckets of the whole population). */
  totalActivity(): number;
  /** Account records created in a cohort bucket, and the population's cohort baseline. */
  signups(cohort: number): number;
  cohortBaseline(): number;
  /** Conversation pacing per account (branch self-play): read by `machine-paced-swarm.ts`. */
  pacing: PacingTracker;
  /** Findings attached to an account for its reasons (set by the population signals). */
  findings: Map<number, PopulationFinding>;
  /** Event time of the last population grouping over the unattached (pacing). */
  lastUnattachedRunMs: number;
  /** Values binding the populations placed so far → their campaign (`populationQuickJoin`). */
  joinHubs: Map<number, number>;
  /**
   * Which accounts the population grouping may consider this round: none that the round's other
   * communities hold; of the flagged, those the fitted model flagged alone and, `withPlaced`, those
   * it placed before (a whole clustering, so its campaigns continue under the same id; a pass that
   * ties later accounts to campaigns already placed).
   */
  eligible(
    held: readonly { accounts: readonly number[] }[],
    withPlaced: boolean,
  ): (state: AccountState) => boolean;
}

/** Why a population campaign holds an account (rendered as reason `population_linkage`). */
export interface PopulationFinding {
  code:
    | 'population_linkage'
    | 'overwhelming_individual'
    | 'harness_swarm'
    | 'answer_sweep'
    | 'young_organisation'
    | 'machine_paced';
  evidence: Record<string, unknown>;
}

const NO_BUCKETS: readonly number[] = [];

export function createPopulationTracker(): PopulationTracker {
  const weak: number[] = [];
  const tools: number[] = [];
  const switches: number[] = [];
  const lastTools: (string | undefined)[] = [];
  const accountBuckets: (readonly number[])[] = [];
  const active = new Map<number, number>();
  const cohorts = new Map<number, number>();
  let firstCohort = Number.POSITIVE_INFINITY;
  let lastCohort = Number.NEGATIVE_INFINITY;
  let records = 0;
  let activity = 0;
  const counted = new Set<number>();
  const findings = new Map<number, PopulationFinding>();
  const joinHubs = new Map<number, number>();
  const pacing = createPacingTracker();
  const exportState = () => ({
    weak,
    tools,
    switches,
    lastTools,
    accountBuckets,
    active,
    cohorts,
    firstCohort,
    lastCohort,
    records,
    activity,
    counted,
    findings,
    lastUnattachedRunMs: tracker.lastUnattachedRunMs,
    joinHubs,
    pacing: pacing.exportState(),
  });
  const tracker: PopulationTracker = {
    exportState,
    importState(state) {
      const restored = state as ReturnType<typeof exportState>;
      refill(weak, restored.weak);
      refill(tools, restored.tools);
      refill(switches, restored.switches);
      refill(lastTools, restored.lastTools);
      refill(accountBuckets, restored.accountBuckets);
      refill(active, restored.active);
      refill(cohorts, restored.cohorts);
      ({ firstCohort, lastCohort, records, activity } = restored);
      refill(counted, restored.counted);
      refill(findings, restored.findings);
      tracker.lastUnattachedRunMs = restored.lastUnattachedRunMs;
      // A state saved before population hubs were remembered: the next placement fills them.
      refill(joinHubs, restored.joinHubs ?? new Map());
      // Optional: a state exported before pacing existed restores with none (no version bump).
      pacing.importState((restored as { pacing?: Record<string, unknown> }).pacing ?? {});
    },
    findings,
    pacing,
    lastUnattachedRunMs: Number.NEGATIVE_INFINITY,
    joinHubs,
    eligible(held, withPlaced) {
      const taken = new Set<number>();
      for (const community of held) for (const account of community.accounts) taken.add(account);
      return (state) => {
        if (taken.has(state.index)) return false;
        if (Number.isNaN(state.flaggedMs)) return true;
        // An account the fitted model flagged alone still belongs to its population: grouping it
        // is what ties its operator's other accounts to it.
        if (state.flaggedBy === 'model') return true;
        return withPlaced && findings.get(state.index)?.code === 'population_linkage';
      };
    },
    observe(state, features, timeMs) {
      const account = state.index;
      const cue = Math.max(
        features.reasoningElicitation,
        features.rubricGrading,
        features.censorshipRewrite,
      );
      if (cue >= WEAK_CUE) weak[account] = (weak[account] ?? 0) + 1;
      const toolSet = features.toolSetHash;
      if (toolSet !== null) {
        tools[account] = (tools[account] ?? 0) + 1;
        const last = lastTools[account];
        if (last !== undefined && last !== toolSet)
          switches[account] = (switches[account] ?? 0) + 1;
        lastTools[account] = toolSet;
      }
      const bucket = Math.floor(timeMs / ACTIVITY_BUCKET_MS);
      const own = accountBuckets[account] ?? NO_BUCKETS;
      if (own[own.length - 1] === bucket) return;
      active.set(bucket, (active.get(bucket) ?? 0) + 1);
      activity += 1;
      const next = own.length >= MAX_BUCKETS ? own.slice(1) : own.slice();
      next.push(bucket);
      accountBuckets[account] = next;
    },
    observeAccount(state) {
      if (!Number.isFinite(state.createdMs) || counted.has(state.index)) return;
      counted.add(state.index);
      const cohort = Math.floor(state.createdMs / COHORT_BUCKET_MS);
      cohorts.set(cohort, (cohorts.get(cohort) ?? 0) + 1);
      records += 1;
      if (cohort < firstCohort) firstCohort = cohort;
      if (cohort > lastCohort) lastCohort = cohort;
    },
    weakCues: (account) => weak[account] ?? 0,
    toolExchanges: (account) => tools[account] ?? 0,
    toolSwitches: (account) => switches[account] ?? 0,
    buckets: (account) => accountBuckets[account] ?? NO_BUCKETS,
    activeIn: (bucket) => active.get(bucket) ?? 0,
    totalActivity: () => activity,
    signups: (cohort) => cohorts.get(cohort) ?? 0,
    cohortBaseline: () => (records === 0 ? 0 : records / Math.max(1, lastCohort - firstCohort + 1)),
  };
  return tracker;
}
