import type { CueDefinition } from './cue-definition.js';

/**
 * Censorship-safe rewrites: asks to turn a politically sensitive question or answer into a
 * "safe", neutral or officially compliant one (training data for a censored student). Naming a
 * sensitive topic is weak evidence alone (historians and journalists do); a rewrite demand or a
 * compliance frame on top of it is strong. Languages per cue: en, zh, es, ru, ko, ja, fr, de, pt, ar.
 */
export const CENSORSHIP_CUES: readonly CueDefinition[] = [
  {
    code: 'censorship.sensitive_topic',
    family: 'censorship',
    weight: 0.2,
    patterns: [
      "\\btian'?anmen\\b|\\bjune (4|fourth),? 1989\\b|\\btank man\\b|\\bfalun ?gong\\b|\\b(xinjiang|uyghurs?|uighurs?)\\b|\\btibet(an)? (independence|uprising)\\b|\\bdalai lama\\b|\\btaiwan(ese)? (independence|sovereignty)\\b|\\bhong kong (protests?|democracy|national security law)\\b|\\bxi jinping\\b|\\bcultural revolution\\b|\\bgreat leap forward\\b|\\bliu xiaobo\\b|\\b(chinese communist party|ccp)\\b|\\bre-?education camps?\\b|\\b(detention|internment) camps?\\b|\\b(political )?status of taiwan\\b|\\btibetan autonomy\\b",
      '天安门|六四|法轮功|新疆|维吾尔|藏独|西藏独立|达赖|台独|台湾独立|香港(抗议|示威|反送中|国安法)|习近平|文化大革命|文革|大跃进|刘晓波|共产党|再教育营|两岸关系',
      'tiananm[eé]n|falun gong|uigur(es)?|independencia de taiw[aá]n|dalái lama|revolución cultural|xi jinping|partido comunista (chino|de china)',
      'тяньаньмэн|фалуньгун|уйгур|синьцзян|независимост[ьи] (тайваня|тибета)|далай-лам|культурн(ая|ой) революци|си цзиньпин|(китайская )?коммунистическ(ая|ой) парти',
      '천안문|톈안먼|파룬궁|위구르|신장|티베트 독립|달라이 라마|대만 독립|문화대혁명|시진핑|중국 공산당',
      '天安門|法輪功|ウイグル|新疆|チベット独立|ダライ・?ラマ|台湾独立|文化大革命|習近平|中国共産党',
      "tian'?anmen|falun gong|ouïghours?|xinjiang|indépendance (de taïwan|du tibet)|dalaï-lama|révolution culturelle|xi jinping|parti communiste chinois",
      'tian(an)?men|falun gong|uiguren|xinjiang|unabhängigkeit (taiwans|tibets)|dalai lama|kulturrevolution|xi jinping|kommunistische partei chinas',
      'tiananmen|falun gong|uigures?|xinjiang|independência (de taiwan|do tibete)|dalai lama|revolução cultural|xi jinping|partido comunista (chinês|da china)',
      'تيانانمن|فالون غونغ|الأويغور|الإيغور|شينجيانغ|استقلال (تايوان|التبت)|الدالاي لاما|الثورة الثقافية|شي جين ?بينغ|الحزب الشيوعي الصيني',
    ],
  },
  {
    code: 'censorship.sensitivity_frame',
    family: 'censorship',
    weight: 0.3,
    patterns: [
      '\\bpolitically (sensitive|charged|controversial|incorrect)\\b|\\bsensitive (political )?(topics?|issues?|content|questions?|words?|terms?)\\b',
      '政治敏感|敏感(话题|内容|问题|词汇|词|信息)|政治(不正确|问题)',
      'políticamente (sensible|delicado|incorrecto)|(temas?|contenido|preguntas?) (sensibles?|delicad[oa]s?)',
      'политически (чувствительн|острый|острые|некорректн)|(чувствительн|острые) (тем|вопрос|контент)',
      '정치적으로 민감|민감한 (주제|내용|질문|정치)',
      '政治的に(敏感|センシティブ|デリケート)|(センシティブ|敏感)な(話題|内容|質問|トピック)',
      'politiquement (sensible|incorrect)|(sujets?|contenus?|questions?) sensibles?',
      'politisch (sensibel|heikel|brisant|inkorrekt)|(sensible|heikle) (themen|inhalte|fragen)',
      'politicamente (sensível|delicado|incorreto)|(temas?|conteúdos?|perguntas?) (sensíveis|sensível|delicad[oa]s?)',
      'حساس(ة)? سياسيا|حساسة سياسيًا|(مواضيع|محتوى|أسئلة) حساسة',
    ],
  },
  {
    code: 'censorship.rewrite_safe',
    family: 'censorship',
    weight: 0.4,
    // "neutral"/"safe" alone is everyday editing ("a more neutral tone", "thread-safe"): the
    // political qualifier is what makes it a censorship rewrite.
    patterns: [
      '\\b(rewrite|rephrase|reword|revise|edit|paraphrase|modify|make)\\b.{0,80}\\bpolitically (neutral|safe|appropriate|acceptable|correct|uncontroversial|inoffensive)\\b|\\b(remove|avoid|strip|tone down|soften|omit) (any |all )?(politically )?(sensitive|controversial) (content|parts|words|terms|references|statements|details|topics)\\b|\\b(write|give|draft|produce) (the |a )?(safest|most cautious|most sanitized|least controversial) (possible )?(reply|answer|response|version|wording)\\b',
      '(改写|重写|改成|修改|润色|改为|转述).{0,30}(政治中立|政治上中立|合规|稳妥|政治正确|不敏感)|(删除|去除|避免|淡化|规避)(所有|任何)?(的)?(敏感|争议)(内容|词|信息|表述|话题)?',
      '(reescribe|reformula|modifica|redacta de nuevo).{0,80}políticamente (neutral|segur[oa]|aceptable|correct[oa])|(elimina|evita|suaviza) (el |los |todo el |cualquier )?(contenido|términos|temas) (políticamente )?(sensibles?|polémic[oa]s?)',
      '(перепиши|перефразируй|переформулируй|измени).{0,80}политически (нейтральн|безопасн|приемлем|корректн)|(убери|удали|избегай|смягчи) (все )?(политически )?(чувствительн|острые|спорные)',
      '정치적으로 (중립적|안전하게|문제없게)|민감하지 않게|(민감한|논란이 되는) (내용|표현)(을|은|를)? ?(삭제|제거|피하)',
      '政治的に(中立|無難|問題のない)|(無難|当たり障りのない)な?(表現|内容|文章)?に?(書き直|言い換え|修正|リライト)|(敏感|センシティブ|問題)な(内容|表現)(を|は)(削除|除去|避け)',
      '(réécri[st]|reformule|reformulez|modifie).{0,80}politiquement (neutre|acceptable|correct)|(supprime|évite|atténue)(z)? (tout |les |tous les )?(contenus?|passages?|termes?) (politiquement )?(sensibles?|polémiques?)',
      '(formuliere|schreibe|umschreiben|umformulieren).{0,80}politisch (neutral|unbedenklich|korrekt)|(entferne|vermeide|entschärfe) (alle )?(politisch )?(sensiblen?|heiklen?|kritischen?) (inhalte|stellen|begriffe|themen)',
      '(reescreva|reformule|modifique).{0,80}politicamente (neutr[oa]|segur[oa]|aceitável|corret[oa])|(remova|evite|suavize) (o |os |todo o |qualquer )?(conteúdo|termos|temas) (politicamente )?(sensíve(l|is)|polêmic[oa]s?)',
      '(أعد صياغة|أعد كتابة|اكتب من جديد).{0,80}(محايد|محايدة|آمن|آمنة|مقبول|مقبولة) سياسي(ا|ًا)|(احذف|تجنب|أزل) (أي |كل )?(المحتوى|العبارات|المواضيع) (الحساس|الحساسة)',
    ],
  },
  {
    code: 'censorship.compliance',
    family: 'censorship',
    weight: 0.6,
    patterns: [
      "\\bcore socialist values\\b|\\b(comply|complies|compliant|(?<=\\bin )line|consistent|accordance) with (chinese|china'?s|prc|the prc'?s?|the party'?s?|government) (laws?|regulations?|censorship|guidelines?|position|policy|policies|values)\\b|\\b(official|government|party|beijing'?s?|state) (position|stance|line|narrative|talking points)\\b|\\b(pass|passes|survive) (the )?(censorship|content review|censors)\\b|\\bcensorship (rules|guidelines|requirements|filters?)\\b|\\bpositive energy\\b",
      '社会主义核心价值观|符合(中国|国家|我国|相关)?(的)?(法律|法规|规定|政策|审查|价值观|主流价值)|官方(立场|口径|说法|表述)|(党|政府)的(立场|路线|口径)|(内容|网络)审查|通过审查|审查(要求|标准)|正能量|主旋律',
      'valores (fundamentales )?socialistas|(postura|posición|versión) oficial|(cumpla|cumplir) con (la censura|las leyes chinas|las regulaciones)|pasar la censura',
      'социалистическ(их|ие) ценност|официальн(ой|ая|ую|ой) (позици|точк|верси)|(пройти|пройдёт|соответствовать) (цензур|требованиям цензуры)|требовани(я|ям) цензуры',
      '사회주의 핵심 가치|(공식|정부) 입장|검열(을|에)? ?(통과|기준|규정)',
      '社会主義核心価値観|(公式|政府)(見解|の立場)|検閲(を通過|基準|に通る)',
      'valeurs socialistes|position officielle|(passer|respecter) la censure|ligne du parti',
      'sozialistische(n)? (grund)?werte|offizielle(n)? (position|linie|darstellung)|zensur(vorgaben|richtlinien|regeln)|(die )?zensur (bestehen|besteht|passieren|passiert)|parteilinie',
      'valores socialistas|(posição|versão) oficial|(passar|cumprir) (pela |a )?censura|linha do partido',
      'القيم الاشتراكية|الموقف (الرسمي|الحكومي)|الرواية الرسمية|(اجتياز|تجاوز|يجتاز) الرقابة|معايير الرقابة',
    ],
  },
  {
    code: 'censorship.evade_censor',
    family: 'censorship',
    // Alone below 0.5: people in censored countries ask how to get past the firewall.
    weight: 0.45,
    patterns: [
      '\\b(avoid|avoids|avoiding|without) (any )?(wording|words|phrasing|terms|language|content) (that )?(a |the |any )?(government |state |chinese )?censors? (would|might|could)\\b|\\b(trigger|triggering|trip|tripping|get past|getting past|evade|evading|bypass|bypassing|slip past|avoid|avoiding|survive) (the |a |any )?(government |state |chinese )?(censorship|censors?|content review|keyword filters?|great firewall)\\b|\\bcensor (would|might|could) (object|flag|block|delete|remove)',
      '(不会|避免|不要|以免|防止)(触发|引起|被)(审查|屏蔽|和谐|删帖)|过审|绕过审查|规避审查|躲避审查|避开审查',
      '(evitar|evite|evita|sin activar|sin provocar|burlar|eludir) (la |a la )?censura|(un|el) censor (objetaría|rechazaría)',
      '(обойти|избежать|не вызвать|не вызовет|не вызывала|пройти мимо) (цензур|цензоров)|цензор (бы )?(возразил|удалил|заблокировал)',
      '검열(을|에) (피하|걸리지|통과|우회)|검열관이',
      '検閲(を|に)(避け|回避|引っかから|通る|かからない)|検閲官',
      '(éviter|contourner|échapper à|sans déclencher) (la |les )?(censure|censeurs)|un censeur',
      '(zensur|zensoren) (umgehen|vermeiden|auslösen|passieren)|ohne die zensur|ein zensor',
      '(evitar|contornar|driblar|sem acionar|sem disparar) (a |os )?(censura|censores)|um censor',
      '(تجنب|تجاوز|تفادي|دون إثارة|التحايل على) (الرقابة|الرقيب|المراقبة)',
    ],
  },
  {
    code: 'censorship.rewrite_sensitive',
    family: 'censorship',
    weight: 0.45,
    requires: 'censorship.sensitive_topic',
    patterns: [
      '\\b(rewrite|rephrase|reword|revise|paraphrase|tone down|soften)\\b',
      '改写|重写|改成|润色|转述|淡化',
      'reescribe|reformula|suaviza',
      'перепиши|перефразируй|переформулируй|смягчи',
      '다시 써|재작성|바꿔 써|순화',
      '書き直|言い換え|リライト',
      'réécri[st]|reformule',
      'umschreiben|umformulieren|schreibe .{0,40} um\\b|formuliere .{0,60} um\\b',
      'reescreva|reformule|suavize',
      'أعد صياغة|أعد كتابة',
    ],
  },
];
