/** An account that moved its traffic to a newly released model soon after it appeared. */
export interface ModelPivot {
  account: number;
  model: string;
  /** Share of the account's exchanges since its first use of the model that went to it. */
  share: number;
  /** Hours from the model's first appearance (on the whole platform) to the account's first use. */
  hours: number;
}

export interface ModelPivotInput {
  account: number;
  model: string;
  /** When the model was first seen from anyone. */
  modelFirstMs: number;
  /** The account's first exchange on it. */
  firstUseMs: number;
  exchangesOnModel: number;
  /** The account's exchanges from its first use of the model on (that one included). */
  exchangesSinceFirstUse: number;
}

export interface ModelPivotOptions {
  /** Latest first use after the release that still counts as a pivot. */
  withinHours?: number;
  /** Least share of the account's traffic since then on the new model. */
  minShare?: number;
  /** Least exchanges on the new model (one curious try is no move). */
  minExchanges?: number;
}

/**
 * Whether an account pivoted to a newly released model: first used it within `withinHours` of its
 * release and sent at least `minShare` of its traffic since to it. Harvesters move to a new model
 * at once to collect its answers before defences adapt; a customer's upgrade is usually gradual.
 * Only evidence when linked accounts move together (the caller counts them).
 *
 * @example
 * modelPivot({ account: 7, model: 'atlas-3', modelFirstMs: 0, firstUseMs: 3_600_000,
 *   exchangesOnModel: 6, exchangesSinceFirstUse: 10 })
 * // → { account: 7, model: 'atlas-3', share: 0.6, hours: 1 }
 */
export function modelPivot(
  input: ModelPivotInput,
  { withinHours = 48, minShare = 0.25, minExchanges = 3 }: ModelPivotOptions = {},
): ModelPivot | undefined {
  const hours = (input.firstUseMs - input.modelFirstMs) / 3600_000;
  if (!(hours >= 0) || hours > withinHours) return undefined;
  if (input.exchangesOnModel < minExchanges || input.exchangesSinceFirstUse <= 0) return undefined;
  // Exchanges on the model before the account was tracked are counted too: cap the share at 1.
  const share = Math.min(1, input.exchangesOnModel / input.exchangesSinceFirstUse);
  if (share < minShare) return undefined;
  return {
    account: input.account,
    model: input.model,
    share: Math.round(share * 1000) / 1000,
    hours: Math.round(hours * 10) / 10,
  };
}
