import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSeededRandom } from '../../language-model/index.js';
import { assertTokenIds } from './assert-token-ids.js';
import { createContextSeedTable, type SeedFunction } from './context-seed-table.js';

const random = createSeededRandom(11);
// Small ids (many repeats and many followers per context) and ids at the top of the uint32 range.
const ids = Array.from({ length: 30000 }, () => {
  const draw = random();
  if (draw < 0.9) return Math.floor(random() * 12);
  return 4294967295 - Math.floor(random() * 3);
});
// A seed that tells tuples apart: the reference checks each record's seed is its own tuple's.
const seedOf: SeedFunction = (source, from, to, output, at) => {
  let value = 17;
  for (let index = from; index < to; index += 1) value = (value * 31 + source[index]!) % 1e9;
  output[at] = value;
  output[at + 1] = to - from;
};
const expectedSeed = (from: number, length: number) =>
  ids.slice(from, from + length).reduce((value, id) => (value * 31 + id) % 1e9, 17);

const cases: [string, number, boolean][] = [
  ['h=1', 1, false],
  ['h=2', 2, false],
  ['h=2 self-hash', 2, true],
  ['h=5 (16-word slots)', 5, false],
];
for (const [name, width, selfHash] of cases) {
  test(`${name}: new pairs, seeds and sizes agree with a Set and a Map of joined ids`, () => {
    const table = createContextSeedTable({ width, selfHash, seedOf });
    const length = selfHash ? width + 1 : width;
    const seeded = new Set<string>();
    // Three texts: the first two overlap, the third is the first again (every pair new again).
    for (const [start, end] of [
      [0, 20000],
      [10000, 30000],
      [0, 20000],
    ] as const) {
      table.startText();
      const pairs = new Set<string>();
      for (let from = start; from + width < end; from += 1) {
        const pair = ids.slice(from, from + width + 1).join(',');
        const record = table.newPairRecord(ids, from);
        assert.equal(record >= 0, !pairs.has(pair), `pair ${pair} at ${from}`);
        pairs.add(pair);
        seeded.add(ids.slice(from, from + length).join(','));
        const again = table.recordOf(ids, from);
        assert.equal(table.seed0(again), expectedSeed(from, length));
        assert.equal(table.seed1(again), length);
      }
      assert.equal(table.size, seeded.size);
    }
    table.clear();
    assert.equal(table.size, 0);
    table.startText();
    assert.ok(table.newPairRecord(ids, 3) >= 0);
    assert.equal(table.size, 1);
  });
}

test('newPairRecords keeps what newPairRecord returns, seeds batched, in chunks of any size', () => {
  for (const [width, selfHash] of [
    [1, false],
    [2, true],
    [4, false],
  ] as const) {
    const one = createContextSeedTable({ width, selfHash, seedOf });
    let batches = 0;
    const batched = createContextSeedTable({
      width,
      selfHash,
      seedOf: () => assert.fail('batched lookups seed through seedMany'),
      seedMany: (source, froms, total, count, output, outputAt) => {
        batches += 1;
        for (let index = 0; index < total; index += 1) {
          seedOf(source, froms[index]!, froms[index]! + count, output, outputAt[index]!);
        }
      },
    });
    for (const chunk of [1, 7, 1000]) {
      one.startText();
      batched.startText();
      const records = new Int32Array(chunk);
      const starts = new Int32Array(chunk);
      for (let first = 0; first + width < 20000; first += chunk) {
        const end = Math.min(20000 - width, first + chunk);
        const found = batched.newPairRecords(ids, first, end, records, starts);
        const expected: number[] = [];
        for (let from = first; from < end; from += 1) {
          const record = one.newPairRecord(ids, from);
          if (record >= 0) expected.push(from, one.seed0(record), one.seed1(record));
        }
        const actual: number[] = [];
        for (let index = 0; index < found; index += 1) {
          const record = records[index]!;
          actual.push(starts[index]!, batched.seed0(record), batched.seed1(record));
        }
        assert.deepEqual(actual, expected, `h=${width} chunk ${chunk} at ${first}`);
      }
      assert.equal(batched.size, one.size);
    }
    assert.ok(batches > 0);
  }
});

test('token ids outside 0..2^32 − 1 are refused', () => {
  for (const bad of [-1, 0.5, 4294967296, Number.NaN]) {
    assert.throws(() => assertTokenIds([1, bad, 2]), RangeError);
  }
  assert.doesNotThrow(() => assertTokenIds([0, 1, 4294967295]));
});
