/** The best of the whole-sequence test and its sliding windows, corrected for the looks taken. */
export interface WindowedResult {
  /** Natural-log p-value after Bonferroni over the whole sequence plus every window tested. */
  readonly logPValue: number;
  /** Scored-pair range [from, to) of the most significant look. */
  readonly from: number;
  readonly to: number;
  /** Looks taken (1 + windows). */
  readonly looks: number;
}

/**
 * Finds watermarked stretches in text that mixes watermarked and clean parts: tests the whole
 * sequence and windows of `windowSize` scored pairs (stride half a window), and multiplies the
 * smallest p-value by the number of looks (Bonferroni; valid under any dependence).
 */
export function windowedTest(
  count: number,
  test: (from: number, to: number) => number,
  windowSize: number,
): WindowedResult {
  let best = { logPValue: test(0, count), from: 0, to: count };
  let looks = 1;
  if (windowSize > 0 && count > windowSize) {
    const stride = Math.max(1, Math.floor(windowSize / 2));
    for (let from = 0; from + windowSize <= count; from += stride) {
      looks += 1;
      const logPValue = test(from, from + windowSize);
      if (logPValue < best.logPValue) best = { logPValue, from, to: from + windowSize };
    }
  }
  return { ...best, logPValue: Math.min(0, best.logPValue + Math.log(looks)), looks };
}
