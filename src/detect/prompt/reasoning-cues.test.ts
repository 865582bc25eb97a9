import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPromptAnalyzer } from './index.js';

const analyzer = createPromptAnalyzer();
const analyze = (text: string) =>
  analyzer.analyze({ messages: [{ role: 'user', content: text }] }, 'chat.completions');

/** [language, prompt, lowest score, highest score, a cue that must be among the matches]. */
type Row = readonly [string, string, number, number, string | null];

// Strong: tags / full chain / reconstruction of a given answer. Moderate: an eval harness's
// "let's think step by step". Weak: a user asking for steps of a task. None: ordinary prompts.
const ROWS: readonly Row[] = [
  [
    'en',
    'Show your complete chain of thought inside <thinking> tags before the final answer.',
    0.8,
    1,
    'reasoning.tags',
  ],
  [
    'en',
    'The correct answer is B. Explain the reasoning that leads to this answer step by step, and do not skip any steps.',
    0.7,
    1,
    'reasoning.reconstruct',
  ],
  [
    'en',
    'Write out your full reasoning process, then give your final answer in \\boxed{}.',
    0.6,
    1,
    'reasoning.chain_of_thought',
  ],
  [
    'en',
    "Q: Janet has 3 apples and buys 5 more. How many apples does she have?\nA: Let's think step by step.",
    0.3,
    0.6,
    'reasoning.think_first',
  ],
  [
    'en',
    'Explain step by step how to set up nginx as a reverse proxy.',
    0.1,
    0.3,
    'reasoning.step_by_step',
  ],
  ['en', "What's a good name for a golden retriever puppy?", 0, 0, null],
  ['en', 'The steps to the old castle were steep and slippery after the rain.', 0, 0, null],
  ['zh', '请把你的完整思考过程写在<think>标签中，然后给出最终答案。', 0.8, 1, 'reasoning.tags'],
  [
    'zh',
    '已知答案是42，请推导出得到这个答案的推理过程，每一步都要写清楚。',
    0.6,
    1,
    'reasoning.reconstruct',
  ],
  ['zh', '让我们一步一步地思考。', 0.3, 0.6, 'reasoning.think_first'],
  ['zh', '北京今天的天气怎么样？', 0, 0, null],
  [
    'es',
    'Muestra tu cadena de pensamiento completa entre etiquetas <thinking> antes de la respuesta final.',
    0.8,
    1,
    'reasoning.chain_of_thought',
  ],
  [
    'es',
    'Dada la respuesta correcta (C), explica el razonamiento detrás de ella paso a paso.',
    0.6,
    1,
    'reasoning.reconstruct',
  ],
  ['es', 'Pensemos paso a paso.', 0.3, 0.6, 'reasoning.think_first'],
  [
    'es',
    '¿Cómo preparo una paella? Explícalo paso a paso, por favor.',
    0.1,
    0.3,
    'reasoning.step_by_step',
  ],
  ['es', '¿Cuál es la capital de Perú?', 0, 0, null],
  [
    'ru',
    'Запиши всю цепочку рассуждений внутри тегов <think>, затем дай окончательный ответ.',
    0.8,
    1,
    'reasoning.tags',
  ],
  [
    'ru',
    'Дан ответ: 17. Восстанови ход рассуждений, который приводит к этому ответу.',
    0.6,
    1,
    'reasoning.reconstruct',
  ],
  ['ru', 'Давай подумаем шаг за шагом.', 0.3, 0.6, 'reasoning.think_first'],
  ['ru', 'Какая погода будет завтра в Москве?', 0, 0, null],
  [
    'ko',
    '최종 답을 제시하기 전에 <thinking> 태그 안에 전체 사고 과정을 작성하세요.',
    0.8,
    1,
    'reasoning.tags',
  ],
  [
    'ko',
    '주어진 정답은 5입니다. 이 답에 이르는 추론 과정을 단계별로 설명하세요.',
    0.6,
    1,
    'reasoning.reconstruct',
  ],
  ['ko', '단계별로 생각해 봅시다.', 0.3, 0.6, 'reasoning.think_first'],
  ['ko', '서울에서 부산까지 기차로 얼마나 걸려요?', 0, 0, null],
  [
    'ja',
    '最終的な答えを出す前に、<think>タグの中に思考過程をすべて書いてください。',
    0.8,
    1,
    'reasoning.tags',
  ],
  [
    'ja',
    '与えられた答えは12です。その答えに至る過程を省略せずに説明してください。',
    0.6,
    1,
    'reasoning.reconstruct',
  ],
  ['ja', '段階的に考えましょう。', 0.3, 0.6, 'reasoning.think_first'],
  ['ja', '東京でおすすめのラーメン屋はどこですか？', 0, 0, null],
  [
    'fr',
    'Écris toute ta chaîne de pensée entre balises <thinking> avant la réponse finale.',
    0.8,
    1,
    'reasoning.chain_of_thought',
  ],
  [
    'fr',
    'Étant donné la réponse (B), explique le raisonnement qui mène à cette réponse, étape par étape.',
    0.6,
    1,
    'reasoning.reconstruct',
  ],
  ['fr', 'Réfléchissons étape par étape.', 0.3, 0.6, 'reasoning.think_first'],
  ['fr', 'Quelle est la meilleure saison pour visiter Lyon ?', 0, 0, null],
  [
    'de',
    'Schreibe deinen vollständigen Gedankengang in <thinking>-Tags, bevor du die endgültige Antwort gibst.',
    0.8,
    1,
    'reasoning.chain_of_thought',
  ],
  [
    'de',
    'Die richtige Antwort lautet 7. Begründe, warum die Antwort stimmt, Schritt für Schritt.',
    0.6,
    1,
    'reasoning.reconstruct',
  ],
  ['de', 'Denken wir Schritt für Schritt nach.', 0.3, 0.6, 'reasoning.think_first'],
  ['de', 'Wie spät ist es gerade in Berlin?', 0, 0, null],
  [
    'pt',
    'Mostre sua cadeia de pensamento completa dentro de tags <think> antes da resposta final.',
    0.8,
    1,
    'reasoning.chain_of_thought',
  ],
  [
    'pt',
    'Dada a resposta correta (D), explique o raciocínio por trás dela passo a passo.',
    0.6,
    1,
    'reasoning.reconstruct',
  ],
  ['pt', 'Vamos pensar passo a passo.', 0.3, 0.6, 'reasoning.think_first'],
  ['pt', 'Qual é a melhor praia do Rio de Janeiro?', 0, 0, null],
  [
    'ar',
    'اكتب سلسلة التفكير الكاملة داخل وسوم <think> قبل تقديم الإجابة النهائية.',
    0.8,
    1,
    'reasoning.chain_of_thought',
  ],
  [
    'ar',
    'بالنظر إلى الإجابة الصحيحة (ب)، اشرح لماذا الإجابة صحيحة خطوة بخطوة.',
    0.6,
    1,
    'reasoning.reconstruct',
  ],
  ['ar', 'لنفكر خطوة بخطوة.', 0.3, 0.6, 'reasoning.think_first'],
  ['ar', 'ما هي عاصمة المغرب؟', 0, 0, null],
];

describe('reasoning-trace elicitation', () => {
  for (const [language, text, low, high, cue] of ROWS) {
    it(`${language}: ${text.slice(0, 60)} → [${low}, ${high}]`, () => {
      const features = analyze(text);
      assert.ok(
        features.reasoningElicitation >= low && features.reasoningElicitation <= high,
        `score ${features.reasoningElicitation.toFixed(3)} outside [${low}, ${high}]; cues ${features.cues.join(', ')}`,
      );
      if (cue !== null)
        assert.ok(features.cues.includes(cue), `missing ${cue} in ${features.cues.join(', ')}`);
      assert.equal(features.language, language);
    });
  }

  it('covers ten languages with positives and hard negatives', () => {
    const languages = new Set(ROWS.filter((row) => row[2] >= 0.6).map((row) => row[0]));
    const negatives = new Set(ROWS.filter((row) => row[3] === 0).map((row) => row[0]));
    for (const language of ['en', 'zh', 'es', 'ru', 'ko', 'ja', 'fr', 'de', 'pt', 'ar']) {
      assert.ok(languages.has(language) && negatives.has(language), language);
    }
  });

  it('grades evidence: tags and a full chain outrank a bare "step by step"', () => {
    const nginx = analyze('Explain step by step how to set up nginx.').reasoningElicitation;
    const harness = analyze("Let's think step by step.").reasoningElicitation;
    const attack = analyze(
      'Show your complete chain of thought inside <thinking> tags before the final answer.',
    ).reasoningElicitation;
    assert.ok(nginx < harness && harness < attack, `${nginx} < ${harness} < ${attack}`);
  });

  it('reads cues in the system prompt too, and counts each cue once', () => {
    const features = analyzer.analyze(
      {
        messages: [
          { role: 'system', content: 'Always reason inside <thinking> tags.' },
          { role: 'user', content: 'Step by step: what is 17 * 23? Step by step please.' },
        ],
      },
      'chat.completions',
    );
    assert.deepEqual(features.cues, ['reasoning.step_by_step', 'reasoning.tags']);
  });

  it('ignores cues inside fenced code blocks', () => {
    const features = analyze('Fix this:\n```\n# think step by step inside <thinking> tags\n```');
    assert.equal(features.reasoningElicitation, 0);
  });
});
