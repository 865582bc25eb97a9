import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSeededRandom } from '../language-model/index.js';
import { createContextHasher } from './context-hasher.js';
import { hmacLanesFor, LANE_WARMUP_CONTEXTS } from './hmac-lanes.js';
import { contextSeed, SCHEME_TAG } from './keyed-random.js';

const random = createSeededRandom(7);
const bytes = (length: number) => Uint8Array.from({ length }, () => Math.floor(random() * 256));
const id = () => {
  const draw = random();
  return draw < 0.5 ? Math.floor(random() * 50000) : Math.floor(random() * 4294967296);
};

// Secret lengths around the 64-byte HMAC block (longer keys are hashed first); context lengths
// around the one-block limit (n = 8 fits, n = 9 needs a second block) and the u8 count.
const cases: [string, number, number][] = [
  ['16-byte key, empty context', 16, 0],
  ['32-byte key, 1 id', 32, 1],
  ['32-byte key, 2 ids', 32, 2],
  ['64-byte key, 8 ids (one block)', 64, 8],
  ['65-byte key, 9 ids (two blocks)', 65, 9],
  ['100-byte key, 24 ids (three blocks)', 100, 24],
  ['32-byte key, 255 ids', 32, 255],
];
for (const [name, secretLength, contextLength] of cases) {
  test(`equals contextSeed: ${name}`, () => {
    for (let trial = 0; trial < 20; trial += 1) {
      const secret = bytes(secretLength);
      for (const tag of Object.values(SCHEME_TAG)) {
        const hasher = createContextHasher(secret, tag);
        // The context sits inside a longer array: `from`/`to` select it.
        const ids = Array.from({ length: contextLength + 6 }, id);
        const seed = new Uint32Array(2);
        hasher.seedOf(ids, 3, 3 + contextLength, seed);
        assert.deepEqual([...seed], contextSeed(secret, tag, ids.slice(3, 3 + contextLength)));
      }
    }
  });
}

test('one hasher gives the same seeds in any order (no state leaks between calls)', () => {
  const secret = bytes(32);
  const hasher = createContextHasher(secret, SCHEME_TAG.exponential);
  const contexts = Array.from({ length: 50 }, () =>
    Array.from({ length: 1 + Math.floor(random() * 12) }, id),
  );
  const seed = new Uint32Array(2);
  for (const context of [...contexts, ...contexts.reverse()]) {
    hasher.seedOf(context, 0, context.length, seed);
    assert.deepEqual([...seed], contextSeed(secret, SCHEME_TAG.exponential, context));
  }
});

// seedMany: batches below and above the lane minimum, partial groups of four, more than one
// WebAssembly call (LANE_CAPACITY = 1024), contexts of one block (lanes) and of two (one at a time).
// The lanes of a header are built once it has been asked for LANE_WARMUP_CONTEXTS contexts: the
// first batch of each count is that many (in lanes from there on; fewer are hashed one at a time).
const batches: [number, number][] = [
  ...[1, 2, 3, 4, 5, 8].map((count): [number, number] => [count, LANE_WARMUP_CONTEXTS]),
  [4, 1],
  [4, 3],
  [4, 4],
  [4, 7],
  [1, 9],
  [2, 1030],
  [5, 2049],
  [8, 13],
  [9, 6],
  [3, 0],
];
for (const [count, total] of batches) {
  test(`seedMany equals contextSeed: ${total} contexts of ${count} ids`, () => {
    const secret = bytes(32);
    for (const tag of [SCHEME_TAG.greenListSelfHash, SCHEME_TAG.exponential]) {
      const hasher = createContextHasher(secret, tag);
      const ids = Array.from({ length: total + count + 5 }, id);
      // Overlapping contexts in scrambled order, seeds to scattered, odd offsets.
      const froms = Int32Array.from({ length: total }, (_, index) => (index * 7919) % (total + 5));
      const outputAt = Int32Array.from({ length: total }, (_, index) => 3 + 5 * index);
      const output = new Uint32Array(5 * total + 5);
      hasher.seedMany(ids, froms, total, count, output, outputAt);
      for (let index = 0; index < total; index += 1) {
        const from = froms[index]!;
        const at = outputAt[index]!;
        assert.deepEqual(
          [output[at], output[at + 1]],
          contextSeed(secret, tag, ids.slice(from, from + count)),
          `context ${index}`,
        );
      }
    }
  });
}

// expect: a job announced as long builds the lanes first, so even its first small batch goes
// through them (count 6 and 7 are asked for nowhere else in this file); a short one does not.
const built = (count: number) =>
  hmacLanesFor(
    Int32Array.from([0x64697374, 0x696c6c67, 0x75617264, 0x2d776d2d, 0x76310300 | count]),
    count,
    0,
  ) !== null;
const announcements: [number, number, boolean][] = [
  [6, LANE_WARMUP_CONTEXTS, true],
  [7, LANE_WARMUP_CONTEXTS - 1, false],
  [9, LANE_WARMUP_CONTEXTS, false],
];
for (const [count, announced, lanes] of announcements) {
  test(`seedMany after expect(${count}, ${announced}) equals contextSeed`, () => {
    const secret = bytes(32);
    const hasher = createContextHasher(secret, SCHEME_TAG.exponential);
    hasher.expect(count, announced);
    const total = 9;
    const ids = Array.from({ length: total + count }, id);
    const froms = Int32Array.from({ length: total }, (_, index) => index);
    const outputAt = Int32Array.from({ length: total }, (_, index) => 2 * index);
    const output = new Uint32Array(2 * total);
    hasher.seedMany(ids, froms, total, count, output, outputAt);
    for (let index = 0; index < total; index += 1) {
      assert.deepEqual(
        [output[2 * index], output[2 * index + 1]],
        contextSeed(secret, SCHEME_TAG.exponential, ids.slice(index, index + count)),
      );
    }
    // Header 'distillguard-wm-v1', exponential tag, `count` ids: lanes exist iff announced.
    if (count <= 8) assert.equal(built(count), lanes);
  });
}
