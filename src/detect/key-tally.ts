/** Counts per key id (dense ids `0 … size − 1`, as the linkage index assigns them). */
export interface KeyTally {
  /** Starts a new count (every count reads 0 again), sized for key ids below `size`. */
  begin(size: number): void;
  add(keyId: number): void;
  /** The count since `begin` (0 for an id never added). */
  get(keyId: number): number;
}

/**
 * A counter per key id that is reused from one grouping to the next: `begin` makes every count 0
 * by moving to a new generation instead of clearing, so a round costs the keys it counts, not the
 * keys the index holds. It replaces a `Map<number, number>` built afresh each round: the grouping
 * runs every tick over every account's keys, and the map's growth was most of its allocation.
 *
 * @example
 * const tally = createKeyTally();
 * tally.begin(index.size);
 * for (const keyId of state.keys) tally.add(keyId);
 * tally.get(keyId); // carriers of keyId counted this round
 */
export function createKeyTally(): KeyTally {
  let generation = 0;
  let generations = new Int32Array(0);
  let counts = new Int32Array(0);
  const grow = (size: number): void => {
    const capacity = Math.max(size, Math.ceil(counts.length * 1.5), 1024);
    const widerGenerations = new Int32Array(capacity);
    widerGenerations.set(generations);
    generations = widerGenerations;
    const widerCounts = new Int32Array(capacity);
    widerCounts.set(counts);
    counts = widerCounts;
  };
  return {
    begin(size) {
      if (size > counts.length) grow(size);
      generation += 1;
      if (generation === 0x7fffffff) {
        generations.fill(0);
        generation = 1;
      }
    },
    add(keyId) {
      if (keyId >= counts.length) grow(keyId + 1);
      if (generations[keyId] === generation) counts[keyId] = (counts[keyId] as number) + 1;
      else {
        generations[keyId] = generation;
        counts[keyId] = 1;
      }
    },
    get(keyId) {
      return keyId < counts.length && generations[keyId] === generation
        ? (counts[keyId] as number)
        : 0;
    },
  };
}
