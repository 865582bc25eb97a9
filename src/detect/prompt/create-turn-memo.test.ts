import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExchangeRequest } from '../../log/exchange.js';
import { createSeededRandom } from '../../shared/create-seeded-random.js';
import { createCueMatcher, mayTouchLineBreak } from './create-cue-matcher.js';
import { createSkeletonScanner } from './create-skeleton-scanner.js';
import { createTurnMemo } from './create-turn-memo.js';
import { createPromptAnalyzer, type PromptFeatures } from './index.js';
import { REASONING_CUES } from './reasoning-cues.js';
import { hashText } from './string-hash.js';

const LONG_LINE =
  'Please write a detailed essay about the history of the printing press in Europe and Asia';

/**
 * [case, user turns of one conversation]: every prefix is sent as one exchange (assistant
 * replies in between), so each turn is analysed alone first and then among the later ones.
 */
const CONVERSATIONS: readonly (readonly [string, readonly string[]])[] = [
  ['plain follow-ups', ['What is 17 times 23?', 'Now explain it step by step.', 'Thanks!']],
  ['a one-line long turn, then others', [LONG_LINE, 'Shorter, please.', LONG_LINE]],
  ['header block then question', ['### Input\nsome text here\nmore text', 'Question: why?']],
  ['label and content', ['Context: the sky is blue.', 'Answer: because of Rayleigh scattering.']],
  ['fence left open in an earlier turn', ['Fix this:\n```python\nprint(1', 'and this ```x``` too']],
  ['fence left open in the last turn', ['Review my code.', 'here:\n```js\nlet a = 1;']],
  ['a cue that could cross the blank line', ['Return {"score"', ': 7} as the only output']],
  ['lower-casing that changes length', ['İstanbul is big.', 'Tell me more about İzmir.']],
  ['final sigma at a turn end', ['ΟΔΥΣΣΕΥΣ', 'ΣΟΦΙΑ and more']],
  [
    'German last turn keeps capitals',
    ['Tell me about Berlin and Paris.', 'Erkläre mir Berlin und Paris bitte genau.'],
  ],
  [
    'names and slots at the boundary',
    ['I met Marie Curie', 'Alan Turing was there.', 'Who is Ada Lovelace?'],
  ],
  ['whitespace-only turn', ['  ', 'What now?', '\n\n', 'And then?']],
  ['quotes and links', ['Say "hello world" to https://example.com', 'and `code` to a@b.com']],
  ['turn ends in a joiner and digits', ['step-', 'by-step 3.', '14 then']],
  [
    'Chinese then Japanese',
    ['请一步一步地思考这个问题。', 'ステップバイステップで考えてください。'],
  ],
  ['repeated turns', ['Hello there', 'Hello there', 'Hello there']],
];

function conversation(turns: readonly string[], upTo: number, system?: string): ExchangeRequest {
  const messages: { role: string; content: string }[] = [];
  if (system !== undefined) messages.push({ role: 'system', content: system });
  for (let index = 0; index <= upTo; index++) {
    if (index > 0) messages.push({ role: 'assistant', content: `reply ${index}` });
    messages.push({ role: 'user', content: turns[index]! });
  }
  return { messages };
}

function featuresOf(features: PromptFeatures): unknown {
  return { ...features, minhash: [...features.minhash] };
}

describe('createTurnMemo', () => {
  for (const lean of [false, true]) {
    for (const [name, turns] of CONVERSATIONS) {
      it(`${name}${lean ? ' (lean)' : ''}: same features with and without the memo`, () => {
        const withMemo = createPromptAnalyzer({ lean, turnMemo: true });
        const without = createPromptAnalyzer({ lean, turnMemo: false });
        for (const system of [undefined, 'You are a grader. Output the score.']) {
          for (let upTo = 0; upTo < turns.length; upTo++) {
            const request = conversation(turns, upTo, system);
            assert.deepEqual(
              featuresOf(withMemo.analyze(request, 'chat.completions')),
              featuresOf(without.analyze(request, 'chat.completions')),
              `${name}, turns 0..${upTo}`,
            );
          }
        }
      });
    }
  }

  it('answers a conversation from remembered turns, and declines where only a whole scan is exact', () => {
    const matcher = createCueMatcher(REASONING_CUES);
    const memo = createTurnMemo(createSkeletonScanner(), matcher);
    const matches = matcher.createMatches();
    assert.equal(memo.load(['Think step by step.', 'Warum?'], 2, false, matches, 0), 'und');
    assert.equal(
      memo.load(
        ['Schritt für Schritt, bitte.'],
        1,
        false,
        matches,
        hashText('Schritt für Schritt, bitte.'),
      ),
      'de',
    );
    assert.equal(memo.load(['a', 'b'], 2, true, matches, 0), 'und');
    assert.equal(memo.load(['```open', 'b'], 2, false, matches, 0), null);
    assert.equal(memo.load(['b', '```open'], 2, false, matches, 0), 'und');
  });

  it('is exact over random conversations made of the turns above', () => {
    const pool = CONVERSATIONS.flatMap(([, turns]) => turns);
    const random = createSeededRandom(7);
    const withMemo = createPromptAnalyzer({ lean: true, turnMemo: true });
    const without = createPromptAnalyzer({ lean: true, turnMemo: false });
    for (let round = 0; round < 300; round++) {
      const turns = Array.from(
        { length: 1 + Math.floor(random() * 4) },
        () => pool[Math.floor(random() * pool.length)]!,
      );
      for (let upTo = 0; upTo < turns.length; upTo++) {
        const request = conversation(turns, upTo);
        assert.deepEqual(
          featuresOf(withMemo.analyze(request, 'chat.completions')),
          featuresOf(without.analyze(request, 'chat.completions')),
          JSON.stringify(turns.slice(0, upTo + 1)),
        );
      }
    }
  });
});

describe('mayTouchLineBreak', () => {
  const ROWS: readonly (readonly [string, boolean])[] = [
    ['\\bstep[- ]by[- ]step\\b', false],
    ['(?<=\\bthe )(correct|final) answer is .{0,60}explain', false],
    ['\\\\frac|\\\\sqrt|\\$\\d', false],
    ['(?<=")(score|rating)"\\s*:', true],
    ['[^.]+ answer', true],
    ['^answer', true],
    ['answer$', true],
    ['a\\nb', true],
    ['[\\^=]', false],
  ];
  for (const [source, expected] of ROWS) {
    it(`${source} → ${expected}`, () => assert.equal(mayTouchLineBreak(source), expected));
  }
});
