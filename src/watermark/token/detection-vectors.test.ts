import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { createSeededRandom } from '../../language-model/index.js';
import { createWatermarkKey } from '../keys/watermark-key.js';
import { createTokenScorer, type TokenScores } from './detect-token-watermark.js';
import {
  exponentialScheme,
  greenListScheme,
  type TokenWatermarkScheme,
} from './watermark-scheme.js';

// Detection results recorded before the speed work of issue 18 (commit 403ed65): any change to
// the scores, their order, the dedup or the p-values fails here. Numbers are compared exactly.
const random = createSeededRandom(2026);
const ids: number[] = [];
for (let index = 0; index < 6000; index += 1) {
  const draw = random();
  // Mostly a small vocabulary (repeats exercise dedup), some mid ids, a few beyond 2^16 and 2^21.
  ids.push(
    draw < 0.7
      ? Math.floor(random() * 40)
      : draw < 0.97
        ? Math.floor(random() * 50000)
        : draw < 0.99
          ? 70000 + Math.floor(random() * 9)
          : 3000000 + Math.floor(random() * 5),
  );
}
const key = createWatermarkKey(
  'vector',
  Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex'),
);

const vectors: [string, TokenWatermarkScheme, number, number, number, number, string][] = [
  // name, scheme, scored, duplicates, statistic, logPValue, sha256(scores ‖ positions)[0..16)
  [
    'green-list h=1',
    greenListScheme({ contextWidth: 1 }),
    4421,
    1574,
    1114,
    -0.9513587029775454,
    'fda0051d5de56cf3',
  ],
  ['green-list h=2', greenListScheme(), 5962, 33, 1579, -5.420199913486684, '8972085a2f6f4b29'],
  [
    'green-list h=3 γ=0.5',
    greenListScheme({ contextWidth: 3, gamma: 0.5 }),
    5995,
    0,
    3028,
    -1.5177942129519106,
    '22d40554767f1d50',
  ],
  [
    'green-list self-hash',
    greenListScheme({ selfHash: true }),
    5962,
    33,
    1444,
    -0.08287490196937143,
    '8d6a703b8e6daedb',
  ],
  [
    'exponential h=1',
    exponentialScheme({ contextWidth: 1 }),
    4421,
    1574,
    4432.952964725171,
    -0.8515248195604457,
    '9cde2f69cf6b43f5',
  ],
  [
    'exponential h=2',
    exponentialScheme({ contextWidth: 2 }),
    5962,
    33,
    6059.874843467197,
    -2.273685263724694,
    '47e92e109b4bff07',
  ],
  [
    'exponential h=4',
    exponentialScheme(),
    5995,
    0,
    6004.273286314714,
    -0.7970564812781147,
    '74b7b6a52579eb82',
  ],
  // h = 12: the HMAC message spans two SHA-256 blocks.
  [
    'exponential h=12',
    exponentialScheme({ contextWidth: 12 }),
    5988,
    0,
    5935.151805270105,
    -0.28507686142110156,
    '63d0f152493f9136',
  ],
];

describe('token detection results are unchanged (recorded vectors)', () => {
  for (const [name, scheme, scored, duplicates, statistic, logPValue, digest] of vectors) {
    test(name, () => {
      // Twice with one scorer: the second pass runs from the warm seed cache.
      const scorer = createTokenScorer(scheme, key);
      for (let pass = 0; pass < 2; pass += 1) {
        const scores = scorer.score(ids, { promptLength: 5 });
        const detection = scorer.test(scores);
        assert.equal(scores.scores.length, scored);
        assert.equal(scores.duplicates, duplicates);
        assert.equal(detection.statistic, statistic);
        assert.equal(detection.logPValue, logPValue);
        assert.equal(digestOf([scores]), digest);
      }
    });
  }
});

/** sha256 of every scores ‖ positions in turn, first 16 hex digits. */
function digestOf(list: readonly TokenScores[]): string {
  const hash = createHash('sha256');
  for (const { scores, positions } of list) {
    hash.update(Buffer.from(scores.buffer)).update(Buffer.from(positions.buffer));
  }
  return hash.digest('hex').slice(0, 16);
}

// Recorded before the single-probe context table (issue 18, third pass): one scorer reused over
// texts that share contexts (the seed cache stays warm, the dedup must not), and one text with
// more distinct contexts than the seed cache holds (2^18) whose first 2,000 ids come again at
// the end, so repeats lie on both sides of the cache's limit.
describe('token detection results are unchanged across texts and past the seed cache', () => {
  const small = createSeededRandom(5);
  const first = Array.from({ length: 3000 }, () => Math.floor(small() * 30));
  const second = [
    ...first.slice(1500),
    ...Array.from({ length: 1500 }, () => Math.floor(small() * 30)),
  ];
  const sequence: [string, TokenWatermarkScheme, string, string][] = [
    // name, scheme, scored/duplicates per call, digest of all calls
    [
      'exponential h=2',
      exponentialScheme({ contextWidth: 2 }),
      '2820/178 2838/152 2730/170 0/0',
      '8d023bb392b8e0d2',
    ],
    [
      'green-list h=1',
      greenListScheme({ contextWidth: 1 }),
      '862/2137 862/2128 860/2040 1/0',
      'd3b0726ef803a04b',
    ],
    [
      'green-list self-hash',
      greenListScheme({ selfHash: true }),
      '2820/178 2838/152 2730/170 0/0',
      'fa865eba5c8c555b',
    ],
    ['exponential h=4', exponentialScheme(), '2996/0 2990/0 2900/0 0/0', 'd47b82844ceebc9a'],
  ];
  for (const [name, scheme, counts, digest] of sequence) {
    test(`${name}: one scorer, four texts`, () => {
      const scorer = createTokenScorer(scheme, key);
      const list = [
        scorer.score(first),
        scorer.score(second, { promptLength: 10 }),
        scorer.score(first, { promptLength: 100 }),
        scorer.score(first.slice(0, 2)),
      ];
      assert.equal(list.map((s) => `${s.scores.length}/${s.duplicates}`).join(' '), counts);
      assert.equal(digestOf(list), digest);
    });
  }

  const large = createSeededRandom(18);
  const long = Array.from({ length: 270_000 }, () => Math.floor(large() * 50000));
  long.push(...long.slice(0, 2000));
  const beyond: [string, TokenWatermarkScheme, number, number, number, number, string][] = [
    // name, scheme, scored, duplicates, statistic, logPValue, digest
    [
      'exponential h=2',
      exponentialScheme({ contextWidth: 2 }),
      270000,
      1997,
      270719.539505364,
      -2.4870661019828866,
      '66d6a8332389f3af',
    ],
    [
      'green-list self-hash',
      greenListScheme({ selfHash: true }),
      270000,
      1997,
      67345,
      -0.2807841562805694,
      'bbd0c001aa27b8ab',
    ],
  ];
  for (const [name, scheme, scored, duplicates, statistic, logPValue, digest] of beyond) {
    test(`${name}: ${long.length} ids, more contexts than the seed cache holds`, () => {
      const scorer = createTokenScorer(scheme, key);
      const scores = scorer.score(long, { promptLength: 3 });
      const detection = scorer.test(scores);
      assert.equal(scores.scores.length, scored);
      assert.equal(scores.duplicates, duplicates);
      assert.equal(detection.statistic, statistic);
      assert.equal(detection.logPValue, logPValue);
      assert.equal(digestOf([scores]), digest);
    });
  }
});

test('scorePair gives the score of each first occurrence in score()', () => {
  for (const scheme of [
    greenListScheme(),
    greenListScheme({ selfHash: true }),
    exponentialScheme(),
  ]) {
    const width = scheme.contextWidth;
    const scorer = createTokenScorer(scheme, key);
    const expected = scorer.score(ids.slice(0, 800));
    // A fresh scorer (cold cache) and the warm one agree with score().
    for (const pairScorer of [createTokenScorer(scheme, key), scorer]) {
      expected.positions.forEach((position, index) => {
        const window = ids.slice(position - width, position);
        assert.equal(pairScorer.scorePair(window, ids[position]!), expected.scores[index]);
      });
    }
  }
});

test('ids that are not uint32 are refused, not scored with an inexact dedup', () => {
  const scorer = createTokenScorer(greenListScheme(), key);
  assert.throws(() => scorer.score([1, 2, 3, 4294967296]), RangeError);
  assert.throws(() => scorer.scorePair([1, -2], 3), RangeError);
});
