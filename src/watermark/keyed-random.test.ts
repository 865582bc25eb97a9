import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextSeed, mix32, SCHEME_TAG, tokenValue } from './keyed-random.js';

// Test vectors of docs/watermark-spec.md §6, cross-checked with the Python reference there.
const SECRET = Buffer.from(
  '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  'hex',
);
const VECTORS: { tag: number; context: number[]; seed: [number, number]; values: number[] }[] = [
  {
    tag: 1,
    context: [42],
    seed: [1233671796, 1526964506],
    values: [2047837648, 1237550980, 4150839985, 3389421669],
  },
  {
    tag: 1,
    context: [0],
    seed: [95918246, 2767553092],
    values: [2218207243, 1613021510, 1541035880, 3848157942],
  },
  {
    tag: 1,
    context: [7, 1000],
    seed: [4108785818, 3454220483],
    values: [2287673082, 2906557850, 2258696611, 1958374409],
  },
  {
    tag: 2,
    context: [42, 17],
    seed: [1750566131, 996398994],
    values: [3928161569, 3461734512, 2642606849, 3310331248],
  },
  {
    tag: 3,
    context: [1, 2, 3, 4],
    seed: [3578002944, 732294987],
    values: [2036206069, 2570529134, 2212661432, 585308225],
  },
];

for (const { tag, context, seed, values } of VECTORS) {
  test(`spec vector: tag ${tag}, context [${context.join(', ')}]`, () => {
    assert.deepEqual(contextSeed(SECRET, tag, context), seed);
    assert.deepEqual(
      [0, 1, 17, 255].map((token) => tokenValue(seed[0], seed[1], token)),
      values,
    );
  });
}

test('mix32 vectors', () => {
  assert.deepEqual([0, 1, 42, 0xffffffff].map(mix32), [0, 1364076727, 142593372, 2180083513]);
});

test('scheme tags separate the pseudo-random streams', () => {
  assert.notDeepEqual(
    contextSeed(SECRET, SCHEME_TAG.greenList, [5]),
    contextSeed(SECRET, SCHEME_TAG.exponential, [5]),
  );
});

test('token values are uniform: green fraction ≈ γ over many contexts and tokens', () => {
  let green = 0;
  const total = 200 * 500;
  for (let context = 0; context < 200; context += 1) {
    const [seed0, seed1] = contextSeed(SECRET, SCHEME_TAG.greenList, [context]);
    for (let token = 0; token < 500; token += 1) {
      if (tokenValue(seed0, seed1, token) < 0.25 * 2 ** 32) green += 1;
    }
  }
  // 5 standard deviations of Binomial(100000, 0.25) ≈ 685.
  assert.ok(Math.abs(green - 0.25 * total) < 700, `green ${green} of ${total}`);
});
