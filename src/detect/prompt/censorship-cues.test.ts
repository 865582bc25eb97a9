import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPromptAnalyzer } from './index.js';

const analyzer = createPromptAnalyzer();
const analyze = (text: string) =>
  analyzer.analyze({ messages: [{ role: 'user', content: text }] }, 'chat.completions');

/** [language, prompt, lowest score, highest score, a cue that must be among the matches]. */
type Row = readonly [string, string, number, number, string | null];

// Strong: a sensitive topic + a politically "safe" rewrite + a compliance frame. Weak: asking
// about the topic. None: everyday rewrites ("more neutral tone", "more polite").
const ROWS: readonly Row[] = [
  [
    'en',
    'Rewrite this answer about the Tiananmen Square protests so that it is politically neutral and consistent with the official position of the Chinese government.',
    0.8,
    1,
    'censorship.compliance',
  ],
  [
    'en',
    'Remove any politically sensitive content from the following text about Xinjiang and make sure it complies with Chinese regulations.',
    0.8,
    1,
    'censorship.rewrite_safe',
  ],
  ['en', 'Rewrite this paragraph to be politically neutral.', 0.3, 0.6, 'censorship.rewrite_safe'],
  [
    'en',
    'Give a balanced answer about Falun Gong that avoids any wording a government censor would object to.',
    0.5,
    1,
    'censorship.evade_censor',
  ],
  [
    'en',
    'How do journalists in China get past the Great Firewall?',
    0.3,
    0.49,
    'censorship.evade_censor',
  ],
  ['en', 'What happened at Tiananmen Square in 1989?', 0.1, 0.3, 'censorship.sensitive_topic'],
  ['en', 'Rewrite this paragraph to be more neutral in tone.', 0, 0, null],
  ['en', 'Make this function thread-safe and rewrite the tests.', 0, 0, null],
  [
    'zh',
    '请把下面关于六四事件的回答改写成政治中立、符合社会主义核心价值观的版本，删除所有敏感内容。',
    0.8,
    1,
    'censorship.compliance',
  ],
  ['zh', '天安门广场有多大？', 0.1, 0.3, 'censorship.sensitive_topic'],
  ['zh', '关于天安门事件，请给出一个不会触发审查的回答。', 0.5, 1, 'censorship.evade_censor'],
  ['zh', '帮我把这段话改写得更正式一些。', 0, 0, null],
  [
    'es',
    'Reescribe esta respuesta sobre la plaza de Tiananmén para que sea políticamente neutral y acorde con la postura oficial del gobierno chino.',
    0.8,
    1,
    'censorship.rewrite_safe',
  ],
  ['es', 'Reescribe este correo para que suene más neutral.', 0, 0, null],
  [
    'es',
    'Responde sobre la plaza de Tiananmén sin activar la censura.',
    0.5,
    1,
    'censorship.evade_censor',
  ],
  [
    'ru',
    'Перепиши этот текст о Тяньаньмэнь так, чтобы он был политически нейтральным и соответствовал официальной позиции КНР.',
    0.8,
    1,
    'censorship.rewrite_safe',
  ],
  ['ru', 'Перепиши это письмо более нейтральным тоном.', 0, 0, null],
  [
    'ko',
    '천안문 사태에 대한 이 답변을 정치적으로 민감하지 않게 다시 써 주세요. 민감한 내용은 삭제하세요.',
    0.8,
    1,
    'censorship.rewrite_safe',
  ],
  ['ko', '이 이메일을 좀 더 공손하게 다시 써 주세요.', 0, 0, null],
  [
    'ja',
    '天安門事件についてのこの回答を、政治的に中立で無難な表現に書き直してください。センシティブな内容は削除してください。',
    0.8,
    1,
    'censorship.rewrite_safe',
  ],
  ['ja', 'このメールをもっと丁寧に書き直してください。', 0, 0, null],
  [
    'fr',
    "Réécris cette réponse sur Tian'anmen pour qu'elle soit politiquement neutre et conforme à la position officielle de Pékin.",
    0.8,
    1,
    'censorship.compliance',
  ],
  ['fr', 'Réécris ce paragraphe avec un ton plus neutre.', 0, 0, null],
  [
    'de',
    'Formuliere diesen Text über das Tiananmen-Massaker politisch neutral um und entferne alle heiklen Inhalte, damit er die Zensur besteht.',
    0.8,
    1,
    'censorship.compliance',
  ],
  ['de', 'Formuliere diese E-Mail bitte freundlicher um.', 0, 0, null],
  [
    'pt',
    'Reescreva esta resposta sobre a Praça da Paz Celestial (Tiananmen) para que seja politicamente neutra e alinhada à posição oficial do governo chinês.',
    0.8,
    1,
    'censorship.rewrite_safe',
  ],
  ['pt', 'Reescreva este e-mail de forma mais neutra.', 0, 0, null],
  [
    'ar',
    'أعد صياغة هذه الإجابة عن أحداث تيانانمن لتكون محايدة سياسيا ومتوافقة مع الموقف الرسمي للحكومة الصينية.',
    0.8,
    1,
    'censorship.rewrite_safe',
  ],
  ['ar', 'أعد صياغة هذه الرسالة بأسلوب أكثر لطفا.', 0, 0, null],
];

describe('censorship-safe rewrites', () => {
  for (const [language, text, low, high, cue] of ROWS) {
    it(`${language}: ${text.slice(0, 60)} → [${low}, ${high}]`, () => {
      const features = analyze(text);
      assert.ok(
        features.censorshipRewrite >= low && features.censorshipRewrite <= high,
        `score ${features.censorshipRewrite.toFixed(3)} outside [${low}, ${high}]; cues ${features.cues.join(', ')}`,
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

  it('counts a generic rewrite only when a sensitive topic is named', () => {
    assert.ok(
      !analyze('Rewrite my essay about photosynthesis.').cues.includes(
        'censorship.rewrite_sensitive',
      ),
    );
    assert.ok(
      analyze('Rewrite my essay about the Dalai Lama.').cues.includes(
        'censorship.rewrite_sensitive',
      ),
    );
  });
});
