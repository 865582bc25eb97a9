import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createSeededRandom,
  END_OF_TEXT_TOKEN,
  loadDefaultLanguageModel,
  trainLanguageModel,
} from './index.js';

describe('trainLanguageModel', () => {
  const model = trainLanguageModel(
    ['the cat sat on the mat.', 'the dog sat on the rug.', 'a cat ran to the dog.'],
    { order: 3 },
  );

  test('log-probabilities form a distribution for seen and unseen contexts', () => {
    for (const context of [[], model.encode('the cat'), model.encode('zebra quartz')]) {
      const logits = model.logits(context);
      assert.equal(logits.length, model.vocabularySize);
      let total = 0;
      for (const value of logits) total += Math.exp(value);
      assert.ok(Math.abs(total - 1) < 1e-9, `sums to ${total}`);
    }
  });

  test('a seen trigram is far more likely than an unseen one', () => {
    const logits = model.logits(model.encode('the cat'));
    const [sat] = model.encode(' sat');
    const [rug] = model.encode(' rug');
    assert.ok(logits[sat!]! > logits[rug!]! + 1);
  });

  const roundTrips: [string, string][] = [
    ['plain words', 'the cat sat on the mat.'],
    ['unknown words spelled by characters', 'Zebras quack, 42 times!'],
    ['newlines', 'the dog\nsat.'],
  ];
  for (const [name, text] of roundTrips) {
    test(`encode/decode round trip: ${name}`, () => {
      assert.equal(model.decode(model.encode(text)), text);
    });
  }

  test('decodeToken keeps the leading space of a piece', () => {
    const [id] = model.encode(' cat');
    assert.equal(model.decodeToken(id!), ' cat');
  });

  test('training is deterministic', () => {
    const again = trainLanguageModel(
      ['the cat sat on the mat.', 'the dog sat on the rug.', 'a cat ran to the dog.'],
      { order: 3 },
    );
    assert.deepEqual(again.logits(again.encode('the')), model.logits(model.encode('the')));
  });
});

describe('generate', () => {
  const model = loadDefaultLanguageModel();

  test('is reproducible with the same seed and differs with another', () => {
    const run = (seed: number) => [
      ...model.generate({ prompt: 'Sure.', maxTokens: 80, random: createSeededRandom(seed) }),
    ];
    assert.deepEqual(run(3), run(3));
    assert.notDeepEqual(run(3), run(4));
  });

  test('a hook returning a token id chooses that token', () => {
    const [chosen] = model.encode(' soup');
    const ids = [
      ...model.generate({
        prompt: 'The',
        maxTokens: 5,
        random: createSeededRandom(1),
        logitsHook: () => chosen!,
      }),
    ];
    assert.deepEqual(ids, [chosen, chosen, chosen, chosen, chosen]);
  });

  test('a hook returning logits steers sampling', () => {
    const [chosen] = model.encode(' garden');
    const ids = [
      ...model.generate({
        prompt: 'The',
        maxTokens: 10,
        random: createSeededRandom(1),
        logitsHook: (_context, logits) => {
          logits[chosen!] = 100;
          return logits;
        },
      }),
    ];
    assert.ok(ids.every((id) => id === chosen));
  });

  test('never yields the end-of-text token and respects maxTokens', () => {
    const ids = [...model.generate({ prompt: '', maxTokens: 500, random: createSeededRandom(9) })];
    assert.ok(ids.length <= 500);
    assert.ok(!ids.includes(END_OF_TEXT_TOKEN));
  });
});

describe('loadDefaultLanguageModel', () => {
  test('has well above zero entropy per generated token (the watermark needs it)', () => {
    const model = loadDefaultLanguageModel();
    const random = createSeededRandom(11);
    let entropy = 0;
    let steps = 0;
    while (steps < 400) {
      const context = [END_OF_TEXT_TOKEN, END_OF_TEXT_TOKEN];
      for (const id of model.generate({ prompt: '', maxTokens: 400, random })) {
        const logits = model.logits(context);
        for (const value of logits) entropy -= Math.exp(value) * value;
        context.push(id);
        steps += 1;
      }
    }
    assert.ok(steps > 50);
    assert.ok(entropy / steps > 0.8, `mean entropy ${entropy / steps} nats`);
  });

  test('is cached: loading twice returns the same model', () => {
    assert.equal(loadDefaultLanguageModel(), loadDefaultLanguageModel());
  });
});
