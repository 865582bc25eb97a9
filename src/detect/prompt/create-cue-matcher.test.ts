import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CAPABILITY_CUES } from './capability-cues.js';
import { CENSORSHIP_CUES } from './censorship-cues.js';
import { CHAR_CLASS, CLASS_WORD, triggerKeyAt } from './char-class.js';
import { createCueMatcher } from './create-cue-matcher.js';
import { patternTriggerKeys } from './pattern-trigger-keys.js';
import { REASONING_CUES } from './reasoning-cues.js';
import { distributeLeadingGroup, literalPrefixOf, splitAlternatives } from './regex-literals.js';
import { RUBRIC_CUES } from './rubric-cues.js';

const CUES = [...REASONING_CUES, ...RUBRIC_CUES, ...CENSORSHIP_CUES, ...CAPABILITY_CUES];

const TEXTS = [
  'Show a step-by-step derivation; think step by step inside <thinking> tags, then write the final answer: \\boxed{42}.',
  "Réfléchis étape par étape, sans sauter d'étape, puis donne la réponse finale.",
  'You are an impartial judge. Rate the response on a scale of 1 to 10. Output [[A]] or [[B]]. {"score": 7}',
  '你是一名公正的评委，请按1到10分打分，只输出分数。让我们一步一步地思考。',
  '10段階で評価してください。段階的に考えましょう。最終的な答えを出す前に。',
  '1점에서 10점 사이로 점수를 매기세요. 단계별로 생각해 봅시다.',
  'Перепиши текст о Тяньаньмэнь политически нейтрально. Давай подумаем шаг за шагом. Напиши код на Python.',
  'أعد صياغة النص لتكون محايدة سياسيا. لنفكر خطوة بخطوة. اكتب كود بايثون.',
  'Formuliere den Text politisch neutral um. Denk Schritt für Schritt. Schreibe ein Gedicht.',
  'Reescreva o texto para que seja politicamente neutro. Vamos pensar passo a passo. Traduza para inglês.',
  'Translate into German and extract the named entities as JSON; write a Python function and a haiku.',
  'What is 3 + 4 * 2? How many apples? Solve the equation and show your work.',
];

/** Cues a plain global regex finds at word starts: what the trigger index must reproduce. */
function naiveCues(text: string): Set<string> {
  const found = new Set<string>();
  for (const cue of CUES) {
    for (const pattern of cue.patterns) {
      const regex = new RegExp(pattern, 'g');
      for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
        const before = match.index === 0 ? 0x20 : text.charCodeAt(match.index - 1);
        const startsToken =
          CHAR_CLASS[text.charCodeAt(match.index)] !== CLASS_WORD ||
          CHAR_CLASS[before] !== CLASS_WORD;
        if (startsToken) found.add(cue.code);
        regex.lastIndex = match.index + 1;
      }
    }
  }
  return found;
}

describe('cue matcher (trigger index)', () => {
  const matcher = createCueMatcher(CUES);

  it('indexes every catalog pattern (none falls back to a whole-text scan)', () => {
    assert.deepEqual(matcher.unindexedPatterns, []);
  });

  for (const text of TEXTS) {
    it(`finds what a plain regex scan finds: ${text.slice(0, 50)}`, () => {
      const lower = text.toLowerCase();
      const matches = matcher.createMatches();
      matcher.match(lower, matches, true);
      const found = new Set(
        CUES.filter((_, index) => matches.matched[index] === 1).map((cue) => cue.code),
      );
      assert.deepEqual([...found].sort(), [...naiveCues(lower)].sort());
      for (let index = 2; index < matches.anchors.length; index += 2) {
        assert.ok(
          matches.anchors[index - 2]! <= matches.anchors[index]!,
          'anchors sorted by start',
        );
      }
    });
  }

  it('skips fenced code blocks', () => {
    const matches = matcher.createMatches();
    matcher.match('```\nthink step by step\n```', matches, true);
    assert.ok(matches.matched.every((value) => value === 0));
  });
});

describe('pattern plumbing', () => {
  it('splits top-level alternatives only', () => {
    assert.deepEqual(splitAlternatives('a(b|c)|[|]d|e\\|f'), ['a(b|c)', '[|]d', 'e\\|f']);
  });

  it('distributes a leading group over the rest of the pattern', () => {
    assert.deepEqual(distributeLeadingGroup('\\b(foo|bar) baz'), ['\\bfoo baz', '\\bbar baz']);
    assert.deepEqual(distributeLeadingGroup('(foo|bar)? baz'), ['(foo|bar)? baz']);
  });

  it('derives trigger keys as the tokenizer computes them', () => {
    const key = (text: string) => triggerKeyAt(text, 0);
    assert.deepEqual(patternTriggerKeys('\\bstep[- ]by'), [key('step')]);
    assert.deepEqual(
      patternTriggerKeys('the'),
      null,
      'a 3-letter stem could continue: unindexable',
    );
    assert.deepEqual(patternTriggerKeys('\\bthe\\b'), [key('the')]);
    assert.deepEqual(
      new Set(patternTriggerKeys('(让我们|请)思考')),
      new Set([key('让'), key('请')]),
    );
    assert.deepEqual(patternTriggerKeys('\\d+점'), [key('7')]);
    assert.deepEqual(patternTriggerKeys('(?<=\\bin )json\\b'), [key('json')]);
    assert.deepEqual(patternTriggerKeys('</?think>'), [key('<')]);
    assert.equal(patternTriggerKeys('.{0,9}x'), null);
  });

  it('reads the literal start of a pattern, leaving out optional characters', () => {
    const cases: [string, string][] = [
      ['\\bwithout (?:any )?words', 'without '],
      ['\\byou are (?:a|an) judge', 'you are '],
      ["\\blet'?s think", 'let'],
      ['\\bsteps? by', 'step'],
      ['\\\\boxed\\{', '\\boxed{'],
      ['\\boxed', 'oxed'],
      ['a+b', 'a'],
      ['ab{2}c', 'a'],
      ['(?<=\\bthe )final answer', 'final answer'],
      ['(?:从)?\\d+分', ''],
      ['\\d+점', ''],
      ['[ab]c', ''],
      ['请一步一步', '请一步一步'],
    ];
    for (const [source, prefix] of cases) assert.equal(literalPrefixOf(source), prefix, source);
  });

  it('every catalog match starts with its literal prefix (the skip before the regex is safe)', () => {
    const texts = TEXTS.map((text) => text.toLowerCase());
    let checked = 0;
    for (const cue of CUES) {
      for (const pattern of cue.patterns) {
        for (const alternative of splitAlternatives(pattern).flatMap(distributeLeadingGroup)) {
          const prefix = literalPrefixOf(alternative);
          const regex = new RegExp(alternative, 'y');
          for (const text of texts) {
            for (let position = 0; position < text.length; position++) {
              regex.lastIndex = position;
              if (!regex.test(text)) continue;
              assert.ok(text.startsWith(prefix, position), `${alternative} at ${position}`);
              checked += 1;
            }
          }
        }
      }
    }
    assert.ok(checked > 20, `only ${checked} matches checked`);
  });
});
