/**
 * A small deterministic pseudo-random generator (mulberry32) returning numbers in [0, 1).
 * Not for secrets: used for reproducible sampling (the demo model, clustering, tests, benches).
 * The simulator has its own richer, forkable stream (`simulate/random.ts`, xoshiro128**): a
 * different algorithm whose output is pinned by the simulator's byte-identical runs.
 *
 * @example
 * const random = createSeededRandom(42);
 * model.generate({ prompt: 'The', maxTokens: 20, random });
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}
