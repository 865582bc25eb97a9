import { hashString } from './string-hash.js';
import {
  SCRIPT_ARABIC,
  SCRIPT_CYRILLIC,
  SCRIPT_HAN,
  SCRIPT_HANGUL,
  SCRIPT_KANA,
  SCRIPT_LATIN,
  scriptOf,
} from './script-profile.js';

/** Function words that tell Latin-script languages apart (frequent, short, rarely shared). */
const LATIN_STOPWORDS: Record<string, readonly string[]> = {
  en: ['the', 'and', 'is', 'of', 'to', 'in', 'what', 'you', 'this', 'that', 'for', 'with', 'how', 'are', 'it', 'my', 'can', 'be', 'write', 'please', 'i', 'your', 'an', 'do', 'which', 'from'],
  es: ['el', 'la', 'los', 'las', 'que', 'de', 'y', 'es', 'en', 'un', 'una', 'por', 'para', 'con', 'cómo', 'qué', 'del', 'tu', 'su', 'al', 'lo', 'muy', 'escribe', 'explica', 'paso'],
  fr: ['le', 'la', 'les', 'des', 'est', 'et', 'une', 'un', 'du', 'que', 'qui', 'pour', 'dans', 'avec', 'vous', 'je', 'ce', 'pas', 'sur', 'au', 'comment', 'écris', 'réponse', 'ton', 'votre'],
  de: ['der', 'die', 'das', 'und', 'ist', 'nicht', 'ein', 'eine', 'zu', 'mit', 'für', 'auf', 'ich', 'du', 'sie', 'wie', 'was', 'den', 'dem', 'von', 'schreibe', 'bitte', 'deine', 'antwort', 'schritt'],
  pt: ['o', 'os', 'as', 'que', 'de', 'e', 'é', 'um', 'uma', 'não', 'para', 'com', 'do', 'da', 'dos', 'em', 'por', 'você', 'como', 'seu', 'sua', 'escreva', 'resposta', 'explique', 'passo'],
  it: ['il', 'di', 'che', 'è', 'e', 'la', 'per', 'un', 'una', 'non', 'sono', 'della', 'con', 'come', 'scrivi', 'gli', 'del'],
  nl: ['de', 'het', 'een', 'en', 'is', 'van', 'niet', 'dat', 'ik', 'je', 'voor', 'met', 'zijn', 'hoe', 'wat', 'schrijf'],
};
const LATIN_LANGUAGES = Object.keys(LATIN_STOPWORDS);

/** Stopword hash → bit mask of the languages it belongs to. */
const STOPWORD_LANGUAGES = new Map<number, number>();
LATIN_LANGUAGES.forEach((language, bit) => {
  for (const word of LATIN_STOPWORDS[language] ?? []) {
    const hash = hashString(word);
    STOPWORD_LANGUAGES.set(hash, (STOPWORD_LANGUAGES.get(hash) ?? 0) | (1 << bit));
  }
});

/** Only the start of long texts is read: the language of a prompt shows within a few lines. */
const MAX_CHARS = 600;
const counts = new Int32Array(8);
const votes = new Float64Array(LATIN_LANGUAGES.length);

/**
 * ISO 639-1 guess from the script mix, then Latin-script function words; `und` when nothing
 * tells. Kana means Japanese even amid Han; Han alone means Chinese.
 *
 * @example detectLanguage('请一步一步地思考') // 'zh'
 */
export function detectLanguage(text: string): string {
  counts.fill(0);
  votes.fill(0);
  const length = Math.min(text.length, MAX_CHARS);
  let letters = 0;
  let wordHash = 0x811c9dc5;
  let wordLength = 0;
  for (let index = 0; index <= length; index++) {
    const code = index < length ? text.charCodeAt(index) : 0x20;
    const script = scriptOf(code);
    if (script === SCRIPT_LATIN) {
      const lower = code < 0x5b && code > 0x40 ? code | 0x20 : code;
      wordHash = Math.imul(wordHash ^ lower, 0x01000193);
      wordLength += 1;
      counts[0]! += 1;
      letters += 1;
      continue;
    }
    if (wordLength > 0) {
      const mask = STOPWORD_LANGUAGES.get(wordHash >>> 0);
      if (mask !== undefined) {
        let bits = 0;
        for (let bit = 0; bit < LATIN_LANGUAGES.length; bit++) if ((mask >> bit) & 1) bits += 1;
        for (let bit = 0; bit < LATIN_LANGUAGES.length; bit++) {
          if ((mask >> bit) & 1) votes[bit]! += 1 / bits;
        }
      }
      wordHash = 0x811c9dc5;
      wordLength = 0;
    }
    if (script === 0) continue;
    letters += 1;
    if (script === SCRIPT_CYRILLIC) counts[1]! += 1;
    else if (script === SCRIPT_HAN) counts[2]! += 1;
    else if (script === SCRIPT_KANA) counts[3]! += 1;
    else if (script === SCRIPT_HANGUL) counts[4]! += 1;
    else if (script === SCRIPT_ARABIC) counts[5]! += 1;
    else counts[6]! += 1;
  }
  if (letters === 0) return 'und';
  const latin = counts[0]!;
  // CJK characters carry a word each; Latin letters a fifth of one. Compare in "words".
  const cjk = counts[2]! + counts[3]!;
  const weights = [latin / 5, counts[1]! / 5, cjk, 0, counts[4]! / 2, counts[5]! / 4, counts[6]! / 4];
  let best = 0;
  for (let index = 1; index < weights.length; index++) if (weights[index]! > weights[best]!) best = index;
  switch (best) {
    case 1:
      return 'ru';
    case 2:
      // A few kana amid kanji is still Japanese; Chinese never uses kana.
      return counts[3]! * 10 >= cjk || counts[3]! >= 3 ? 'ja' : 'zh';
    case 4:
      return 'ko';
    case 5:
      return 'ar';
    case 6:
      return 'und';
    default:
      break;
  }
  let bestLanguage = -1;
  let bestVotes = 0;
  for (let bit = 0; bit < LATIN_LANGUAGES.length; bit++) {
    if (votes[bit]! > bestVotes) {
      bestVotes = votes[bit]!;
      bestLanguage = bit;
    }
  }
  if (bestLanguage < 0) return 'und';
  return LATIN_LANGUAGES[bestLanguage]!;
}
