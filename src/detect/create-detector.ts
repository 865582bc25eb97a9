import { createActivityTracker } from './activity-tracker.js';
import { createAccountMembership } from './create-account-membership.js';
import { createAssessor } from './create-assessor.js';
import { createCampaignOwnership } from './create-campaign-ownership.js';
import { createCampaignRegistry } from './create-campaign-registry.js';
import { createFlagRules } from './create-flag-rules.js';
import { createKeyMemory } from './create-key-memory.js';
import { createOperatorLabels } from './create-operator-labels.js';
import { createReclusterSchedule } from './create-recluster-schedule.js';
import { createReclustering } from './create-reclustering.js';
import { DEFAULT_THRESHOLDS, type DetectorThresholds } from './detector-thresholds.js';
import type { Assessment, Detector, DetectorOptions, DetectorState } from './detector-types.js';
import { scoreIndividual } from './individual-score.js';
import { createLinkageIndex } from './linkage-index.js';
import { createModelFlagger, FITTED_MODEL } from './model/index.js';
import { createPopulationTracker } from './population/index.js';
import { createPromptAnalyzer, storedPromptFeatures } from './prompt/index.js';
import type { PromptFeatures } from './prompt/prompt-features.js';
import { observeTenant } from './second-tenant.js';
import { hasCue, updateAccount } from './update-account.js';

export type { Assessment, Detector, DetectorOptions, DetectorState } from './detector-types.js';

/**
 * Bumped whenever any part's exported state changes shape or meaning: a state of a version not in
 * {@link RESTORABLE_DETECTOR_STATE_VERSIONS} is refused whole (`importState` throws), never
 * half-loaded. 3: per-account exit-kind counters (`AccountState.exitRequests`, `exitSubnets`) and the
 * client split of a stolen key (`ownerAgent`, `ownerTls`, `ownerSubnets`, `tenant`), exchanges per
 * /24 (`subnetExchanges`).
 */
export const DETECTOR_STATE_VERSION = 3;

/**
 * Versions this build restores: its own, and 2, whose accounts are brought up to 3 on import
 * (empty exit-kind counters, counted from the next request: `upgradeAccountState`).
 */
export const RESTORABLE_DETECTOR_STATE_VERSIONS: readonly number[] = [2, DETECTOR_STATE_VERSION];

/**
 * Creates the causal streaming detector. Each exchange updates its account's behaviour counters
 * and the cross-account index; an unflagged account whose values are owned by a known campaign
 * (shared infrastructure plus shared templates or identity) joins it at once; on event-time
 * ticks the linkage graph over suspicious accounts is clustered into campaigns (Louvain plus a
 * connectivity refinement). Every decision at time t uses only exchanges before t, so a log cut
 * at T yields the same flags before T.
 *
 * The parts, each owning its state: the linkage index and key memory (values accounts carry),
 * account membership (who is in the graph), the campaign registry (campaigns, flagging) and
 * campaign ownership (which campaign owns which value), the flag rules (per exchange), the
 * reclustering and its schedule (per tick), the activity tracker, and the assessor (outputs).
 *
 * @example
 * const detector = createDetector();
 * for await (const exchange of readExchanges(['log.jsonl.gz'])) detector.observe(exchange);
 * const verdicts = detector.verdicts();
 */
export function createDetector({
  thresholds: overrides = {},
  ipAsn,
  peerIndicators,
  clusterEveryMs = 10 * 60_000,
  promptAnalyzer = createPromptAnalyzer(),
  compactKeys = false,
  model: modelOption = false,
}: DetectorOptions = {}): Detector {
  const thresholds: DetectorThresholds = { ...DEFAULT_THRESHOLDS, ...overrides };
  const index = createLinkageIndex({ maxMembers: thresholds.maxKeyMembers });
  const keyMemory = createKeyMemory({ index, ipAsn, compactKeys });
  const membership = createAccountMembership({ index, thresholds });
  const registry = createCampaignRegistry({ membership });
  const ownership = createCampaignOwnership({
    index,
    thresholds,
    accounts: membership.accounts,
    evasionNumber: () => registry.evasionNumber,
  });
  /** Burst rings and model first-use of graph accounts: synchronized cadence, model pivots. */
  const activity = createActivityTracker();
  /** Population evidence (issue 15): rare shared values, sign-up cohorts, co-activity, pooled content. */
  const population = createPopulationTracker();
  /** Operator campaigns among the flagged (labels only: who is flagged and when stays clustering's). */
  const labels = createOperatorLabels({
    accounts: membership.accounts,
    registry,
    index,
    splitByBuild: thresholds.splitByClientBuild,
  });
  const flagRules = createFlagRules({
    thresholds,
    membership,
    registry,
    ownership,
    population,
    index,
  });
  const schedule = createReclusterSchedule({
    thresholds,
    clusterEveryMs,
    graph: membership,
    cluster: createReclustering({
      index,
      thresholds,
      membership,
      registry,
      ownership,
      activity,
      population,
      labels,
    }),
  });
  // The fitted model (issue 15, item 4): one more evidence path, on the engine's own state.
  const model =
    modelOption === false
      ? undefined
      : createModelFlagger({
          fitted: modelOption.fitted ?? FITTED_MODEL,
          context: { index, accounts: membership.accounts, ...population },
          ...(modelOption.tap ? { tap: modelOption.tap } : {}),
        });
  const assessor = createAssessor({
    thresholds,
    index,
    activity,
    membership,
    registry,
    ownership,
    population,
    ...(model ? { model: model.findings } : {}),
    labelOf: labels.labelOf,
  });

  const standingAssessment = (accountId: string): Assessment => {
    const state = membership.get(accountId);
    if (state) return assessor.assess(state, false, -1);
    return {
      accountId,
      score: 0,
      verdict: 'clean',
      campaignId: null,
      flaggedAt: null,
      newlyFlagged: false,
      reasons: [],
      exchangeCampaignId: null,
    };
  };

  return {
    observeAccount(record) {
      const state = membership.stateOf(record.account_id);
      state.record = record;
      const created = Date.parse(record.created_at);
      state.createdMs = created;
      population.observeAccount(state);
      const timeMs = Number.isFinite(created) ? created : schedule.latestMs;
      keyMemory.rememberAccount(state, record, timeMs);
      const peer = peerIndicators?.matchAccount(record);
      if (peer) state.peer = peer;
    },

    observe(exchange, precomputed) {
      // A count_tokens call generates nothing, and a client counts a prompt's tokens before
      // sending the same prompt: observing both would double the prompt's weight. It is kept in
      // the log for audit and read as if absent (the account's assessment as it stands).
      if (exchange.operation === 'count_tokens') return standingAssessment(exchange.account_id);
      const timeMs = Date.parse(exchange.ts);
      schedule.advance(timeMs);
      const state = membership.stateOf(exchange.account_id);
      // A store that dropped the body kept its fingerprints (`x_prompt_features`).
      const features: PromptFeatures =
        precomputed ??
        storedPromptFeatures(exchange.request) ??
        promptAnalyzer.analyze(exchange.request, exchange.endpoint);
      const cue = hasCue(features, thresholds.cueScore);
      updateAccount(state, exchange, features, timeMs, thresholds.cueScore);
      const moved = exchange.ip !== state.lastIp;
      population.observe(state, features, timeMs);
      population.pacing.observe(state.index, exchange, features, timeMs);
      const keyIds = keyMemory.rememberExchange(state, exchange, features, timeMs);
      if (thresholds.secondTenant || thresholds.handover)
        observeTenant(state, exchange, cue, timeMs, moved);
      const peer = peerIndicators?.matchExchange(exchange);
      if (peer) state.peer = peer;
      const individual = scoreIndividual(state);
      state.score = individual.score;
      state.content = individual.content;
      membership.setCandidate(state);
      activity.observe(state, exchange.model, timeMs);

      const wasFlagged = !Number.isNaN(state.flaggedMs);
      const exchangeCampaign = flagRules.apply(state, exchange, keyIds, cue, timeMs);
      if (Number.isNaN(state.flaggedMs) && model?.assess(state, timeMs)) {
        const kin = ownership.contentKin(state);
        registry.flag(
          state,
          timeMs,
          'model',
          kin >= 0 ? kin : registry.evasionCampaign(state, timeMs),
        );
      }
      if (exchangeCampaign >= 0) registry.countExchange(exchangeCampaign, exchange.model, timeMs);
      return assessor.assess(
        state,
        !wasFlagged && !Number.isNaN(state.flaggedMs),
        exchangeCampaign,
      );
    },

    assessment(accountId) {
      const state = membership.get(accountId);
      return state ? assessor.assess(state, false, -1) : undefined;
    },

    verdicts: () => assessor.verdicts(),
    campaigns: () => assessor.campaigns(),
    // End of input: one more whole clustering, stamped at the last exchange seen (causal).
    flush: () => {
      schedule.flush();
      labels.relabel(true);
    },

    // The prompt analyser keeps only caches (same answers without them): not part of the state.
    exportState: (): DetectorState => ({
      format: 'distillguard.detector-state',
      version: DETECTOR_STATE_VERSION,
      parts: {
        index: index.exportState(),
        membership: membership.exportState(),
        registry: registry.exportState(),
        ownership: ownership.exportState(),
        activity: activity.exportState(),
        population: population.exportState(),
        flagRules: flagRules.exportState(),
        schedule: schedule.exportState(),
        labels: labels.exportState(),
      },
    }),
    importState(state) {
      if (
        state?.format !== 'distillguard.detector-state' ||
        !RESTORABLE_DETECTOR_STATE_VERSIONS.includes(state.version)
      )
        throw new RangeError(
          `detector state version ${String(state?.version)} cannot be restored by this build (versions ${RESTORABLE_DETECTOR_STATE_VERSIONS.join(', ')})`,
        );
      const { parts } = state;
      const names = [
        'index',
        'membership',
        'registry',
        'ownership',
        'activity',
        'population',
        'flagRules',
        'schedule',
        'labels',
      ];
      const missing = names.filter((name) => parts[name] === undefined);
      if (missing.length > 0) throw new RangeError(`detector state lacks ${missing.join(', ')}`);
      index.importState(parts.index as Record<string, unknown>);
      membership.importState(parts.membership as Record<string, unknown>);
      registry.importState(parts.registry as Record<string, unknown>);
      ownership.importState(parts.ownership as Record<string, unknown>);
      activity.importState(parts.activity as Record<string, unknown>);
      population.importState(parts.population as Record<string, unknown>);
      flagRules.importState(parts.flagRules as Record<string, unknown>);
      schedule.importState(parts.schedule as Record<string, unknown>);
      labels.importState(parts.labels as Record<string, unknown>);
    },
  };
}
