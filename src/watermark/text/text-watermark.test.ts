import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createSeededRandom, loadDefaultLanguageModel } from '../../language-model/index.js';
import { createWatermarkKey, toWatermarkKey } from '../keys/watermark-key.js';
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

  test('p-values on clean text are calibrated over 200 keys', () => {
    const clean = answers(20, 10);
    const pValues = Array.from(
      { length: 200 },
      (_, index) =>
        detectTextWatermark(clean, createWatermarkKey(`k${index}`, Buffer.alloc(32, index + 5)))
          .pValue,
    );
    assert.ok(pValues.filter((p) => p < 0.05).length <= 20, 'too many false alarms at 5%');
    assert.ok(pValues.filter((p) => p < 0.5).length >= 60, 'p-values pile up near 1');
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
