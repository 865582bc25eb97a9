import { ROUND_CONSTANTS } from './sha256-constants.js';

/** Header words (prefix, tag, count) of the one-block messages the lanes hash. */
export const LANE_HEADER_WORDS = 5;
/** The longest context whose message (header, ids, padding) fits one 64-byte block. */
export const LANE_MAX_COUNT = 8;

/** Where the module's memory holds the key states, the lanes' ids and their seeds. */
export interface HmacLanesLayout {
  /** 24 words: inner pad state, inner working variables after the header, outer pad state. */
  readonly stateBytes: number;
  /** Per group of four contexts, `count` v128 (id i of lane l at 16·i + 4·l). */
  readonly inputBytes: number;
  /** Per group, two v128: the lanes' s0, then their s1. */
  readonly outputBytes: number;
}

// WebAssembly encoding (https://webassembly.github.io/spec/core/binary/). Every local index,
// shift count and memory offset used here is below 128, so each is one LEB128 byte.
const I32 = 0x7f;
const V128 = 0x7b;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const I32_CONST = 0x41;
const SIMD = 0xfd;
const LOAD = 0x00;
const LOAD32_SPLAT = 0x09;
const STORE = 0x0b;
const CONST = 0x0c;
const OR = 0x50;
const XOR = 0x51;
const BITSELECT = 0x52;
const SHL = 0xab;
const SHR_U = 0xad;
const ADD = 0xae;
// Locals: 0 groups (parameter), 1 input pointer, 2 output pointer, then v128: 8 working
// variables, 16 schedule words, one temporary.
const GROUPS = 0;
const INPUT = 1;
const OUTPUT = 2;
const WORKING = 3;
const SCHEDULE = WORKING + 8;
const TEMPORARY = SCHEDULE + 16;

/** A schedule word: a value known when emitting (`local` −1), or a local holding four lanes. */
interface Word {
  local: number;
  constant: number;
}

const rotr = (value: number, bits: number) => (value >>> bits) | (value << (32 - bits));
const smallSigma0 = (value: number) => rotr(value, 7) ^ rotr(value, 18) ^ (value >>> 3);
const smallSigma1 = (value: number) => rotr(value, 17) ^ rotr(value, 19) ^ (value >>> 10);

/**
 * The WebAssembly module of `hmac-lanes.ts`: `hash(groups)` computes, for each group of four
 * contexts of `count` ids in `layout`, the HMAC seeds (s0, s1) of the messages with these header
 * words. Written into a byte buffer directly: it runs once per header, cold, in the first
 * detection of a process.
 */
export function emitHmacLanesModule(
  headerWords: Int32Array,
  count: number,
  layout: HmacLanesLayout,
): Uint8Array {
  const code = new Uint8Array(1 << 16);
  let at = 0;
  const byte = (value: number) => {
    code[at++] = value;
  };
  const simd = (opcode: number) => {
    code[at++] = SIMD;
    if (opcode < 0x80) code[at++] = opcode;
    else {
      code[at++] = opcode | 0x80;
      code[at++] = opcode >>> 7;
    }
  };
  const get = (local: number) => {
    code[at++] = LOCAL_GET;
    code[at++] = local;
  };
  const set = (local: number) => {
    code[at++] = LOCAL_SET;
    code[at++] = local;
  };
  const i32 = (value: number) => {
    code[at++] = I32_CONST;
    let rest = value | 0;
    for (;;) {
      const low = rest & 0x7f;
      rest >>= 7;
      if ((rest === 0 && (low & 0x40) === 0) || (rest === -1 && (low & 0x40) !== 0)) {
        code[at++] = low;
        return;
      }
      code[at++] = low | 0x80;
    }
  };
  const splatConstant = (value: number) => {
    simd(CONST);
    for (let lane = 0; lane < 4; lane += 1) {
      code[at++] = value & 0xff;
      code[at++] = (value >>> 8) & 0xff;
      code[at++] = (value >>> 16) & 0xff;
      code[at++] = value >>> 24;
    }
  };
  const splatLoad = (address: number) => {
    i32(address);
    simd(LOAD32_SPLAT);
    byte(2);
    byte(0);
  };
  const rotate = (local: number, bits: number) => {
    get(local);
    i32(bits);
    simd(SHR_U);
    get(local);
    i32(32 - bits);
    simd(SHL);
    simd(OR);
  };
  // Σ (three rotations) or σ (two rotations and a shift), xor-ed.
  const sigma = (local: number, first: number, second: number, third: number, shift: boolean) => {
    rotate(local, first);
    rotate(local, second);
    simd(XOR);
    if (shift) {
      get(local);
      i32(third);
      simd(SHR_U);
    } else rotate(local, third);
    simd(XOR);
  };

  const schedule: Word[] = Array.from({ length: 64 }, () => ({ local: -1, constant: 0 }));
  const roles = [0, 1, 2, 3, 4, 5, 6, 7].map((index) => WORKING + index);
  /** Rounds `from..64` of one compression on the working variables in `roles` (a..h). */
  const compression = (from: number, lastRoundAOnly: boolean) => {
    for (let round = from; round < 64; round += 1) {
      const word = schedule[round]!;
      if (round >= 16) {
        // W = σ1(W[t−2]) + W[t−7] + σ0(W[t−15]) + W[t−16], the known terms folded.
        const late = schedule[round - 2]!;
        const middle = schedule[round - 7]!;
        const early = schedule[round - 15]!;
        const oldest = schedule[round - 16]!;
        let constant = 0;
        let terms = 0;
        if (late.local < 0) constant += smallSigma1(late.constant);
        else {
          sigma(late.local, 17, 19, 10, true);
          terms += 1;
        }
        for (const [term, isEarly] of [
          [middle, false],
          [early, true],
          [oldest, false],
        ] as const) {
          if (term.local < 0) {
            constant += isEarly ? smallSigma0(term.constant) : term.constant;
            continue;
          }
          if (isEarly) sigma(term.local, 7, 18, 3, true);
          else get(term.local);
          terms += 1;
          if (terms > 1) simd(ADD);
        }
        word.constant = constant | 0;
        word.local = -1;
        if (terms > 0) {
          if (word.constant !== 0) {
            splatConstant(word.constant);
            simd(ADD);
          }
          word.local = SCHEDULE + (round % 16);
          set(word.local);
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
      // T1 = h + Σ1(e) + Ch(e, f, g) + K + W, Ch being bitselect(f, g, e).
      get(h);
      sigma(e, 6, 11, 25, false);
      simd(ADD);
      get(f);
      get(g);
      get(e);
      simd(BITSELECT);
      simd(ADD);
      if (word.local < 0) splatConstant((ROUND_CONSTANTS[round]! + word.constant) | 0);
      else {
        get(word.local);
        simd(ADD);
        splatConstant(ROUND_CONSTANTS[round]!);
      }
      simd(ADD);
      set(TEMPORARY);
      // e' = d + T1 into d's local; a' = T1 + Σ0(a) + Maj(a, b, c) into h's local, Maj being
      // bitselect(b, a, a ⊕ c). The last round's e' is not needed (only a and b are kept).
      if (!(lastRoundAOnly && round === 63)) {
        get(d);
        get(TEMPORARY);
        simd(ADD);
        set(d);
      }
      get(TEMPORARY);
      sigma(a, 2, 13, 22, false);
      simd(ADD);
      get(b);
      get(a);
      get(a);
      get(c);
      simd(XOR);
      simd(BITSELECT);
      simd(ADD);
      set(h);
      roles[0] = h;
      roles[1] = a;
      roles[2] = b;
      roles[3] = c;
      roles[4] = d;
      roles[5] = e;
      roles[6] = f;
      roles[7] = g;
    }
  };
  const loadWorking = (address: number) => {
    for (let index = 0; index < 8; index += 1) {
      roles[index] = WORKING + index;
      splatLoad(address + 4 * index);
      set(WORKING + index);
    }
  };

  // block { loop { if groups == 0 break; one group; advance; continue } }
  i32(layout.inputBytes);
  set(INPUT);
  i32(layout.outputBytes);
  set(OUTPUT);
  byte(0x02);
  byte(0x40);
  byte(0x03);
  byte(0x40);
  get(GROUPS);
  byte(0x45); // i32.eqz
  byte(0x0d); // br_if 1
  byte(1);

  // Inner block: header words, ids (loaded), 0x80 padding, zeros, bit length; the header's
  // rounds were run by the caller.
  const messageWords = LANE_HEADER_WORDS + count;
  for (let index = 0; index < 16; index += 1) {
    const word = schedule[index]!;
    word.local = -1;
    if (index < LANE_HEADER_WORDS) word.constant = headerWords[index]!;
    else if (index < messageWords) {
      word.local = SCHEDULE + index;
      get(INPUT);
      simd(LOAD);
      byte(4);
      byte(16 * (index - LANE_HEADER_WORDS));
      set(word.local);
    } else if (index === messageWords) word.constant = 0x80000000 | 0;
    else word.constant = index === 15 ? (64 + 4 * messageWords) * 8 : 0;
  }
  loadWorking(layout.stateBytes + 32);
  compression(LANE_HEADER_WORDS, false);
  // Inner digest = inner state + working variables: the outer block's first eight words.
  const digest = [...roles];
  for (let index = 0; index < 16; index += 1) {
    const word = schedule[index]!;
    if (index < 8) {
      get(digest[index]!);
      splatLoad(layout.stateBytes + 4 * index);
      simd(ADD);
      word.local = SCHEDULE + index;
      set(word.local);
    } else {
      word.local = -1;
      word.constant = index === 8 ? 0x80000000 | 0 : index === 15 ? (64 + 32) * 8 : 0;
    }
  }
  loadWorking(layout.stateBytes + 64);
  compression(0, true);
  // s0, s1: the outer state's first two words plus a, b.
  for (let index = 0; index < 2; index += 1) {
    get(OUTPUT);
    get(roles[index]!);
    splatLoad(layout.stateBytes + 64 + 4 * index);
    simd(ADD);
    simd(STORE);
    byte(4);
    byte(16 * index);
  }
  for (const [local, step] of [
    [INPUT, 16 * count],
    [OUTPUT, 32],
    [GROUPS, -1],
  ] as const) {
    get(local);
    i32(step);
    byte(0x6a); // i32.add
    set(local);
  }
  byte(0x0c); // br 0
  byte(0);
  byte(0x0b); // end loop
  byte(0x0b); // end block
  byte(0x0b); // end function

  const locals = [2, 2, I32, TEMPORARY + 1 - WORKING, V128];
  const body = [...leb(locals.length + at), ...locals];
  const sections = [
    [1, 0x01, 0x60, 1, I32, 0], // type: (i32) -> ()
    [3, 0x01, 0], // function 0 has type 0
    [5, 0x01, 0x00, 1], // one memory, one page
    [7, 0x02, 4, ...ascii('hash'), 0x00, 0, 6, ...ascii('memory'), 0x02, 0], // exports
  ].map(([id, ...content]) => [id!, ...leb(content.length), ...content]);
  const codeSection = [10, ...leb(1 + body.length + at), 1, ...body];
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const head = [...header, ...sections.flat(), ...codeSection];
  const module = new Uint8Array(head.length + at);
  module.set(head);
  module.set(code.subarray(0, at), head.length);
  return module;
}

function leb(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    const low = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? low : low | 0x80);
  } while (rest !== 0);
  return out;
}

function ascii(text: string): number[] {
  return [...text].map((character) => character.charCodeAt(0));
}
