/**
 * A seeded pseudo-random source (xoshiro128**, seeded through splitmix32). The simulator never
 * uses `Math.random` or the clock, so the same seed gives the same traffic, byte for byte.
 */
export interface Random {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, bound). */
  int(bound: number): number;
  /** Uniform integer in [low, high] (both inclusive). */
  between(low: number, high: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks an index with probability proportional to its weight. */
  weighted(weights: readonly number[]): number;
  /** Exponential variate with the given mean. */
  exponential(mean: number): number;
  /** Standard normal variate. */
  normal(): number;
  /** `length` lowercase hex characters. */
  hex(length: number): string;
  /** An independent stream derived from this one and a label (stable across runs). */
  fork(label: string): Random;
}

/**
 * @example
 * const random = createRandom(1);
 * random.pick(['en', 'zh']);
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const splitmix = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 16), 0x85ebca6b);
    value = Math.imul(value ^ (value >>> 13), 0xc2b2ae35);
    return (value ^ (value >>> 16)) >>> 0;
  };
  let s0 = splitmix();
  let s1 = splitmix();
  let s2 = splitmix();
  let s3 = splitmix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const nextUint32 = (): number => {
    const result = Math.imul(rotate(Math.imul(s1, 5), 7), 9) >>> 0;
    const shifted = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= shifted;
    s3 = rotate(s3, 11);
    return result;
  };
  const next = (): number => nextUint32() / 4294967296;
  let spareNormal: number | undefined;
  const random: Random = {
    next,
    int: (bound) => Math.floor(next() * bound),
    between: (low, high) => low + Math.floor(next() * (high - low + 1)),
    chance: (probability) => next() < probability,
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    weighted(weights) {
      let total = 0;
      for (const weight of weights) total += weight;
      let target = next() * total;
      for (let index = 0; index < weights.length; index++) {
        target -= weights[index] as number;
        if (target < 0) return index;
      }
      return weights.length - 1;
    },
    exponential: (mean) => -Math.log(1 - next()) * mean,
    normal() {
      if (spareNormal !== undefined) {
        const value = spareNormal;
        spareNormal = undefined;
        return value;
      }
      const radius = Math.sqrt(-2 * Math.log(1 - next()));
      const angle = 2 * Math.PI * next();
      spareNormal = radius * Math.sin(angle);
      return radius * Math.cos(angle);
    },
    hex(length) {
      let text = '';
      let remaining = length;
      while (remaining >= 2) {
        const value = nextUint32();
        text += BYTE_HEX[value & 0xff] as string;
        remaining -= 2;
        if (remaining >= 2) {
          text += BYTE_HEX[(value >>> 8) & 0xff] as string;
          remaining -= 2;
        }
        if (remaining >= 2) {
          text += BYTE_HEX[(value >>> 16) & 0xff] as string;
          remaining -= 2;
        }
        if (remaining >= 2) {
          text += BYTE_HEX[value >>> 24] as string;
          remaining -= 2;
        }
      }
      if (remaining === 1) text += (nextUint32() & 0xf).toString(16);
      return text;
    },
    fork(label) {
      let hash = nextUint32() ^ 0x811c9dc5;
      for (let index = 0; index < label.length; index++) {
        hash = Math.imul(hash ^ label.charCodeAt(index), 0x01000193);
      }
      return createRandom(hash >>> 0);
    },
  };
  return random;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function rotate(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}
