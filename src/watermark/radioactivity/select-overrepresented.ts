/** Counts of next units per context window: window key → unit → count. */
export type ContextCounts = Map<string, Map<number, number>>;

/** Counts (previous `width` tokens → next token) over token sequences. */
export function countContexts(
  sequences: Iterable<readonly number[]>,
  width: number,
): ContextCounts {
  const counts: ContextCounts = new Map();
  for (const ids of sequences) {
    for (let position = width; position < ids.length; position += 1) {
      addCount(counts, ids.slice(position - width, position).join(','), ids[position]!);
    }
  }
  return counts;
}

export function addCount(counts: ContextCounts, window: string, unit: number): void {
  let followers = counts.get(window);
  if (!followers) {
    followers = new Map();
    counts.set(window, followers);
  }
  followers.set(unit, (followers.get(unit) ?? 0) + 1);
}

export interface SelectionOptions {
  /** A pair is considered only if the suspect produced it at least this often (default 2). */
  minCount?: number;
  /** Minimum log ratio of suspect to reference frequency (default 0.2). */
  threshold?: number;
  /** Only windows in this set (e.g. windows of the served, watermarked texts). */
  windows?: ReadonlySet<string>;
}

/**
 * Selects the (window, unit) pairs the suspect produces more often than the reference model
 * does (smoothed log frequency ratio above `threshold`). The selection reads no key, so under
 * the null hypothesis (the suspect never learned from text watermarked with the key) each
 * selected pair's keyed score keeps its null distribution and the exact tests stay exact; a
 * student that learned the watermark over-produces precisely the keyed (green) pairs.
 */
export function selectOverrepresented(
  suspect: ContextCounts,
  reference: ContextCounts,
  { minCount = 2, threshold = 0.2, windows }: SelectionOptions = {},
): { window: string; unit: number }[] {
  const selected: { window: string; unit: number }[] = [];
  for (const [window, followers] of suspect) {
    if (windows && !windows.has(window)) continue;
    const referenceFollowers = reference.get(window);
    const suspectTotal = sum(followers);
    const referenceTotal = referenceFollowers ? sum(referenceFollowers) : 0;
    for (const [unit, count] of followers) {
      if (count < minCount) continue;
      const referenceCount = referenceFollowers?.get(unit) ?? 0;
      const ratio =
        Math.log((count + 0.5) / (suspectTotal + 1)) -
        Math.log((referenceCount + 0.5) / (referenceTotal + 1));
      if (ratio > threshold) selected.push({ window, unit });
    }
  }
  return selected;
}

function sum(followers: Map<number, number>): number {
  let total = 0;
  for (const count of followers.values()) total += count;
  return total;
}
