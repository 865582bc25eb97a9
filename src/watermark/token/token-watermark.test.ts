import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createSeededRandom,
  type LanguageModel,
  loadDefaultLanguageModel,
} from '../../language-model/index.js';
import { deriveAccountKey } from '../keys/derive-account-key.js';
import { createWatermarkKey, type WatermarkKey } from '../keys/watermark-key.js';
import { createWatermarkHook } from './create-watermark-hook.js';
import { detectTokenWatermark } from './detect-token-watermark.js';
import { detectWithKeys } from './detect-with-keys.js';
import {
  exponentialScheme,
  greenListScheme,
  type TokenWatermarkScheme,
} from './watermark-scheme.js';

const model = loadDefaultLanguageModel();
const key = createWatermarkKey('provider', Buffer.alloc(32, 1));
const otherKey = createWatermarkKey('other', Buffer.alloc(32, 2));

const PROMPTS = [
  'Sure.',
  'Of course.',
  'Certainly.',
  'Great idea.',
  'Happy to help.',
  'First,',
  'Next,',
  'Then',
  'Finally,',
  'In short,',
];

/** About `tokens` tokens of answers, concatenated (several short answers if they end early). */
function generate(
  languageModel: LanguageModel,
  tokens: number,
  seed: number,
  hook?: ReturnType<typeof createWatermarkHook>,
): number[] {
  const random = createSeededRandom(seed);
  const ids: number[] = [];
  while (ids.length < tokens) {
    const part = [
      ...languageModel.generate({
        // Varied prompts: the exponential scheme is deterministic given the prompt.
        prompt: PROMPTS[Math.floor(random() * PROMPTS.length)]!,
        maxTokens: tokens - ids.length,
        random,
        ...(hook ? { logitsHook: hook } : {}),
      }),
    ];
    ids.push(...part);
  }
  return ids;
}

describe('token-level watermark: embed then detect', () => {
  const cases: [string, TokenWatermarkScheme][] = [
    ['green-list γ=0.25 δ=3 h=1', greenListScheme({ delta: 3 })],
    ['green-list h=2', greenListScheme({ delta: 3, contextWidth: 2 })],
    ['green-list self-hash', greenListScheme({ delta: 4, selfHash: true })],
    ['exponential h=2', exponentialScheme({ contextWidth: 2 })],
  ];
  for (const [name, scheme] of cases) {
    test(`${name}: one 200-token answer is detected, the wrong key is not`, () => {
      const ids = generate(model, 200, 7, createWatermarkHook(scheme, key));
      const right = detectTokenWatermark(ids, scheme, key);
      const wrong = detectTokenWatermark(ids, scheme, otherKey);
      assert.ok(right.pValue < 1e-6, `right key p = ${right.pValue}`);
      assert.ok(wrong.pValue > 1e-3, `wrong key p = ${wrong.pValue}`);
    });
  }

  test('repeating a text adds no evidence (deduplicated pairs)', () => {
    const scheme = greenListScheme({ delta: 3 });
    const ids = generate(model, 150, 3, createWatermarkHook(scheme, key));
    const once = detectTokenWatermark(ids, scheme, key);
    const twice = detectTokenWatermark([...ids, ...ids], scheme, key);
    // Only the h pairs that straddle the seam are new.
    assert.ok(twice.scored <= once.scored + scheme.contextWidth);
    assert.ok(Math.abs(twice.logPValue - once.logPValue) < 3);
  });

  test('the prompt is not scored', () => {
    const scheme = greenListScheme({ delta: 3 });
    const ids = generate(model, 200, 5, createWatermarkHook(scheme, key));
    const all = detectTokenWatermark(ids, scheme, key);
    const skipped = detectTokenWatermark(ids, scheme, key, { promptLength: 100 });
    assert.ok(skipped.scored < all.scored);
    assert.ok(skipped.scored > 0);
  });
});

describe('null calibration', () => {
  test('p-values over 200 keys on unwatermarked text are uniform (green-list and exponential)', () => {
    const ids = generate(model, 1500, 11);
    for (const scheme of [greenListScheme(), exponentialScheme({ contextWidth: 2 })]) {
      const pValues: number[] = [];
      for (let index = 0; index < 200; index += 1) {
        const control = createWatermarkKey(`control-${index}`, Buffer.alloc(32, index + 3));
        pValues.push(detectTokenWatermark(ids, scheme, control).pValue);
      }
      // Kolmogorov–Smirnov distance to U(0,1); 0.115 is the 1% critical value at n = 200.
      pValues.sort((a, b) => a - b);
      let distance = 0;
      pValues.forEach((value, index) => {
        distance = Math.max(
          distance,
          Math.abs(value - index / 200),
          Math.abs(value - (index + 1) / 200),
        );
      });
      // The binomial p-value is discrete (slightly conservative), hence the looser bound.
      assert.ok(distance < 0.15, `${scheme.kind}: KS distance ${distance}`);
      assert.ok(pValues.filter((p) => p < 0.01).length <= 7);
    }
  });
});

describe('detectWithKeys', () => {
  const master = createWatermarkKey('master', Buffer.alloc(32, 7));
  const accounts = Array.from({ length: 12 }, (_, index) => `acct-${index}`);
  const keys: WatermarkKey[] = accounts.map((account) => deriveAccountKey(master, account, 0));
  const scheme = greenListScheme({ delta: 3 });

  test('names the account whose key watermarked the text (Holm over 12 keys)', () => {
    const ids = generate(model, 300, 21, createWatermarkHook(scheme, keys[5]!));
    const result = detectWithKeys(ids, scheme, keys);
    assert.deepEqual(result.detected, ['acct-5']);
    assert.equal(result.verdicts[0]!.account, 'acct-5');
    assert.equal(result.correction, 'holm-bonferroni');
  });

  test('finds a watermarked stretch inside clean text with windows', () => {
    const wide = greenListScheme({ delta: 3, contextWidth: 2 });
    const clean = generate(model, 1500, 31);
    const marked = generate(model, 250, 32, createWatermarkHook(wide, keys[2]!));
    const ids = [...clean.slice(0, 700), ...marked, ...clean.slice(700)];
    const whole = detectWithKeys(ids, wide, keys, { windowSize: 0, alpha: 1e-4 });
    const windowed = detectWithKeys(ids, wide, keys, { windowSize: 150, alpha: 1e-4 });
    assert.deepEqual(windowed.detected, ['acct-2']);
    assert.ok(windowed.verdicts[0]!.adjustedLogPValue < whole.verdicts[0]!.adjustedLogPValue);
  });

  test('detects nothing in clean text', () => {
    assert.deepEqual(detectWithKeys(generate(model, 800, 41), scheme, keys).detected, []);
  });
});
