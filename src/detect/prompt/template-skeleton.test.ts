import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPromptAnalyzer, estimateSimilarity, type PromptFeatures } from './index.js';

const analyzer = createPromptAnalyzer();
const analyze = (text: string): PromptFeatures =>
  analyzer.analyze({ messages: [{ role: 'user', content: text }] }, 'chat.completions');

const QUESTIONS = [
  'Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether?',
  'Weng earns $12 an hour for babysitting. Yesterday, she just did 50 minutes of babysitting. How much did she earn?',
  'What is 17 times 23?',
  'A train leaves Boston at 3 pm going 60 mph. When does it reach a city 150 miles away?',
  'If a rectangle has sides 4 and 9, what is its area?',
  'Betty is saving money for a new wallet which costs $100. Betty has only half of the money she needs. Her parents give her $15. How much more money does Betty need?',
  'Is 221 a prime number?',
  'James writes a 3-page letter to 2 different friends twice a week. How many pages does he write a year?',
  'How many ways can you arrange the letters of the word BANANA?',
  'What is the derivative of x^3 + 2x?',
  'Mark has a garden with flowers. He planted plants of three different colors in it. Ten of them are yellow, and there are 80% more of those in purple. How many flowers does Mark have in his garden?',
  'Solve for y: 3y - 7 = 11?',
];
const NAMES = [
  ['Marie Curie', 1867, 'Warsaw'],
  ['Alan Turing', 1912, 'London'],
  ['Ada Lovelace', 1815, 'London'],
  ['Nikola Tesla', 1856, 'Smiljan'],
  ['Grace Hopper', 1906, 'New York'],
  ['Srinivasa Ramanujan', 1887, 'Erode'],
] as const;
const SNIPPETS = [
  'def add(a, b):\n    return a+b',
  'for i in range(10):\n  print(i*i)',
  'x = [1,2,3]\ny = list(map(lambda v: v * 2, x))\nprint(y)',
  'class A:\n    pass',
];

const TEMPLATES: readonly (readonly [string, readonly string[]])[] = [
  [
    'eval harness Q/A',
    QUESTIONS.map((question) => `Question: ${question}\nAnswer: Let's think step by step.`),
  ],
  [
    'reasoning attack with a labelled slot',
    QUESTIONS.map(
      (question) =>
        `Solve the following problem. Show your complete reasoning inside <thinking> tags, then give the final answer.\n\nProblem: ${question}`,
    ),
  ],
  [
    'question then instruction on one line',
    QUESTIONS.map((question) => `${question} Let's think step by step.`),
  ],
  [
    'rubric grader with bracket headers',
    QUESTIONS.map(
      (question, index) =>
        `You are an impartial judge. Rate the response below from 1 to 10.\n\n[Question]\n${question}\n\n[Response]\nThe answer is ${index * 7 + 3}, because we add the parts.\n\nOutput only the score.`,
    ),
  ],
  [
    'code in a fence',
    SNIPPETS.map(
      (code) =>
        `Refactor this Python code to be more readable and add type hints:\n\`\`\`python\n${code}\n\`\`\``,
    ),
  ],
  [
    'names, years and places inline',
    NAMES.map(
      ([name, year, city]) =>
        `Write a short biography of ${name}, born in ${year} in ${city}, for a school project.`,
    ),
  ],
  [
    'Chinese instruction with a full-width colon label',
    QUESTIONS.map(
      (question) =>
        `请一步一步地思考下面的问题，并把思考过程写在<think>标签中。\n问题：${question}`,
    ),
  ],
  [
    'quoted filler',
    ['"I love you"', '"Where is the station?"', '"The cat sleeps on the warm mat all day"'].map(
      (text) => `Translate the sentence ${text} into French and explain the grammar.`,
    ),
  ],
];

const UNRELATED = [
  'Can you help me plan a three day trip to Lisbon with my kids? We like museums and beaches.',
  'Write a Python function that parses an ISO 8601 date string and returns a datetime object.',
  'What are the main differences between TCP and UDP, and when should I use each one?',
  'Summarize the plot of Pride and Prejudice in five sentences for a ten year old.',
  'My sourdough starter smells like acetone. Is it dead or can I still save it?',
  'Draft a polite email to my landlord asking to fix the heating before the weekend.',
  'Explain how vaccines train the immune system, without jargon.',
  'Compose a limerick about a cat who learns to play the violin badly.',
  'Which is better for a beginner photographer, a used full-frame camera or a new crop sensor one?',
  'How do I configure nginx as a reverse proxy with TLS termination for two backends?',
  'List five vegetarian dinner ideas that take less than thirty minutes.',
  'What caused the fall of the Western Roman Empire according to modern historians?',
];

describe('template skeletons', () => {
  for (const [label, prompts] of TEMPLATES) {
    it(`one template, different fillers, one templateHash: ${label}`, () => {
      const hashes = new Set(prompts.map((prompt) => analyze(prompt).templateHash));
      assert.equal(hashes.size, 1, `${hashes.size} distinct hashes over ${prompts.length} prompts`);
    });
  }

  it('keeps unrelated prompts and different templates apart', () => {
    const hashes = [
      ...UNRELATED.map((prompt) => analyze(prompt).templateHash),
      ...TEMPLATES.map(([, prompts]) => analyze(prompts[0]!).templateHash),
    ];
    assert.equal(new Set(hashes).size, hashes.length);
  });

  it('is 16 hex digits and deterministic across analyzer instances', () => {
    const other = createPromptAnalyzer();
    const text = UNRELATED[0]!;
    const features = analyze(text);
    assert.match(features.templateHash, /^[0-9a-f]{16}$/);
    assert.equal(
      other.analyze({ messages: [{ role: 'user', content: text }] }, 'chat.completions')
        .templateHash,
      features.templateHash,
    );
  });
});

const SYNONYMS: Record<string, string> = {
  help: 'assist',
  plan: 'organise',
  write: 'create',
  main: 'key',
  explain: 'describe',
  polite: 'courteous',
  better: 'preferable',
  ideas: 'suggestions',
  configure: 'set up',
  summarize: 'sum up',
  what: 'which',
  how: 'in what way',
};

/** Five light paraphrases of a prompt: a synonym, politeness, a dropped word, a reordered clause. */
function paraphrases(prompt: string): string[] {
  const words = prompt.split(' ');
  const swapped = words.map((word) => SYNONYMS[word.toLowerCase()] ?? word).join(' ');
  const dropped = words.filter((_, index) => index !== Math.floor(words.length / 2)).join(' ');
  const secondSwap = words
    .map((word, index) => (index === words.length - 2 ? 'really' : word))
    .join(' ');
  return [swapped, `Please, ${prompt}`, dropped, `${prompt} Thanks in advance!`, secondSwap];
}

function shareKey(a: PromptFeatures, b: PromptFeatures): boolean {
  const keys = new Set(a.lshKeys);
  return b.lshKeys.some((key) => keys.has(key));
}

describe('MinHash / LSH near-duplicates', () => {
  // 12 unrelated prompts + 8 template instances → 20 bases; 5 paraphrases each = 100 pairs, twice
  // (the second round paraphrases a paraphrase) = 200 pairs; 200 unrelated pairs from distinct bases.
  const bases = [...UNRELATED, ...TEMPLATES.map(([, prompts]) => prompts[1]!)];
  const paraphrasePairs: [string, string][] = [];
  for (const base of bases) {
    for (const variant of paraphrases(base)) {
      paraphrasePairs.push([base, variant]);
      paraphrasePairs.push([base, paraphrases(variant)[0]!]);
    }
  }
  const unrelatedPairs: [string, string][] = [];
  for (let first = 0; first < bases.length && unrelatedPairs.length < 200; first++) {
    for (let second = first + 1; second < bases.length && unrelatedPairs.length < 200; second++) {
      unrelatedPairs.push([bases[first]!, bases[second]!]);
    }
  }

  it('paraphrases share an LSH key far more often than unrelated prompts (200 pairs each)', () => {
    const rate = (pairs: [string, string][]) =>
      pairs.filter(([a, b]) => shareKey(analyze(a), analyze(b))).length / pairs.length;
    const paraphraseRate = rate(paraphrasePairs);
    const unrelatedRate = rate(unrelatedPairs);
    assert.equal(paraphrasePairs.length, 200);
    assert.equal(unrelatedPairs.length, 190);
    assert.ok(paraphraseRate >= 0.9, `paraphrase share rate ${paraphraseRate}`);
    assert.ok(unrelatedRate <= 0.03, `unrelated share rate ${unrelatedRate}`);
  });

  it('estimates similarity: paraphrases high, unrelated low, self 1', () => {
    const mean = (pairs: [string, string][]) =>
      pairs.reduce(
        (sum, [a, b]) => sum + estimateSimilarity(analyze(a).minhash, analyze(b).minhash),
        0,
      ) / pairs.length;
    const paraphrase = mean(paraphrasePairs);
    const unrelated = mean(unrelatedPairs);
    assert.ok(
      paraphrase > 0.6 && unrelated < 0.15,
      `paraphrase ${paraphrase}, unrelated ${unrelated}`,
    );
    const self = analyze(bases[0]!).minhash;
    assert.equal(estimateSimilarity(self, analyze(bases[0]!).minhash), 1);
  });

  it('gives tiny prompts no template and no LSH keys (greetings link no accounts)', () => {
    assert.deepEqual(analyze('hi').lshKeys, []);
    assert.equal(analyze('hi').templateHash, '');
    assert.equal(analyze('Thanks, continue!').templateHash, '');
    assert.equal(analyze(bases[0]!).lshKeys.length, 16);
  });
});
