/*
 * Why this exists: with a new key, detection computes one HMAC-SHA256 per distinct context
 * (spec §2): two SHA-256 compressions each, ~60 % of a run at h = 4 in plain JS (one context at a
 * time, near scalar speed). The contexts are independent, so they can be hashed four at a time in
 * WebAssembly SIMD lanes (i32x4: one lane per context). The module is emitted here, per message
 * header (tag and count), fully unrolled: the header words, the padding and the outer block's
 * constant half are folded into the code (every schedule word that depends only on them is a
 * constant), the working variables are renamed instead of moved, and only the two digest words
 * of the seed are stored. The key enters as three states computed by the caller in plain JS (the
 * inner and outer pad blocks compressed, and the inner state after the header's five rounds),
 * so one compiled module serves every key. Bit-identical to `contextSeed` (hmac-lanes.test.ts
 * and context-hasher.test.ts compare them); a context must fit one block (count ≤ 8).
 */

import { emitHmacLanesModule, LANE_HEADER_WORDS, LANE_MAX_COUNT } from './hmac-lanes-module.js';

export { LANE_HEADER_WORDS, LANE_MAX_COUNT };

/** Contexts of one length hashed in batches of up to `LANE_CAPACITY`. */
export interface HmacLanes {
  /**
   * Writes the seeds (s0, s1) of the contexts `ids[froms[k] .. froms[k] + count)`, k < total, to
   * `output[outputAt[k]]`, `output[outputAt[k] + 1]`. `keyStates` holds 24 words: the inner pad
   * block's state, the inner working variables after the header's rounds, the outer pad
   * block's state.
   */
  seedMany(
    keyStates: Int32Array,
    ids: ArrayLike<number>,
    froms: Int32Array,
    total: number,
    output: Uint32Array,
    outputAt: Int32Array,
  ): void;
}

/** Contexts per call into WebAssembly (the rest go in further calls). */
export const LANE_CAPACITY = 1024;
const STATE_BYTES = 0;
const INPUT_BYTES = 1024;
const OUTPUT_BYTES = INPUT_BYTES + (LANE_CAPACITY / 4) * 16 * LANE_MAX_COUNT;
const layout = { stateBytes: STATE_BYTES, inputBytes: INPUT_BYTES, outputBytes: OUTPUT_BYTES };

// Node runs WebAssembly; the project's libs (ES2023, no DOM) do not type it.
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
  ) => { exports: { hash: (groups: number) => void; memory: { buffer: ArrayBuffer } } };
};

/**
 * Contexts of one header hashed one at a time before its lanes are built. Building them (emit,
 * compile, optimise) costs ~10–25 ms of CPU once per process and saves ~0.8 µs per seed, so a
 * short text (a few hundred contexts) is cheaper without them; past this many the rest of a job
 * is not worth waiting for (at most ~3 ms of seeds hashed slowly). A job that announces this many
 * up front (`ContextHasher.expect`: one text's positions) gets them before its first batch.
 */
export const LANE_WARMUP_CONTEXTS = 4096;

const compiled = new Map<string, HmacLanes | null>();
const demand = new Map<string, number>();

/**
 * Lanes for messages with these five header words and `count` ids; null until `contexts`, summed
 * over the calls for this header in this process, reach `LANE_WARMUP_CONTEXTS`, and where
 * WebAssembly SIMD is not available (callers then hash one context at a time).
 *
 * @example
 * const lanes = hmacLanesFor(headerWords, 4, total);
 * if (lanes) lanes.seedMany(keyStates, ids, froms, total, slots, slotOffsets);
 */
export function hmacLanesFor(
  headerWords: Int32Array,
  count: number,
  contexts: number,
): HmacLanes | null {
  if (count < 1 || count > LANE_MAX_COUNT || headerWords.length !== LANE_HEADER_WORDS) {
    throw new RangeError(`hmac lanes: ${count} ids do not fit one block`);
  }
  const cacheKey = `${[...headerWords].join(',')}:${count}`;
  let lanes = compiled.get(cacheKey);
  if (lanes !== undefined) return lanes;
  const asked = (demand.get(cacheKey) ?? 0) + contexts;
  demand.set(cacheKey, asked);
  if (asked < LANE_WARMUP_CONTEXTS) return null;
  lanes = instantiate(emitHmacLanesModule(headerWords, count, layout), count);
  compiled.set(cacheKey, lanes);
  return lanes;
}

function instantiate(bytes: Uint8Array, count: number): HmacLanes | null {
  if (typeof WebAssembly !== 'object' || !WebAssembly.validate(bytes)) return null;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
  const hash = instance.exports.hash;
  const memory = new Int32Array(instance.exports.memory.buffer);
  const inputWord = INPUT_BYTES / 4;
  const outputWord = OUTPUT_BYTES / 4;
  return {
    seedMany(keyStates, ids, froms, total, output, outputAt) {
      memory.set(keyStates.subarray(0, 24), STATE_BYTES / 4);
      for (let done = 0; done < total; done += LANE_CAPACITY) {
        const batch = Math.min(LANE_CAPACITY, total - done);
        // Lane l of group g: id i at input word g·4·count + 4·i + l (one v128 per id position).
        for (let lane = 0; lane < batch; lane += 1) {
          const from = froms[done + lane]!;
          let word = inputWord + (lane >>> 2) * 4 * count + (lane & 3);
          for (let index = 0; index < count; index += 1, word += 4)
            memory[word] = ids[from + index]!;
        }
        hash((batch + 3) >>> 2);
        for (let lane = 0; lane < batch; lane += 1) {
          const word = outputWord + (lane >>> 2) * 8 + (lane & 3);
          const at = outputAt[done + lane]!;
          output[at] = memory[word]!;
          output[at + 1] = memory[word + 4]!;
        }
      }
      // The module is shared by every key: its key states do not outlive the call.
      memory.fill(0, STATE_BYTES / 4, STATE_BYTES / 4 + 24);
    },
  };
}
