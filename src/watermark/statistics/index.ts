export { logBinomialUpperTail } from './binomial-tail.js';
export { logGammaUpperTail } from './gamma-tail.js';
export { holmAdjust } from './holm-adjust.js';
export { logGammaFunction } from './log-gamma-function.js';
export { logRegularizedBeta } from './log-regularized-beta.js';
export { logRegularizedGammaUpper } from './log-regularized-gamma-upper.js';
