export {
  accountFeatures,
  FEATURE_NAMES,
  type FeatureContext,
  type FeatureName,
} from './account-features.js';
export {
  type BoostedTrees,
  contributions,
  logOdds,
  probability,
  type RegressionTree,
} from './boosted-trees.js';
export {
  createModelFlagger,
  type FeatureTap,
  type ModelFinding,
  type ModelFlagger,
} from './create-model-flagger.js';
export { FITTED_MODEL } from './fitted-model.js';
export type { FittedModel } from './fitted-model-type.js';
export { type TrainOptions, trainBoostedTrees } from './train-boosted-trees.js';
