/** A value carried by this share of the active population or less is fully rare. */
const RARE_SHARE = 0.05;

/**
 * IDF-like weight of a shared value, 0–1: 0 when everyone carries it (gmail, a popular SDK's
 * user agent), 1 when at most {@link RARE_SHARE} of the active population does. Sharing a
 * value is evidence in proportion to how unlikely two unrelated accounts are to share it.
 */
export function rarityWeight(carriers: number, population: number): number {
  if (carriers <= 0 || population <= 0) return 0;
  const idf = Math.log(population / carriers) / Math.log(1 / RARE_SHARE);
  return Math.max(0, Math.min(1, idf));
}

/** An account created within this long before its first request is a new account (a month: an operator stages its pool over weeks). */
export const NEW_ACCOUNT_MS = 30 * 24 * 3600_000;

/**
 * Share of an affiliation value's carriers (an e-mail domain) that are new accounts. A
 * throwaway domain is registered for the campaign, so all its carriers are new; a university's
 * or gmail's carriers span years of sign-ups. Carriers without a record count as not new.
 */
export function newCarrierShare(
  carriers: readonly { createdMs: number; firstMs: number }[],
): number {
  if (carriers.length === 0) return 0;
  let young = 0;
  for (const carrier of carriers) {
    const age = carrier.firstMs - carrier.createdMs;
    if (Number.isFinite(age) && age <= NEW_ACCOUNT_MS) young += 1;
  }
  return young / carriers.length;
}
