import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { createSeededRandom } from '../../language-model/index.js';
import { createWatermarkKey } from '../keys/watermark-key.js';
import { createTokenScorer } from './detect-token-watermark.js';
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
        const hash = createHash('sha256')
          .update(Buffer.from(scores.scores.buffer))
          .update(Buffer.from(scores.positions.buffer))
          .digest('hex');
        assert.equal(hash.slice(0, 16), digest);
      }
    });
  }
});
