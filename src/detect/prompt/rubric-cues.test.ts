import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPromptAnalyzer } from './index.js';

const analyzer = createPromptAnalyzer();
const analyze = (text: string) =>
  analyzer.analyze({ messages: [{ role: 'user', content: text }] }, 'chat.completions');

/** [language, prompt, lowest score, highest score, a cue that must be among the matches]. */
type Row = readonly [string, string, number, number, string | null];

// Strong: a judge persona + rubric + scale + score-only output (reward-model data). Weak: a user
// asking for a rating of their own text. None: "rate", "note", "Punktzahl" in ordinary questions.
const ROWS: readonly Row[] = [
  [
    'en',
    "You are an impartial judge. Evaluate the assistant's response on a scale of 1 to 10 using the rubric below. Output only the score.",
    0.8,
    1,
    'rubric.grade_response',
  ],
  [
    'en',
    'Which response is better, Response A or Response B? Answer with [[A]] or [[B]].',
    0.6,
    1,
    'rubric.pairwise',
  ],
  [
    'en',
    'Score the completion for helpfulness, harmlessness and honesty; this is preference data for our reward model.',
    0.6,
    1,
    'rubric.reward_model',
  ],
  ['en', 'Can you rate my cover letter on a scale of 1 to 10?', 0.2, 0.5, 'rubric.score_scale'],
  ['en', 'What is the exchange rate of the euro to the dollar today?', 0, 0, null],
  [
    'zh',
    '你是一名公正的评委。请根据评分标准评估以下AI助手的回答，按1到10分打分，只输出分数。',
    0.8,
    1,
    'rubric.grade_response',
  ],
  ['zh', '比较这两个回答，哪个回答更好？', 0.4, 1, 'rubric.pairwise'],
  ['zh', '给我推荐一部好看的电影。', 0, 0, null],
  [
    'es',
    'Actúa como un juez imparcial. Evalúa la respuesta del asistente según la rúbrica y asigna una puntuación del 1 al 10.',
    0.75,
    1,
    'rubric.rubric',
  ],
  ['es', '¿Qué puntuación sacó el Real Madrid ayer?', 0, 0, null],
  [
    'ru',
    'Выступи в роли беспристрастного судьи. Оцени ответ ассистента по шкале от 1 до 10 согласно критериям оценки. Выведи только оценку.',
    0.8,
    1,
    'rubric.score_output',
  ],
  ['ru', 'Сколько стоит билет в Эрмитаж?', 0, 0, null],
  [
    'ko',
    '공정한 평가자로서 다음 응답을 평가 기준에 따라 평가하고 1점에서 10점 사이로 점수를 매기세요. 점수만 출력하세요.',
    0.8,
    1,
    'rubric.grade_response',
  ],
  ['ko', '오늘 저녁 메뉴 추천해 줘.', 0, 0, null],
  [
    'ja',
    '公平な評価者として、以下の回答を評価基準に従って採点し、10段階で評価してください。スコアのみを出力してください。',
    0.8,
    1,
    'rubric.rubric',
  ],
  ['ja', '京都の紅葉の見頃はいつですか？', 0, 0, null],
  [
    'fr',
    "Agis comme un juge impartial. Évalue la réponse de l'assistant selon la grille d'évaluation et attribue une note sur une échelle de 1 à 10.",
    0.75,
    1,
    'rubric.score_scale',
  ],
  ['fr', 'Quelle note de musique vient après sol dans la gamme ?', 0, 0, null],
  [
    'de',
    'Du bist ein unparteiischer Bewerter. Bewerte die Antwort des Assistenten anhand der Bewertungskriterien auf einer Skala von 1 bis 10. Gib nur die Punktzahl aus.',
    0.8,
    1,
    'rubric.grade_response',
  ],
  ['de', 'Wie bewerte ich mein altes Auto für den Verkauf?', 0, 0, null],
  [
    'pt',
    'Aja como um juiz imparcial. Avalie a resposta do assistente segundo os critérios de avaliação e dê uma nota numa escala de 1 a 10.',
    0.75,
    1,
    'rubric.grade_response',
  ],
  ['pt', 'Qual foi a nota do filme no IMDb?', 0, 0, null],
  [
    'ar',
    'بصفتك حكما محايدا، قيّم الإجابة التالية وفق معايير التقييم على مقياس من 1 إلى 10. أخرج الدرجة فقط.',
    0.8,
    1,
    'rubric.rubric',
  ],
  ['ar', 'كم درجة الحرارة في دبي اليوم؟', 0, 0, null],
  // Preference-data harvest (paired answers for a choice; wording unlike the simulator's) against
  // honest look-alikes: a teacher asking for two versions, an app asking for alternatives.
  [
    'en',
    'Draft two alternative replies to the user message below, then tell us which one you prefer and why.',
    0.4,
    0.49,
    'rubric.answer_pair',
  ],
  [
    'en',
    'Draft two alternative replies to the user message below, then decide which one a careful reader would prefer.',
    0.6,
    1,
    'rubric.answer_pair',
  ],
  [
    'en',
    'Here is a question and Answer 1 and Answer 2 from two chatbots. Which of the two answers is better?',
    0.5,
    1,
    'rubric.pairwise',
  ],
  [
    'en',
    'Write two versions of this paragraph for my class, one formal and one casual.',
    0,
    0,
    null,
  ],
  [
    'en',
    'Give me three different answers I could send to my landlord about the broken heater.',
    0,
    0,
    null,
  ],
  [
    'en',
    'Write two different endings for this story and say which is better for ten-year-olds.',
    0.3,
    0.49,
    'rubric.pairwise',
  ],
];

describe('rubric / reward-model grading', () => {
  for (const [language, text, low, high, cue] of ROWS) {
    it(`${language}: ${text.slice(0, 60)} → [${low}, ${high}]`, () => {
      const features = analyze(text);
      assert.ok(
        features.rubricGrading >= low && features.rubricGrading <= high,
        `score ${features.rubricGrading.toFixed(3)} outside [${low}, ${high}]; cues ${features.cues.join(', ')}`,
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

  it('makes a strong grading request the rubric_grading capability', () => {
    assert.equal(analyze(ROWS[0]![1]).capability, 'rubric_grading');
    assert.notEqual(
      analyze('Can you rate my cover letter on a scale of 1 to 10?').capability,
      'rubric_grading',
    );
  });
});
