import type { BoostedTrees } from './boosted-trees.js';

/** A fitted model as shipped: the trees, the decision threshold and where it was fitted. */
export interface FittedModel {
  model: BoostedTrees;
  /** Probability at or above which an account is flagged. */
  threshold: number;
  /** Exchanges before an account is evaluated at all. */
  minExchanges: number;
  /** Individual score below which an account is not evaluated at all (cost; default 0). */
  minScore?: number;
  /** Event time after which an account is evaluated again on its next exchange (default 30 min). */
  reevaluateMs?: number;
  /** How it was fitted (scenarios, seeds, scale, options): `scripts/train-model.mjs` writes it. */
  trainedOn: Record<string, unknown>;
}
