import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSeededRandom, loadDefaultLanguageModel } from '../../language-model/index.js';
import { createWatermarkKey, toWatermarkKey } from '../keys/watermark-key.js';
import { logBinomialUpperTail } from '../statistics/binomial-tail.js';
import { createTextWatermarkStage } from './create-text-watermark-stage.js';
import { detectTextWatermark } from './detect-text-watermark.js';
import { LEXICAL_VARIANTS } from './lexical-variants.js';
import { createTextChoice } from './text-choice.js';

const key = createWatermarkKey('provider', Buffer.alloc(32, 1));
const otherKey = createWatermarkKey('other', Buffer.alloc(32, 2));

function watermark(
  text: string,
  chunkSize = 7,
): { output: string; stage: ReturnType<typeof createTextWatermarkStage> } {
  const stage = createTextWatermarkStage({ key });
  let output = '';
  for (let index = 0; index < text.length; index += chunkSize) {
    output += stage.push(text.slice(index, index + chunkSize));
  }
  return { output: output + stage.flush(), stage };
}

function answers(count: number, seed: number): string[] {
  const model = loadDefaultLanguageModel();
  const random = createSeededRandom(seed);
  return Array.from({ length: count }, () =>
    model.decode([...model.generate({ prompt: '', maxTokens: 250, random })]),
  );
}

describe('createTextWatermarkStage', () => {
  const protectedCases: [string, string][] = [
    ['fenced code', 'Text:\n```\nconst big = start(); // big start\n```\n'],
    ['inline code', 'call `big start` now '],
    ['double quotes', 'he said "a big start" there '],
    ['curly quotes', 'he said \u201ca big start\u201d there '],
    ['URL', 'see https://example.com/big/start '],
    ['identifiers and numbers', 'big_start bigStart big2 3big '],
    ['hyphenated and apostrophes', "big-start start's "],
    ['all caps', 'BIG START '],
  ];
  for (const [name, text] of protectedCases) {
    test(`never changes ${name}`, () => {
      // The words around the protected spans ("call", "see", …) have no variants either.
      assert.equal(watermark(text).output, text);
    });
  }

  test('output does not depend on chunk boundaries', () => {
    const [text] = answers(1, 3);
    const outputs = [1, 2, 5, 13, 1000].map((size) => watermark(text!, size).output);
    assert.equal(new Set(outputs).size, 1);
  });

  test('keeps case and punctuation, and reports the substitution rate', () => {
    const { output, stage } = watermark('Big houses. Start, begin (large) ');
    assert.match(output, /^(Big|Large) houses\. (Start|Begin), (begin|start) \((large|big)\) $/);
    const stats = stage.stats();
    assert.equal(stats.words, 5);
    assert.equal(stats.candidates, 4);
    assert.equal(stats.substitutionRate, stats.substitutions / stats.words);
  });

  test('changes only words, one for one', () => {
    const [text] = answers(1, 4);
    const { output, stage } = watermark(text!);
    const before = text!.split(/\s+/);
    const after = output.split(/\s+/);
    assert.equal(after.length, before.length);
    const changed = before.filter((word, index) => word !== after[index]).length;
    assert.equal(changed, stage.stats().substitutions);
    assert.ok(changed > 0);
  });
});

describe('detectTextWatermark', () => {
  test('detects five watermarked answers, not clean ones or another key', () => {
    const marked = answers(5, 8).map((text) => watermark(text).output);
    assert.ok(detectTextWatermark(marked, key).pValue < 1e-6);
    assert.ok(detectTextWatermark(marked, otherKey).pValue > 1e-3);
    assert.ok(detectTextWatermark(answers(5, 9), key).pValue > 1e-3);
  });

  test('p-values on clean text are calibrated: false alarms within the binomial bound at α', () => {
    // Clean text with many distinct contexts: random previous words before variant words whose
    // spelling is drawn independently of any key, so each context's vote matches a key with
    // probability exactly 1/2 (the null). 700 votes per text, 300 seeded keys: with a null of
    // 0.48 instead of 0.5 the false alarms at α = 0.01 rise to ~9% and this test fails.
    const random = createSeededRandom(20260);
    const letters = 'bcdfghjklmnpqrstvwxz';
    const pseudoWord = () =>
      Array.from({ length: 6 }, () => letters[Math.floor(random() * letters.length)]).join('');
    const words: string[] = [];
    for (let index = 0; index < 700; index += 1) {
      const pair = LEXICAL_VARIANTS[Math.floor(random() * LEXICAL_VARIANTS.length)]!;
      words.push(pseudoWord(), pair[random() < 0.5 ? 0 : 1]!);
    }
    const clean = [words.join(' ')];
    const keyCount = 300;
    const pValues = Array.from({ length: keyCount }, (_, index) => {
      const secret = Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256));
      const detection = detectTextWatermark(clean, createWatermarkKey(`k${index}`, secret));
      assert.ok(detection.scored >= 650, `only ${detection.scored} votes`);
      return detection.pValue;
    });
    // Under the null P(p ≤ α) ≤ α, so the count is at most Binomial(keys, α) in distribution;
    // the bound is its quantile at 1 − 1e-4 (a calibrated detector fails once in 10,000 seeds).
    const upperBound = (alpha: number) => {
      let count = 0;
      while (logBinomialUpperTail(count + 1, keyCount, alpha) > Math.log(1e-4)) count += 1;
      return count;
    };
    for (const alpha of [0.01, 0.05]) {
      const alarms = pValues.filter((p) => p <= alpha).length;
      const bound = upperBound(alpha);
      assert.ok(alarms <= bound, `${alarms} false alarms at α = ${alpha} (bound ${bound})`);
    }
    // And p-values do not pile up near 1: P(p < 0.5) is ~0.48 here (discreteness); require the
    // lower 1e-4 quantile of Binomial(keys, 0.45).
    let lowerBound = 0;
    while (logBinomialUpperTail(lowerBound + 1, keyCount, 0.45) > Math.log(1 - 1e-4)) {
      lowerBound += 1;
    }
    const belowHalf = pValues.filter((p) => p < 0.5).length;
    assert.ok(belowHalf >= lowerBound, `${belowHalf} p-values below 0.5 (bound ${lowerBound})`);
  });
});

describe('text-level keyed choice (spec §7 vectors)', () => {
  const specKey = toWatermarkKey(
    '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f',
  );
  const choose = createTextChoice(specKey);
  const vectors: [string, number, number][] = [
    ['', 0, 1],
    ['a', 0, 1],
    ['the', 0, 1],
    ['', 1, 0],
    ['a', 1, 0],
    ['the', 1, 1],
  ];
  for (const [previousWord, classIndex, expected] of vectors) {
    test(`(${JSON.stringify(previousWord)}, ${LEXICAL_VARIANTS[classIndex]!.join('/')}) → ${expected}`, () => {
      assert.equal(choose(previousWord, classIndex), expected);
    });
  }
});
