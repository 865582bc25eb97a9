import { createHash } from 'node:crypto';
import {
  type HmacLanes,
  hmacLanesFor,
  LANE_HEADER_WORDS,
  LANE_MAX_COUNT,
  LANE_WARMUP_CONTEXTS,
} from './hmac-lanes.js';
import { SPEC_PREFIX } from './keyed-random.js';
import { ROUND_CONSTANTS } from './sha256-constants.js';

/*
 * Why this exists: detection with a new key computes one HMAC-SHA256 per distinct context
 * (spec §2), and through `node:crypto` each costs ~1.5 µs of object setup and native calls,
 * which capped the exponential scheme near 0.25M tokens/s. HMAC(K, m) is
 * SHA256((K ⊕ opad) ‖ SHA256((K ⊕ ipad) ‖ m)); the two key blocks are the same for every
 * message, so their compressed states are computed once per key. The context message is short
 * (20 + 4n bytes: one 64-byte block up to n = 8) and word-aligned (the 18-byte prefix plus tag
 * and count is five 32-bit words, then one word per id), so a seed costs two SHA-256
 * compressions on a reused word buffer and no allocation, and the header's first rounds of the
 * inner compression run once per context length. The result is bit-identical to
 * `contextSeed` (checked against it in context-hasher.test.ts).
 */

const INITIAL_STATE = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
/** Scratch for `compress` (its `output` may be its `state`); JS runs one compression at a time. */
const ROUNDS_OUTPUT = new Int32Array(8);
const HEADER_BYTES = SPEC_PREFIX.length + 2;
const HEADER_WORDS = HEADER_BYTES / 4;
if (HEADER_WORDS !== LANE_HEADER_WORDS) throw new Error('context hasher: header must be 5 words');
/** Below this many contexts, one at a time is as fast as a trip into WebAssembly. */
const LANE_MINIMUM = 4;

/** Computes context seeds (spec §2) for one key and scheme tag. */
export interface ContextHasher {
  /**
   * Writes (s0, s1) of the context `ids[from..to)` into `output[at]`, `output[at + 1]`.
   * Ids are written as u32be(id >>> 0) and the count as u8, exactly as `contextSeed` does.
   */
  seedOf(ids: ArrayLike<number>, from: number, to: number, output: Uint32Array, at?: number): void;
  /**
   * Writes the seeds of the contexts `ids[froms[k] .. froms[k] + count)`, k < total, to
   * `output[outputAt[k]]`, `output[outputAt[k] + 1]`: the same as `seedOf` for each, four at a
   * time in WebAssembly SIMD lanes where the message fits one block, once this process has
   * asked for enough such contexts to pay for building them (hmac-lanes.ts).
   */
  seedMany(
    ids: ArrayLike<number>,
    froms: Int32Array,
    total: number,
    count: number,
    output: Uint32Array,
    outputAt: Int32Array,
  ): void;
  /**
   * Announces about `contexts` contexts of `count` ids to come in one job (a text's positions):
   * at `LANE_WARMUP_CONTEXTS` or more the lanes are built now, so that the job's first contexts
   * go through them too instead of one at a time. Seeds do not change.
   */
  expect(count: number, contexts: number): void;
}

/**
 * A fast, allocation-free equivalent of `contextSeed(secret, tag, ids)`.
 *
 * @example
 * const hasher = createContextHasher(key.secret, SCHEME_TAG.greenList);
 * const seed = new Uint32Array(2);
 * hasher.seedOf(ids, position - 2, position, seed); // same as contextSeed(secret, 1, [a, b])
 */
export function createContextHasher(secret: Uint8Array, tag: number): ContextHasher {
  const keyBlock = new Uint8Array(64);
  keyBlock.set(secret.length > 64 ? createHash('sha256').update(secret).digest() : secret);
  const schedule = new Int32Array(64);
  // The inner pad block's state, the inner working variables after the header's rounds (the
  // header is the same for every context of one length, so those rounds run once per length,
  // not once per context), the outer pad block's state: the key as `HmacLanes` takes it.
  const keyStates = new Int32Array(24);
  const innerState = keyStates.subarray(0, 8);
  const headerState = keyStates.subarray(8, 16);
  const outerState = keyStates.subarray(16, 24);
  for (const [state, pad] of [
    [innerState, 0x36],
    [outerState, 0x5c],
  ] as const) {
    for (let word = 0; word < 16; word += 1) {
      let value = 0;
      for (let byte = 0; byte < 4; byte += 1)
        value = (value << 8) | (keyBlock[word * 4 + byte]! ^ pad);
      schedule[word] = value;
    }
    compress(INITIAL_STATE, schedule, state);
  }
  const header = new Uint8Array(HEADER_BYTES);
  header.set(SPEC_PREFIX);
  header[SPEC_PREFIX.length] = tag;
  const headerWords = new Int32Array(HEADER_WORDS);
  let headerCount = -1;
  const innerDigest = new Int32Array(8);
  const outerDigest = new Int32Array(8);
  const useHeader = (count: number) => {
    if ((count & 0xff) === headerCount) return;
    headerCount = count & 0xff;
    header[HEADER_BYTES - 1] = headerCount;
    const view = new DataView(header.buffer);
    for (let word = 0; word < HEADER_WORDS; word += 1) {
      headerWords[word] = view.getInt32(4 * word);
      schedule[word] = headerWords[word]!;
    }
    runRounds(innerState, schedule, 0, HEADER_WORDS, headerState);
  };
  let lanes: HmacLanes | null = null;
  let lanesCount = -1;
  const useLanes = (count: number, contexts: number) => {
    useHeader(count);
    if (lanesCount !== count || lanes === null) {
      lanes = hmacLanesFor(headerWords, count, contexts);
      lanesCount = count;
    }
    return lanes;
  };

  const hasher: ContextHasher = {
    seedOf(ids, from, to, output, at = 0) {
      const count = to - from;
      useHeader(count);
      // The inner message (header words, one word per id, then SHA-256 padding: 0x80, zeros and
      // the bit length) fills one 64-byte block up to 8 ids, more blocks beyond.
      const messageWords = HEADER_WORDS + count;
      const totalWords = Math.ceil((messageWords + 3) / 16) * 16;
      const bitLength = (64 + 4 * messageWords) * 8;
      for (let word = 0; word < 8; word += 1) innerDigest[word] = innerState[word]!;
      for (let block = 0; block < totalWords; block += 16) {
        for (let slot = 0; slot < 16; slot += 1) {
          const word = block + slot;
          if (word < HEADER_WORDS) schedule[slot] = headerWords[word]!;
          else if (word < messageWords) schedule[slot] = ids[from + word - HEADER_WORDS]! | 0;
          else if (word === messageWords) schedule[slot] = 0x80000000 | 0;
          else schedule[slot] = word === totalWords - 1 ? bitLength : 0;
        }
        if (block === 0) compress(innerDigest, schedule, innerDigest, headerState, HEADER_WORDS);
        else compress(innerDigest, schedule, innerDigest);
      }
      for (let word = 0; word < 8; word += 1) schedule[word] = innerDigest[word]!;
      schedule[8] = 0x80000000 | 0;
      for (let word = 9; word < 15; word += 1) schedule[word] = 0;
      schedule[15] = (64 + 32) * 8;
      compress(outerState, schedule, outerDigest);
      output[at] = outerDigest[0]!;
      output[at + 1] = outerDigest[1]!;
    },
    seedMany(ids, froms, total, count, output, outputAt) {
      if (count >= 1 && count <= LANE_MAX_COUNT && total >= LANE_MINIMUM) {
        const ready = useLanes(count, total);
        if (ready) {
          ready.seedMany(keyStates, ids, froms, total, output, outputAt);
          return;
        }
      }
      for (let index = 0; index < total; index += 1) {
        const from = froms[index]!;
        hasher.seedOf(ids, from, from + count, output, outputAt[index]!);
      }
    },
    expect(count, contexts) {
      if (count >= 1 && count <= LANE_MAX_COUNT && contexts >= LANE_WARMUP_CONTEXTS)
        useLanes(count, contexts);
    },
  };
  return hasher;
}

/**
 * One SHA-256 compression of the block in `schedule[0..16)` (the rest is overwritten) into
 * `output`: `state` plus the working variables after 64 rounds, which start from `working` at
 * round `firstRound` (rounds before it already run, e.g. by `runRounds`).
 */
function compress(
  state: Int32Array,
  schedule: Int32Array,
  output: Int32Array,
  working: Int32Array = state,
  firstRound = 0,
): void {
  runRounds(working, schedule, firstRound, 64, ROUNDS_OUTPUT);
  for (let word = 0; word < 8; word += 1) output[word] = (state[word]! + ROUNDS_OUTPUT[word]!) | 0;
}

/**
 * SHA-256 rounds `from..to` on the working variables `working` (a..h), written to `output`; the
 * message schedule is extended in place as the rounds reach it. Sums of up to five int32 values
 * stay exact in doubles, so one `| 0` per sum is the same as modular arithmetic.
 */
function runRounds(
  working: Int32Array,
  schedule: Int32Array,
  from: number,
  to: number,
  output: Int32Array,
): void {
  let a = working[0]!;
  let b = working[1]!;
  let c = working[2]!;
  let d = working[3]!;
  let e = working[4]!;
  let f = working[5]!;
  let g = working[6]!;
  let h = working[7]!;
  for (let round = from; round < to; round += 1) {
    let word: number;
    if (round < 16) word = schedule[round]!;
    else {
      const early = schedule[round - 15]!;
      const late = schedule[round - 2]!;
      const sigma0 =
        ((early >>> 7) | (early << 25)) ^ ((early >>> 18) | (early << 14)) ^ (early >>> 3);
      const sigma1 =
        ((late >>> 17) | (late << 15)) ^ ((late >>> 19) | (late << 13)) ^ (late >>> 10);
      word = (schedule[round - 16]! + sigma0 + schedule[round - 7]! + sigma1) | 0;
      schedule[round] = word;
    }
    const sum1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const first = (h + sum1 + (g ^ (e & (f ^ g))) + ROUND_CONSTANTS[round]! + word) | 0;
    const sum0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    h = g;
    g = f;
    f = e;
    e = (d + first) | 0;
    d = c;
    c = b;
    b = a;
    a = (first + sum0 + ((b & c) | (d & (b | c)))) | 0;
  }
  output[0] = a;
  output[1] = b;
  output[2] = c;
  output[3] = d;
  output[4] = e;
  output[5] = f;
  output[6] = g;
  output[7] = h;
}
