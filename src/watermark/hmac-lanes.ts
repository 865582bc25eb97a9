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

import { ROUND_CONSTANTS } from './sha256-constants.js';

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
/** Header words (prefix, tag, count) of the one-block messages the lanes hash. */
export const LANE_HEADER_WORDS = 5;
/** The longest context whose message (header, ids, padding) fits one 64-byte block. */
export const LANE_MAX_COUNT = 8;

const STATE_BYTES = 0;
const INPUT_BYTES = 1024;
const OUTPUT_BYTES = INPUT_BYTES + (LANE_CAPACITY / 4) * 16 * LANE_MAX_COUNT;

// Node runs WebAssembly; the project's libs (ES2023, no DOM) do not type it.
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
  ) => { exports: { hash: (groups: number) => void; memory: { buffer: ArrayBuffer } } };
};

const compiled = new Map<string, HmacLanes | null>();

/**
 * Lanes for messages with these five header words and `count` ids, or null where WebAssembly
 * SIMD is not available (callers then hash one context at a time).
 *
 * @example
 * const lanes = hmacLanesFor(headerWords, 4);
 * lanes?.seedMany(keyStates, ids, froms, total, slots, slotOffsets);
 */
export function hmacLanesFor(headerWords: Int32Array, count: number): HmacLanes | null {
  if (count < 1 || count > LANE_MAX_COUNT || headerWords.length !== LANE_HEADER_WORDS) {
    throw new RangeError(`hmac lanes: ${count} ids do not fit one block`);
  }
  const cacheKey = `${[...headerWords].join(',')}:${count}`;
  let lanes = compiled.get(cacheKey);
  if (lanes === undefined) {
    lanes = instantiate(emitModule(headerWords, count), count);
    compiled.set(cacheKey, lanes);
  }
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
    },
  };
}

// WebAssembly encoding (https://webassembly.github.io/spec/core/binary/).
const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Add: 0x6a,
  i32Sub: 0x6b,
} as const;
const simd = {
  load: 0x00,
  load32Splat: 0x09,
  store: 0x0b,
  const: 0x0c,
  and: 0x4e,
  or: 0x50,
  xor: 0x51,
  bitselect: 0x52,
  shl: 0xab,
  shrU: 0xad,
  add: 0xae,
} as const;

function unsigned(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}
function signed(value: number): number[] {
  const out: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}
const section = (id: number, body: number[]) => [id, ...unsigned(body.length), ...body];
const vector = (items: number[][]) => [...unsigned(items.length), ...items.flat()];
const name = (text: string) => [...unsigned(text.length), ...Buffer.from(text, 'ascii')];

/** A schedule word: a value known when emitting, or a local holding four lanes. */
type Word = { constant: number } | { local: number };

function emitModule(headerWords: Int32Array, count: number): Uint8Array {
  const code: number[] = [];
  const emit = (...bytes: number[]) => {
    for (const byte of bytes) code.push(byte);
  };
  const vectorOp = (opcode: number) => emit(0xfd, ...unsigned(opcode));
  const get = (local: number) => emit(op.localGet, ...unsigned(local));
  const set = (local: number) => emit(op.localSet, ...unsigned(local));
  const splatConstant = (value: number) => {
    vectorOp(simd.const);
    for (let lane = 0; lane < 4; lane += 1)
      for (let byte = 0; byte < 4; byte += 1) emit((value >>> (8 * byte)) & 0xff);
  };
  const splatLoad = (address: number) => {
    emit(op.i32Const, ...signed(address));
    vectorOp(simd.load32Splat);
    emit(2, 0);
  };
  // A v128 load or store at the address on the stack plus `offset`, 16-byte aligned.
  const memoryAt = (opcode: number, offset: number) => {
    vectorOp(opcode);
    emit(4, ...unsigned(offset));
  };
  // Locals: 0 groups (parameter), 1 input pointer, 2 output pointer, then v128: 8 working
  // variables, 16 schedule words, one temporary.
  const GROUPS = 0;
  const INPUT = 1;
  const OUTPUT = 2;
  const WORKING = 3;
  const SCHEDULE = WORKING + 8;
  const TEMPORARY = SCHEDULE + 16;
  // x >>> bits | x << (32 − bits), and x >>> bits, lane-wise.
  const rotate = (local: number, bits: number) => {
    get(local);
    emit(op.i32Const, ...signed(bits));
    vectorOp(simd.shrU);
    get(local);
    emit(op.i32Const, ...signed(32 - bits));
    vectorOp(simd.shl);
    vectorOp(simd.or);
  };
  const shift = (local: number, bits: number) => {
    get(local);
    emit(op.i32Const, ...signed(bits));
    vectorOp(simd.shrU);
  };
  const mixThree = (parts: (() => void)[]) => {
    parts[0]!();
    parts[1]!();
    vectorOp(simd.xor);
    parts[2]!();
    vectorOp(simd.xor);
  };
  const rotr = (value: number, bits: number) => ((value >>> bits) | (value << (32 - bits))) >>> 0;
  const smallSigma0 = (value: number) => rotr(value, 7) ^ rotr(value, 18) ^ (value >>> 3);
  const smallSigma1 = (value: number) => rotr(value, 17) ^ rotr(value, 19) ^ (value >>> 10);

  /** Emits rounds `from..64` of one compression; `roles` are the locals of a..h on entry. */
  const compression = (
    schedule: Word[],
    from: number,
    roles: number[],
    lastRoundAOnly: boolean,
  ) => {
    for (let round = from; round < 64; round += 1) {
      if (round >= 16) {
        const early = schedule[round - 15]!;
        const late = schedule[round - 2]!;
        const terms = [late, schedule[round - 7]!, early, schedule[round - 16]!];
        let constant = 0;
        let pending = 0;
        for (const [index, term] of terms.entries()) {
          if ('constant' in term) {
            const value =
              index === 0
                ? smallSigma1(term.constant)
                : index === 2
                  ? smallSigma0(term.constant)
                  : term.constant;
            constant = (constant + value) | 0;
            continue;
          }
          if (index === 0)
            mixThree([
              () => rotate(term.local, 17),
              () => rotate(term.local, 19),
              () => shift(term.local, 10),
            ]);
          else if (index === 2)
            mixThree([
              () => rotate(term.local, 7),
              () => rotate(term.local, 18),
              () => shift(term.local, 3),
            ]);
          else get(term.local);
          pending += 1;
          if (pending > 1) vectorOp(simd.add);
        }
        if (pending === 0) schedule[round] = { constant };
        else {
          if (constant !== 0) {
            splatConstant(constant);
            vectorOp(simd.add);
          }
          const local = SCHEDULE + (round % 16);
          set(local);
          schedule[round] = { local };
        }
      }
      const [a, b, c, d, e, f, g, h] = roles as [
        number,
        number,
        number,
        number,
        number,
        number,
        number,
        number,
      ];
      // T1 = h + Σ1(e) + Ch(e, f, g) + K + W; Ch is bitselect(f, g, e).
      get(h);
      mixThree([() => rotate(e, 6), () => rotate(e, 11), () => rotate(e, 25)]);
      vectorOp(simd.add);
      get(f);
      get(g);
      get(e);
      vectorOp(simd.bitselect);
      vectorOp(simd.add);
      const word = schedule[round]!;
      if ('constant' in word) splatConstant((ROUND_CONSTANTS[round]! + word.constant) | 0);
      else {
        get(word.local);
        vectorOp(simd.add);
        splatConstant(ROUND_CONSTANTS[round]!);
      }
      vectorOp(simd.add);
      set(TEMPORARY);
      // e' = d + T1 (into d's local), a' = T1 + Σ0(a) + Maj(a, b, c) (into h's local); Maj is
      // bitselect(b, a, a ⊕ c).
      const last = lastRoundAOnly && round === 63;
      if (!last) {
        get(d);
        get(TEMPORARY);
        vectorOp(simd.add);
        set(d);
      }
      get(TEMPORARY);
      mixThree([() => rotate(a, 2), () => rotate(a, 13), () => rotate(a, 22)]);
      vectorOp(simd.add);
      get(b);
      get(a);
      get(a);
      get(c);
      vectorOp(simd.xor);
      vectorOp(simd.bitselect);
      vectorOp(simd.add);
      set(h);
      roles.splice(0, 8, h, a, b, c, d, e, f, g);
    }
  };

  // Loop over groups of four contexts.
  emit(op.i32Const, ...signed(INPUT_BYTES));
  set(INPUT);
  emit(op.i32Const, ...signed(OUTPUT_BYTES));
  set(OUTPUT);
  emit(op.block, 0x40, op.loop, 0x40);
  get(GROUPS);
  emit(op.i32Eqz, op.brIf, 1);

  // Inner block: header words, ids (loaded), 0x80 padding, zeros, bit length.
  const messageWords = LANE_HEADER_WORDS + count;
  const inner: Word[] = [];
  for (let word = 0; word < 16; word += 1) {
    if (word < LANE_HEADER_WORDS) inner.push({ constant: headerWords[word]! });
    else if (word < messageWords) {
      const local = SCHEDULE + word;
      get(INPUT);
      memoryAt(simd.load, 16 * (word - LANE_HEADER_WORDS));
      set(local);
      inner.push({ local });
    } else if (word === messageWords) inner.push({ constant: 0x80000000 | 0 });
    else inner.push({ constant: word === 15 ? (64 + 4 * messageWords) * 8 : 0 });
  }
  for (let word = 0; word < 8; word += 1) {
    splatLoad(STATE_BYTES + 32 + 4 * word);
    set(WORKING + word);
  }
  const roles = Array.from({ length: 8 }, (_, word) => WORKING + word);
  compression(inner, LANE_HEADER_WORDS, roles, false);
  // Inner digest = inner state + working variables: the outer block's first eight words.
  const outer: Word[] = [];
  for (let word = 0; word < 8; word += 1) {
    get(roles[word]!);
    splatLoad(STATE_BYTES + 4 * word);
    vectorOp(simd.add);
    set(SCHEDULE + word);
    outer.push({ local: SCHEDULE + word });
  }
  outer.push({ constant: 0x80000000 | 0 });
  for (let word = 9; word < 15; word += 1) outer.push({ constant: 0 });
  outer.push({ constant: (64 + 32) * 8 });
  for (let word = 0; word < 8; word += 1) {
    splatLoad(STATE_BYTES + 64 + 4 * word);
    set(WORKING + word);
  }
  const outerRoles = Array.from({ length: 8 }, (_, word) => WORKING + word);
  compression(outer, 0, outerRoles, true);
  // s0, s1: the outer state's first two words plus a, b.
  for (let word = 0; word < 2; word += 1) {
    get(OUTPUT);
    get(outerRoles[word]!);
    splatLoad(STATE_BYTES + 64 + 4 * word);
    vectorOp(simd.add);
    memoryAt(simd.store, 16 * word);
  }
  for (const [local, step] of [
    [INPUT, 16 * count],
    [OUTPUT, 32],
  ] as const) {
    get(local);
    emit(op.i32Const, ...signed(step), op.i32Add);
    set(local);
  }
  get(GROUPS);
  emit(op.i32Const, 1, op.i32Sub);
  set(GROUPS);
  emit(op.br, 0, op.end, op.end, op.end);

  const locals = vector([
    [2, I32],
    [TEMPORARY + 1 - WORKING, V128],
  ]);
  const body = [...locals, ...code];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector([[0x60, 1, I32, 0]])),
    ...section(3, vector([[0]])),
    ...section(5, vector([[0x00, 1]])),
    ...section(
      7,
      vector([
        [...name('hash'), 0x00, 0],
        [...name('memory'), 0x02, 0],
      ]),
    ),
    ...section(10, vector([[...unsigned(body.length), ...body]])),
  ]);
}
