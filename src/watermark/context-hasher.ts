import { createHash } from 'node:crypto';
import { SPEC_PREFIX } from './keyed-random.js';

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

const ROUND_CONSTANTS = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL_STATE = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
/** Scratch for `compress` (its `output` may be its `state`); JS runs one compression at a time. */
const ROUNDS_OUTPUT = new Int32Array(8);
const HEADER_BYTES = SPEC_PREFIX.length + 2;
const HEADER_WORDS = HEADER_BYTES / 4;
if (!Number.isInteger(HEADER_WORDS)) throw new Error('context hasher: header must be whole words');

/** Computes context seeds (spec §2) for one key and scheme tag. */
export interface ContextHasher {
  /**
   * Writes (s0, s1) of the context `ids[from..to)` into `output[at]`, `output[at + 1]`.
   * Ids are written as u32be(id >>> 0) and the count as u8, exactly as `contextSeed` does.
   */
  seedOf(ids: ArrayLike<number>, from: number, to: number, output: Uint32Array, at?: number): void;
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
  const innerState = new Int32Array(8);
  const outerState = new Int32Array(8);
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
  // The inner hash's working variables after the header's rounds (the header is the same for
  // every context of one length, so those rounds run once per length, not once per context).
  const headerState = new Int32Array(8);
  const innerDigest = new Int32Array(8);
  const outerDigest = new Int32Array(8);

  return {
    seedOf(ids, from, to, output, at = 0) {
      const count = to - from;
      if ((count & 0xff) !== headerCount) {
        headerCount = count & 0xff;
        header[HEADER_BYTES - 1] = headerCount;
        const view = new DataView(header.buffer);
        for (let word = 0; word < HEADER_WORDS; word += 1) {
          headerWords[word] = view.getInt32(4 * word);
          schedule[word] = headerWords[word]!;
        }
        runRounds(innerState, schedule, 0, HEADER_WORDS, headerState);
      }
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
  };
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
