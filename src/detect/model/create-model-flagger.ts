import { DistillguardError } from '../../shared/distillguard-error.js';
import type { AccountState } from '../account-state.js';
import { accountFeatures, FEATURE_NAMES, type FeatureContext } from './account-features.js';
import { contributions, logOdds } from './boosted-trees.js';
import type { FittedModel } from './fitted-model-type.js';

/** Why the model flagged an account (reason `model_score`): its strongest features as codes. */
export interface ModelFinding {
  probability: number;
  threshold: number;
  /** The features that raised the log-odds most, strongest first. */
  top: { feature: string; value: number; contribution: number }[];
}

/** Receives every evaluation's features (training, reports): account, vector, event time. */
export type FeatureTap = (state: AccountState, features: Float64Array, timeMs: number) => void;

export interface ModelFlagger {
  /**
   * Evaluates an unflagged account when due (see {@link createModelFlagger}); returns the finding
   * when the model's probability reaches the fitted threshold, and remembers it for the reasons.
   */
  assess(state: AccountState, timeMs: number): ModelFinding | undefined;
  readonly findings: ReadonlyMap<number, ModelFinding>;
}

export interface ModelFlaggerOptions {
  fitted: FittedModel;
  context: FeatureContext;
  tap?: FeatureTap;
}

const GROWTH = 1.5;
/** Contributions reported with a finding. */
const TOP = 3;

/**
 * Creates the fitted model's evidence path. An account with an individual score of at least
 * `minScore` is evaluated from `minExchanges` on, then again once its exchanges grew by half
 * or an hour of event time passed (its neighbours' evidence grows without it): O(log n) plus one
 * evaluation per hour per account, never one per exchange. Only what the engine holds at the exchange is read, so the flag is causal.
 *
 * @example
 * const flagger = createModelFlagger({ fitted: FITTED_MODEL, context });
 * if (flagger.assess(state, timeMs)) registry.flag(state, timeMs, 'model', campaign);
 */
export function createModelFlagger({ fitted, context, tap }: ModelFlaggerOptions): ModelFlagger {
  const { model, threshold, minExchanges, minScore = 0, reevaluateMs = 30 * 60_000 } = fitted;
  // Trees index features by position: a model fitted on another feature list would read wrong
  // columns silently.
  if (model.features.join() !== FEATURE_NAMES.join())
    throw new DistillguardError(
      'model_features_mismatch',
      `the fitted model's features (${model.features.length}) are not this engine's (${FEATURE_NAMES.length}); retrain with scripts/train-model.mjs`,
    );
  const cutoff = Math.log(threshold / (1 - threshold));
  const nextCount: number[] = [];
  const nextTime: number[] = [];
  const findings = new Map<number, ModelFinding>();
  return {
    findings,
    assess(state, timeMs) {
      const n = state.exchanges;
      if (n < minExchanges || state.score < minScore) return undefined;
      const account = state.index;
      if (n < (nextCount[account] ?? 0) && timeMs < (nextTime[account] ?? 0)) return undefined;
      nextCount[account] = Math.ceil(n * GROWTH);
      nextTime[account] = timeMs + reevaluateMs;
      const features = accountFeatures(state, timeMs, context);
      tap?.(state, features, timeMs);
      const odds = logOdds(model, features);
      if (odds < cutoff) return undefined;
      const { byFeature } = contributions(model, features);
      const top = [...byFeature.keys()]
        .filter((feature) => (byFeature[feature] as number) > 0)
        .sort((a, b) => (byFeature[b] as number) - (byFeature[a] as number))
        .slice(0, TOP)
        .map((feature) => ({
          feature: model.features[feature] as string,
          value: round(features[feature] as number),
          contribution: round(byFeature[feature] as number),
        }));
      const finding = { probability: round(1 / (1 + Math.exp(-odds))), threshold, top };
      findings.set(account, finding);
      return finding;
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
