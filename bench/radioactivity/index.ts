// The radioactivity proof (after Sander et al. 2024, "Watermarking Makes Language Models
// Radioactive"): the demo model serves watermarked answers; n-gram students learn from a harvest
// in which x% of the answers were watermarked; the closed-model audit prompts each student and
// tests its generations; the open-model audit reads neutral text through each student (top-1
// predictions, scored where they differ from the teacher's). Also: false-positive rate over 1,000 random keys with a KS calibration
// check, single-response detection, robustness to edits. `npm run bench -- radioactivity`
import {
  createSeededRandom,
  type LanguageModel,
  loadDefaultLanguageModel,
  trainLanguageModel,
} from '../../src/language-model/index.js';
import {
  auditOpenModelRadioactivity,
  auditTextRadioactivity,
  auditTokenRadioactivity,
  createTextWatermarkStage,
  createWatermarkHook,
  createWatermarkKey,
  detectTokenWatermark,
  detectWithKeys,
  greenListScheme,
  LEXICAL_VARIANTS,
  logBinomialUpperTail,
  logProbabilitySource,
} from '../../src/watermark/index.js';

const HARVEST_ANSWERS = Number(process.env.BENCH_ANSWERS ?? 2500);
const AUDIT_TOKENS = Number(process.env.BENCH_AUDIT_TOKENS ?? 150_000);
const FPR_KEYS = 1000;
const OPEN_TEXTS = Number(process.env.BENCH_OPEN_TEXTS ?? 200);
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

const teacher = loadDefaultLanguageModel();
const key = createWatermarkKey('provider', Buffer.alloc(32, 42));
const scheme = greenListScheme({ contextWidth: Number(process.env.BENCH_CONTEXT_WIDTH ?? 2) });
const hook = createWatermarkHook(scheme, key);
const PROMPTS = ['', 'Sure.', 'Certainly.', 'First,', 'How do I bake bread?'];

function answer(model: LanguageModel, random: () => number, watermarked: boolean): string {
  const prompt = PROMPTS[Math.floor(random() * PROMPTS.length)]!;
  return model.decode([
    ...model.generate({
      prompt,
      maxTokens: 300,
      random,
      ...(watermarked ? { logitsHook: hook } : {}),
    }),
  ]);
}
function textWatermark(text: string): string {
  const stage = createTextWatermarkStage({ key });
  return stage.push(text) + stage.flush();
}
/** About `tokens` tokens of a model's answers. */
function sample(model: LanguageModel, tokens: number, seed: number): string[] {
  const random = createSeededRandom(seed);
  const texts: string[] = [];
  let produced = 0;
  while (produced < tokens) {
    const text = answer(model, random, false);
    produced += teacher.encode(text).length;
    texts.push(text);
  }
  return texts;
}
const log10 = (logP: number) => (logP / Math.LN10).toFixed(1);

console.log(
  `teacher: demo model, vocabulary ${teacher.vocabularySize}; scheme green-list γ=${scheme.gamma} δ=${scheme.delta} h=${scheme.contextWidth}`,
);
const watermarkedRandom = createSeededRandom(1);
const cleanRandom = createSeededRandom(2);
const tokenMarked = Array.from({ length: HARVEST_ANSWERS }, () =>
  answer(teacher, watermarkedRandom, true),
);
const clean = Array.from({ length: HARVEST_ANSWERS }, () => answer(teacher, cleanRandom, false));
const textMarked = clean.map(textWatermark);
const harvestTokens = clean.reduce((total, text) => total + teacher.encode(text).length, 0);
console.log(
  `harvest: ${HARVEST_ANSWERS} answers (~${harvestTokens} tokens) per arm  [${elapsed()}]`,
);

const reference = sample(teacher, AUDIT_TOKENS, 77);
const referenceIds = reference.map((text) => teacher.encode(text));
const results: { level: string; percent: number; logP: number; pairs: number }[] = [];
const openResults: { percent: number; logP: number; pairs: number; distinct: number }[] = [];
let cleanStudentTexts: string[] = [];
for (const [level, marked] of [
  ['token', tokenMarked],
  ['text', textMarked],
] as const) {
  // The text level is tested where its target lies (10%) and at the ends, to keep the run short.
  for (const percent of level === 'token' ? [0, 1, 5, 10, 100] : [0, 10, 100]) {
    const count = Math.round((HARVEST_ANSWERS * percent) / 100);
    const student = trainLanguageModel([...marked.slice(0, count), ...clean.slice(count)]);
    const generations = sample(student, AUDIT_TOKENS, 9);
    if (percent === 0 && level === 'token') cleanStudentTexts = generations;
    if (level === 'token') {
      const open = await auditOpenModelRadioactivity({
        scheme,
        keys: [key],
        texts: reference.slice(0, OPEN_TEXTS),
        tokenizer: teacher,
        reference: teacher,
        source: logProbabilitySource(student),
        controls: 0,
      });
      openResults.push({
        percent,
        logP: open.keys[0]!.logPValue,
        pairs: open.scoredPairs,
        distinct: open.distinctPairs,
      });
    }
    const evidence =
      level === 'token'
        ? auditTokenRadioactivity(
            generations.map((text) => teacher.encode(text)),
            referenceIds,
            scheme,
            { keys: [key], controls: 0 },
          )
        : auditTextRadioactivity(generations, reference, { keys: [key], controls: 0 });
    results.push({
      level,
      percent,
      logP: evidence.keys[0]!.logPValue,
      pairs: evidence.scoredPairs,
    });
  }
}
console.log(
  `\naudit of students (closed model: ${AUDIT_TOKENS} generated tokens each)  [${elapsed()}]`,
);
console.log('  level  watermarked  scored pairs  log10 p');
for (const { level, percent, logP, pairs } of results) {
  console.log(
    `  ${level.padEnd(6)} ${`${percent}%`.padStart(11)}  ${String(pairs).padStart(12)}  ${log10(logP).padStart(7)}`,
  );
}

console.log(
  `\nopen-model audit of the token-level students (${OPEN_TEXTS} unwatermarked teacher answers read)`,
);
console.log('  watermarked  scored pairs (of distinct)  log10 p');
for (const { percent, logP, pairs, distinct } of openResults) {
  console.log(
    `  ${`${percent}%`.padStart(11)}  ${`${pairs} (of ${distinct})`.padStart(24)}  ${log10(logP).padStart(7)}`,
  );
}

// False positives: 1,000 random keys against the clean student (x = 0).
const controls = Array.from({ length: FPR_KEYS }, (_, index) =>
  createWatermarkKey(`random-${index}`, Buffer.from(createSeededRandomBytes(index + 1000))),
);
for (const [level, evidence] of [
  [
    'token',
    auditTokenRadioactivity(
      cleanStudentTexts.map((text) => teacher.encode(text)),
      referenceIds,
      scheme,
      { keys: controls, controls: 0 },
    ),
  ],
  ['text', auditTextRadioactivity(cleanStudentTexts, reference, { keys: controls, controls: 0 })],
] as const) {
  const pValues = evidence.keys.map((result) => result.pValue).sort((a, b) => a - b);
  // The binomial p-value is discrete (conservative); its randomised version
  // P(X > k) + U·P(X = k) is exactly uniform under the null, so KS checks the null model itself.
  const probability = level === 'token' ? scheme.gamma : 0.5;
  const uniformRandom = createSeededRandom(3);
  const randomised = evidence.keys
    .map(({ statistic }) => {
      const above = Math.exp(
        logBinomialUpperTail(statistic + 1, evidence.scoredPairs, probability),
      );
      const atLeast = Math.exp(logBinomialUpperTail(statistic, evidence.scoredPairs, probability));
      return above + uniformRandom() * (atLeast - above);
    })
    .sort((a, b) => a - b);
  const rate = (alpha: number) => pValues.filter((p) => p <= alpha).length / pValues.length;
  console.log(
    `\nnull calibration, ${level} level, ${FPR_KEYS} random keys on the clean student  [${elapsed()}]\n` +
      `  FPR at 0.05: ${rate(0.05).toFixed(3)}  at 0.01: ${rate(0.01).toFixed(3)}  at 1e-3: ${rate(1e-3).toFixed(3)}  ` +
      `min p ${pValues[0]!.toExponential(1)}\n` +
      `  KS D vs U(0,1): exact p-values ${ksDistance(pValues).toFixed(3)} (discrete, conservative), ` +
      `randomised ${ksDistance(randomised).toFixed(3)}; 5% critical value 0.043`,
  );
}

function ksDistance(sorted: number[]): number {
  let distance = 0;
  sorted.forEach((value, index) => {
    distance = Math.max(
      distance,
      Math.abs(value - index / sorted.length),
      Math.abs(value - (index + 1) / sorted.length),
    );
  });
  return distance;
}

// Single unedited responses of 200 tokens.
const singleRandom = createSeededRandom(5);
const single: number[] = [];
for (let trial = 0; trial < 50; trial += 1) {
  const ids: number[] = [];
  while (ids.length < 200) {
    ids.push(...teacher.encode(answer(teacher, singleRandom, true)));
  }
  single.push(detectTokenWatermark(ids.slice(0, 200), scheme, key).logPValue);
}
single.sort((a, b) => a - b);
console.log(
  `\nsingle response, 200 tokens, 50 trials: median log10 p ${log10(single[25]!)}, worst ${log10(single[49]!)}, ` +
    `detected at 1e-6: ${single.filter((v) => v < Math.log(1e-6)).length}/50`,
);

// Robustness on 400-token watermarked texts.
const vocabulary = [...new Set(clean.slice(0, 200).join(' ').split(/\s+/))];
const editRandom = createSeededRandom(6);
const pairs = new Map(LEXICAL_VARIANTS.flatMap(([a, b]) => [[a, b] as const, [b, a] as const]));
const edits: [string, (text: string) => string][] = [
  ['unedited', (text) => text],
  [
    '10% words deleted',
    (text) =>
      words(text)
        .filter(() => editRandom() >= 0.1)
        .join(' '),
  ],
  [
    '30% words deleted',
    (text) =>
      words(text)
        .filter(() => editRandom() >= 0.3)
        .join(' '),
  ],
  ['10% words substituted', (text) => substitute(text, 0.1)],
  ['30% words substituted', (text) => substitute(text, 0.3)],
  ['paraphrase-like rewrite', paraphrase],
];
function words(text: string): string[] {
  return text.split(/\s+/).filter((word) => word !== '');
}
function substitute(text: string, rate: number): string {
  return words(text)
    .map((word) =>
      editRandom() < rate ? vocabulary[Math.floor(editRandom() * vocabulary.length)]! : word,
    )
    .join(' ');
}
/** Synonym swaps, dropped sentence connectors and swapped adjacent sentences. */
function paraphrase(text: string): string {
  const sentences = text.split(/(?<=[.!?])\s+/).map((sentence) =>
    sentence
      .replace(
        /^(First|Next|Then|After that|Finally|In practice|As a rule|In short|Meanwhile|Later), /,
        '',
      )
      .split(' ')
      .map((word) => pairs.get(word) ?? word)
      .join(' '),
  );
  for (let index = 0; index + 1 < sentences.length; index += 2) {
    [sentences[index], sentences[index + 1]] = [sentences[index + 1]!, sentences[index]!];
  }
  return sentences.join(' ');
}
const robustnessRandom = createSeededRandom(8);
const texts = Array.from({ length: 30 }, () => {
  let text = '';
  while (teacher.encode(text).length < 400) text += `${answer(teacher, robustnessRandom, true)} `;
  return text.trim();
});
console.log(
  `\nrobustness, 30 watermarked texts of ~400 tokens (median log10 p; detected at 1e-6 / 1e-3)`,
);
for (const [name, edit] of edits) {
  const logPs = texts
    .map((text) => detectTokenWatermark(teacher.encode(edit(text)), scheme, key).logPValue)
    .sort((a, b) => a - b);
  const detected = (alpha: number) => logPs.filter((v) => v <= Math.log(alpha)).length;
  console.log(
    `  ${name.padEnd(26)} ${log10(logPs[15]!).padStart(7)}   ${detected(1e-6)}/30  ${detected(1e-3)}/30`,
  );
}
// Mixed: one 200-token watermarked answer inside ~2,000 tokens of clean text.
const mixedLogPs: [number, number][] = [];
for (let trial = 0; trial < 20; trial += 1) {
  const marked = teacher.encode(texts[trial]!).slice(0, 200);
  const cleanIds = teacher
    .encode(clean.slice(trial * 12, trial * 12 + 12).join(' '))
    .slice(0, 2000);
  const ids = [...cleanIds.slice(0, 900), ...marked, ...cleanIds.slice(900)];
  const whole = detectWithKeys(ids, scheme, [key], { windowSize: 0 }).verdicts[0]!.logPValue;
  const windowed = detectWithKeys(ids, scheme, [key], { windowSize: 200 }).verdicts[0]!.logPValue;
  mixedLogPs.push([whole, windowed]);
}
const medianOf = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(
  `  200 marked in ~2,100 clean   whole text ${log10(medianOf(mixedLogPs.map((v) => v[0])))}, ` +
    `windowed (200, Bonferroni over looks) ${log10(medianOf(mixedLogPs.map((v) => v[1])))}`,
);
console.log(`\ntotal ${elapsed()}`);

function createSeededRandomBytes(seed: number): Uint8Array {
  const random = createSeededRandom(seed);
  return Uint8Array.from({ length: 32 }, () => Math.floor(random() * 256));
}
