export { compileModelPatterns, type ModelMatcher } from './compile-model-pattern.js';
export {
  createUpstreamRouter,
  type RoutedUpstream,
  type UpstreamFallback,
  type UpstreamRouter,
} from './create-upstream-router.js';
export { openUpstreams, upstreamsWaitBudgetMs } from './open-upstreams.js';
export { type UpstreamsConfig, upstreamsConfigSchema } from './upstreams-config.js';
