import type { Language } from './scenario.js';

/**
 * Requests to write out the reasoning behind an answer, in the languages the public reports saw.
 * Several phrasings per language: operators rotate them, and honest users write them too.
 */
export const REASONING_REQUESTS: Readonly<Record<Language, readonly string[]>> = {
  en: [
    'Think step by step and write out your complete reasoning before giving the final answer.',
    'Explain the reasoning behind your answer in detail, showing every intermediate step.',
    'Walk me through your full chain of thought, then state the answer on the last line.',
    'Before answering, reason through the problem carefully and show all of your work.',
  ],
  zh: [
    '请一步一步地思考，并在给出最终答案之前写出完整的推理过程。',
    '请详细解释你的推理过程，列出每一个中间步骤。',
    '请先展示你的完整思考过程，最后一行给出答案。',
  ],
  es: [
    'Piensa paso a paso y escribe todo tu razonamiento antes de dar la respuesta final.',
    'Explica en detalle el razonamiento detrás de tu respuesta, mostrando cada paso intermedio.',
    'Muéstrame tu cadena de pensamiento completa y luego da la respuesta en la última línea.',
  ],
  ru: [
    'Думай шаг за шагом и распиши всё своё рассуждение перед окончательным ответом.',
    'Подробно объясни ход рассуждений, показывая каждый промежуточный шаг.',
    'Покажи полную цепочку рассуждений, а в последней строке дай ответ.',
  ],
  ko: [
    '단계별로 생각하고 최종 답을 제시하기 전에 전체 추론 과정을 작성하세요.',
    '답의 근거가 되는 추론을 모든 중간 단계와 함께 자세히 설명해 주세요.',
    '전체 사고 과정을 보여 준 뒤 마지막 줄에 답을 적어 주세요.',
  ],
  ja: [
    'ステップバイステップで考え、最終的な答えを出す前に推論の過程をすべて書き出してください。',
    '各中間ステップを示しながら、答えの根拠となる推論を詳しく説明してください。',
    '思考の過程をすべて示し、最後の行に答えを書いてください。',
  ],
  fr: [
    'Réfléchis étape par étape et écris tout ton raisonnement avant de donner la réponse finale.',
    'Explique en détail le raisonnement derrière ta réponse, en montrant chaque étape intermédiaire.',
    'Montre-moi toute ta chaîne de pensée, puis donne la réponse sur la dernière ligne.',
  ],
  de: [
    'Denke Schritt für Schritt nach und schreibe deine vollständige Begründung auf, bevor du die endgültige Antwort gibst.',
    'Erkläre ausführlich die Überlegungen hinter deiner Antwort und zeige jeden Zwischenschritt.',
    'Zeige mir deine gesamte Gedankenkette und nenne die Antwort in der letzten Zeile.',
  ],
  pt: [
    'Pense passo a passo e escreva todo o seu raciocínio antes de dar a resposta final.',
    'Explique em detalhes o raciocínio por trás da sua resposta, mostrando cada etapa intermediária.',
    'Mostre toda a sua cadeia de pensamento e depois dê a resposta na última linha.',
  ],
  ar: [
    'فكّر خطوة بخطوة واكتب استدلالك الكامل قبل إعطاء الإجابة النهائية.',
    'اشرح بالتفصيل الاستدلال وراء إجابتك مع إظهار كل خطوة وسيطة.',
    'اعرض سلسلة تفكيرك كاملة ثم اكتب الإجابة في السطر الأخير.',
  ],
};

/** Word-problem templates per language; `{name}`, `{a}`, `{b}`, `{c}` are filled in. */
export const WORD_PROBLEMS: Readonly<Record<Language, readonly string[]>> = {
  en: [
    '{name} has {a} apples and buys {b} more bags with {c} apples each. How many apples does {name} have now?',
    'A train travels {a} km in {b} hours. At the same speed, how far does it travel in {c} hours?',
    'A shop sells pencils at {b} cents each. {name} pays with {a} dollars and buys {c} pencils. How much change does {name} get?',
    'A tank holds {a} litres and leaks {b} litres per hour while a pump adds {c} litres per hour. After how many hours is it empty, if ever?',
  ],
  zh: [
    '{name}有{a}个苹果，又买了{b}袋，每袋{c}个。{name}现在一共有多少个苹果？',
    '一列火车{b}小时行驶{a}公里。以同样的速度，{c}小时能行驶多少公里？',
    '一个水池有{a}升水，每小时漏掉{b}升，同时每小时注入{c}升。多少小时后水池会空？',
  ],
  es: [
    '{name} tiene {a} manzanas y compra {b} bolsas más con {c} manzanas cada una. ¿Cuántas manzanas tiene ahora?',
    'Un tren recorre {a} km en {b} horas. A la misma velocidad, ¿qué distancia recorre en {c} horas?',
    'Una tienda vende lápices a {b} céntimos. {name} paga con {a} euros y compra {c} lápices. ¿Cuánto cambio recibe?',
  ],
  ru: [
    'У {name} есть {a} яблок, и он покупает ещё {b} пакетов по {c} яблок. Сколько яблок у него теперь?',
    'Поезд проходит {a} км за {b} часа. Какое расстояние он пройдёт за {c} часов с той же скоростью?',
    'В баке {a} литров воды, каждый час вытекает {b} литров и добавляется {c} литров. Через сколько часов бак опустеет?',
  ],
  ko: [
    '{name}은(는) 사과 {a}개를 가지고 있고, 사과가 {c}개씩 든 봉지를 {b}개 더 샀습니다. 이제 사과는 모두 몇 개입니까?',
    '기차가 {b}시간 동안 {a}km를 달립니다. 같은 속도로 {c}시간 동안 몇 km를 달립니까?',
    '물탱크에 물이 {a}리터 있고 매시간 {b}리터가 새고 {c}리터가 채워집니다. 몇 시간 후에 비게 됩니까?',
  ],
  ja: [
    '{name}はりんごを{a}個持っていて、{c}個入りの袋をさらに{b}袋買いました。りんごは全部で何個ですか？',
    '電車は{b}時間で{a}km進みます。同じ速さで{c}時間では何km進みますか？',
    'タンクに{a}リットルの水があり、1時間に{b}リットル漏れ、{c}リットル補給されます。何時間後に空になりますか？',
  ],
  fr: [
    '{name} a {a} pommes et achète {b} sacs de {c} pommes chacun. Combien de pommes a-t-il maintenant ?',
    'Un train parcourt {a} km en {b} heures. À la même vitesse, quelle distance parcourt-il en {c} heures ?',
    'Un magasin vend des crayons à {b} centimes. {name} paie avec {a} euros et achète {c} crayons. Combien lui rend-on ?',
  ],
  de: [
    '{name} hat {a} Äpfel und kauft {b} weitere Tüten mit je {c} Äpfeln. Wie viele Äpfel hat {name} jetzt?',
    'Ein Zug fährt {a} km in {b} Stunden. Wie weit fährt er bei gleicher Geschwindigkeit in {c} Stunden?',
    'Ein Tank enthält {a} Liter, verliert {b} Liter pro Stunde und bekommt {c} Liter pro Stunde dazu. Wann ist er leer?',
  ],
  pt: [
    '{name} tem {a} maçãs e compra mais {b} sacos com {c} maçãs cada. Quantas maçãs tem agora?',
    'Um trem percorre {a} km em {b} horas. Na mesma velocidade, que distância percorre em {c} horas?',
    'Uma loja vende lápis a {b} centavos. {name} paga com {a} reais e compra {c} lápis. Quanto recebe de troco?',
  ],
  ar: [
    'لدى {name} {a} تفاحة واشترى {b} أكياس في كل منها {c} تفاحات. كم تفاحة لديه الآن؟',
    'يقطع قطار {a} كم في {b} ساعات. ما المسافة التي يقطعها في {c} ساعات بالسرعة نفسها؟',
    'يحتوي خزان على {a} لترًا ويتسرب منه {b} لترات كل ساعة ويُضاف إليه {c} لترات. بعد كم ساعة يفرغ؟',
  ],
};

/** Open reasoning questions (logic, science, proofs) per language. */
export const OPEN_QUESTIONS: Readonly<Record<Language, readonly string[]>> = {
  en: [
    'Prove that the square root of {a} is irrational or explain why it is not.',
    'Why does ice float on water, and what would change if it did not?',
    'Is {a} a prime number? Justify your answer.',
    'Three boxes are labelled apples, oranges and mixed, and every label is wrong. You may draw one fruit from one box. How do you relabel them?',
    'How many ways can {b} people sit around a round table?',
    'What is the probability of rolling at least one six in {b} rolls of a fair die?',
  ],
  zh: [
    '证明{a}的平方根是无理数，或说明为什么不是。',
    '为什么冰会浮在水面上？',
    '{a}是质数吗？请说明理由。',
    '{b}个人围坐一张圆桌，有多少种坐法？',
  ],
  es: [
    '¿Es {a} un número primo? Justifica tu respuesta.',
    '¿Por qué el hielo flota en el agua?',
    '¿De cuántas maneras pueden sentarse {b} personas alrededor de una mesa redonda?',
  ],
  ru: [
    'Является ли {a} простым числом? Обоснуй ответ.',
    'Почему лёд плавает на воде?',
    'Сколькими способами {b} человек могут сесть за круглый стол?',
  ],
  ko: [
    '{a}은(는) 소수입니까? 이유를 설명하세요.',
    '얼음은 왜 물에 뜨나요?',
    '{b}명이 원탁에 앉는 방법은 몇 가지입니까?',
  ],
  ja: [
    '{a}は素数ですか？理由を説明してください。',
    'なぜ氷は水に浮くのですか？',
    '{b}人が円卓に座る方法は何通りありますか？',
  ],
  fr: [
    '{a} est-il un nombre premier ? Justifie ta réponse.',
    'Pourquoi la glace flotte-t-elle sur l’eau ?',
    'De combien de façons {b} personnes peuvent-elles s’asseoir autour d’une table ronde ?',
  ],
  de: [
    'Ist {a} eine Primzahl? Begründe deine Antwort.',
    'Warum schwimmt Eis auf Wasser?',
    'Auf wie viele Arten können {b} Personen an einem runden Tisch sitzen?',
  ],
  pt: [
    '{a} é um número primo? Justifique sua resposta.',
    'Por que o gelo flutua na água?',
    'De quantas maneiras {b} pessoas podem se sentar em volta de uma mesa redonda?',
  ],
  ar: [
    'هل {a} عدد أولي؟ علّل إجابتك.',
    'لماذا يطفو الجليد على الماء؟',
    'بكم طريقة يمكن أن يجلس {b} أشخاص حول طاولة مستديرة؟',
  ],
};

export const NAMES: Readonly<Record<Language, readonly string[]>> = {
  en: ['Natalia', 'James', 'Priya', 'Tom', 'Aisha', 'Carlos'],
  zh: ['小明', '李华', '王芳', '张伟'],
  es: ['Lucía', 'Mateo', 'Sofía', 'Diego'],
  ru: ['Иван', 'Мария', 'Алексей', 'Ольга'],
  ko: ['민준', '서연', '지훈', '하은'],
  ja: ['太郎', 'さくら', '健太', '美咲'],
  fr: ['Camille', 'Louis', 'Léa', 'Hugo'],
  de: ['Lena', 'Jonas', 'Mia', 'Felix'],
  pt: ['Ana', 'João', 'Beatriz', 'Pedro'],
  ar: ['أحمد', 'فاطمة', 'عمر', 'ليلى'],
};

/** Everyday customer chat in the customer's own language (non-English speakers). */
export const LOCAL_CHAT: Readonly<
  Record<Language, { openers: readonly string[]; followUps: readonly string[] }>
> = {
  en: { openers: [], followUps: [] },
  zh: {
    openers: [
      '帮我写一封请假邮件，语气正式一点。',
      '周末去杭州玩两天，有什么推荐的行程？',
      '怎么用Python读取Excel文件？',
      '帮我把这段话翻译成英文：我们下周开会讨论预算。',
    ],
    followUps: ['再简短一点。', '谢谢！还有别的选择吗？', '能举个例子吗？'],
  },
  es: {
    openers: [
      '¿Me ayudas a escribir un correo a mi casero sobre la calefacción?',
      'Dame ideas para una cena para seis personas.',
      '¿Cómo funciona el interés compuesto?',
      'Resume este texto en tres frases.',
    ],
    followUps: [
      'Más corto, por favor.',
      '¡Gracias! ¿Alguna otra opción?',
      '¿Puedes dar un ejemplo?',
    ],
  },
  ru: {
    openers: [
      'Помоги написать письмо арендодателю о ремонте.',
      'Что посмотреть в Казани за выходные?',
      'Как в Excel посчитать среднее по условию?',
      'Объясни простыми словами, что такое инфляция.',
    ],
    followUps: ['Сделай короче.', 'Спасибо! А ещё варианты?', 'Можно пример?'],
  },
  ko: {
    openers: [
      '회사에 보낼 휴가 신청 메일을 써 줘.',
      '부산 2박 3일 여행 일정 추천해 줘.',
      '엑셀에서 VLOOKUP 쓰는 법 알려 줘.',
      '자기소개서 첫 문단을 다듬어 줘.',
    ],
    followUps: ['조금 더 짧게 해 줘.', '고마워! 다른 안도 있어?', '예시를 들어 줄래?'],
  },
  ja: {
    openers: [
      '取引先へのお詫びメールを書いてください。',
      '京都で一日観光するならどこがおすすめ？',
      'Pythonでフォルダ内のファイル名を一覧にする方法は？',
      'この文章をもっと丁寧な敬語にしてください。',
    ],
    followUps: [
      'もう少し短くしてください。',
      'ありがとう！他の案はありますか？',
      '例を挙げてもらえますか？',
    ],
  },
  fr: {
    openers: [
      'Aide-moi à écrire un mail à mon propriétaire au sujet du chauffage.',
      'Quelles activités faire à Lyon ce week-end ?',
      'Explique-moi la différence entre un CDD et un CDI.',
      'Corrige les fautes de ce paragraphe.',
    ],
    followUps: [
      'Plus court, s’il te plaît.',
      'Merci ! Une autre idée ?',
      'Tu peux donner un exemple ?',
    ],
  },
  de: {
    openers: [
      'Hilf mir, eine E-Mail an meinen Vermieter wegen der Heizung zu schreiben.',
      'Was kann man am Wochenende in Hamburg unternehmen?',
      'Wie berechne ich in Excel einen gewichteten Durchschnitt?',
      'Formuliere diesen Absatz freundlicher.',
    ],
    followUps: [
      'Bitte kürzer.',
      'Danke! Gibt es noch andere Vorschläge?',
      'Kannst du ein Beispiel geben?',
    ],
  },
  pt: {
    openers: [
      'Me ajuda a escrever um e-mail para o meu chefe pedindo folga?',
      'O que fazer em Lisboa em dois dias?',
      'Como faço um gráfico de pizza no Excel?',
      'Explique o que é juros compostos de forma simples.',
    ],
    followUps: ['Mais curto, por favor.', 'Obrigado! Tem outras opções?', 'Pode dar um exemplo?'],
  },
  ar: {
    openers: [
      'ساعدني في كتابة رسالة إلى مديري لطلب إجازة.',
      'ما هي أفضل الأماكن لزيارتها في دبي؟',
      'كيف أحسب المتوسط في إكسل؟',
      'اشرح لي التضخم بكلمات بسيطة.',
    ],
    followUps: ['اجعلها أقصر من فضلك.', 'شكرًا! هل هناك خيارات أخرى؟', 'هل يمكنك إعطاء مثال؟'],
  },
};
