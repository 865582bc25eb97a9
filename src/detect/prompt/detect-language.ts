import { CHAR_CLASS, CLASS_IDEOGRAPH, CLASS_WORD, SCRIPT_OF } from './char-class.js';
import {
  SCRIPT_ARABIC,
  SCRIPT_CYRILLIC,
  SCRIPT_HANGUL,
  SCRIPT_KANA,
  SCRIPT_LATIN,
} from './script-profile.js';
import { hashString } from './string-hash.js';

/** Function words that tell Latin-script languages apart (frequent, short, rarely shared). */
const LATIN_STOPWORDS: Record<string, readonly string[]> = {
  en: [
    'the',
    'and',
    'is',
    'of',
    'to',
    'in',
    'what',
    'you',
    'this',
    'that',
    'for',
    'with',
    'how',
    'are',
    'it',
    'my',
    'can',
    'be',
    'write',
    'please',
    'i',
    'your',
    'an',
    'do',
    'which',
    'from',
  ],
  es: [
    'más',
    'este',
    'esta',
    'cuál',
    'hay',
    'pero',
    'el',
    'la',
    'los',
    'las',
    'que',
    'de',
    'y',
    'es',
    'en',
    'un',
    'una',
    'por',
    'para',
    'con',
    'cómo',
    'qué',
    'del',
    'tu',
    'su',
    'al',
    'lo',
    'muy',
    'escribe',
    'explica',
    'paso',
  ],
  fr: [
    'par',
    'sont',
    'cette',
    'quelle',
    'le',
    'la',
    'les',
    'des',
    'est',
    'et',
    'une',
    'un',
    'du',
    'que',
    'qui',
    'pour',
    'dans',
    'avec',
    'vous',
    'je',
    'ce',
    'pas',
    'sur',
    'au',
    'comment',
    'écris',
    'réponse',
    'ton',
    'votre',
  ],
  de: [
    'der',
    'die',
    'das',
    'und',
    'ist',
    'nicht',
    'ein',
    'eine',
    'zu',
    'mit',
    'für',
    'auf',
    'ich',
    'du',
    'sie',
    'wie',
    'was',
    'den',
    'dem',
    'von',
    'schreibe',
    'bitte',
    'deine',
    'antwort',
    'schritt',
  ],
  pt: [
    'qual',
    'foi',
    'no',
    'na',
    'ao',
    'isso',
    'mais',
    'este',
    'esta',
    'forma',
    'o',
    'os',
    'as',
    'que',
    'de',
    'e',
    'é',
    'um',
    'uma',
    'não',
    'para',
    'com',
    'do',
    'da',
    'dos',
    'em',
    'por',
    'você',
    'como',
    'seu',
    'sua',
    'escreva',
    'resposta',
    'explique',
    'passo',
  ],
  it: [
    'il',
    'di',
    'che',
    'è',
    'e',
    'la',
    'per',
    'un',
    'una',
    'non',
    'sono',
    'della',
    'con',
    'come',
    'scrivi',
    'gli',
    'del',
  ],
  nl: [
    'de',
    'het',
    'een',
    'en',
    'is',
    'van',
    'niet',
    'dat',
    'ik',
    'je',
    'voor',
    'met',
    'zijn',
    'hoe',
    'wat',
    'schrijf',
  ],
};
const LATIN_LANGUAGES = Object.keys(LATIN_STOPWORDS);

/** Stopword hash → share of a vote per language (a word in k languages gives 1/k to each). */
const STOPWORD_VOTES = new Map<number, Float64Array>();
/** Open-addressing copy of the stopword hashes for the hot path (no Map lookups per word). */
const STOPWORD_TABLE_BITS = 10;
const stopwordKeys = new Uint32Array(1 << STOPWORD_TABLE_BITS);
const stopwordVotes: (Float64Array | undefined)[] = new Array(1 << STOPWORD_TABLE_BITS).fill(
  undefined,
);
LATIN_LANGUAGES.forEach((language, bit) => {
  for (const word of LATIN_STOPWORDS[language] ?? []) {
    const hash = hashString(word);
    const votes = STOPWORD_VOTES.get(hash) ?? new Float64Array(LATIN_LANGUAGES.length);
    votes[bit] = 1;
    STOPWORD_VOTES.set(hash, votes);
  }
});
for (const [hash, votes] of STOPWORD_VOTES) {
  const total = votes.reduce((sum, vote) => sum + vote, 0);
  for (let bit = 0; bit < votes.length; bit++) votes[bit]! /= total;
  let slot = hash & ((1 << STOPWORD_TABLE_BITS) - 1);
  while (stopwordVotes[slot] !== undefined) slot = (slot + 1) & ((1 << STOPWORD_TABLE_BITS) - 1);
  stopwordKeys[slot] = hash;
  stopwordVotes[slot] = votes;
}

function stopwordVotesOf(hash: number): Float64Array | undefined {
  let slot = hash & ((1 << STOPWORD_TABLE_BITS) - 1);
  for (let votes = stopwordVotes[slot]; votes !== undefined; votes = stopwordVotes[slot]) {
    if (stopwordKeys[slot] === hash) return votes;
    slot = (slot + 1) & ((1 << STOPWORD_TABLE_BITS) - 1);
  }
  return undefined;
}

/** Words (or CJK characters) read before deciding: the language of a prompt shows early. */
const MAX_TOKENS = 160;

/**
 * Accumulates language evidence token by token (the tokenizer feeds it; no second pass):
 * script shares first, then Latin function words.
 */
export class LanguageVotes {
  private latin = 0;
  private cyrillic = 0;
  private han = 0;
  private kana = 0;
  private hangul = 0;
  private arabic = 0;
  private other = 0;
  private tokens = 0;
  private readonly votes = new Float64Array(LATIN_LANGUAGES.length);

  reset(): void {
    this.latin = 0;
    this.cyrillic = 0;
    this.han = 0;
    this.kana = 0;
    this.hangul = 0;
    this.arabic = 0;
    this.other = 0;
    this.tokens = 0;
    this.votes.fill(0);
  }

  get full(): boolean {
    return this.tokens >= MAX_TOKENS;
  }

  /** A word whose first letter is `firstCode`, `hash` = FNV-1a of the lowercased word. */
  addWord(firstCode: number, hash: number): void {
    this.tokens += 1;
    const script = SCRIPT_OF[firstCode]!;
    if (script === SCRIPT_LATIN) {
      this.latin += 1;
      const votes = stopwordVotesOf(hash);
      if (votes !== undefined)
        for (let bit = 0; bit < votes.length; bit++) this.votes[bit]! += votes[bit]!;
    } else if (script === SCRIPT_CYRILLIC) this.cyrillic += 1;
    else if (script === SCRIPT_HANGUL) this.hangul += 1;
    else if (script === SCRIPT_ARABIC) this.arabic += 1;
    else this.other += 1;
  }

  addIdeograph(code: number): void {
    this.tokens += 1;
    if (SCRIPT_OF[code] === SCRIPT_KANA) this.kana += 1;
    else this.han += 1;
  }

  /** ISO 639-1 code, or `und`. */
  result(): string {
    // A CJK character carries about half a word.
    const cjk = (this.han + this.kana) / 2;
    const best = Math.max(this.latin, this.cyrillic, cjk, this.hangul, this.arabic, this.other);
    if (best === 0) return 'und';
    if (best === cjk) return this.kana * 10 >= this.han || this.kana >= 3 ? 'ja' : 'zh';
    if (best === this.hangul) return 'ko';
    if (best === this.cyrillic) return 'ru';
    if (best === this.arabic) return 'ar';
    if (best === this.other) return 'und';
    let bestLanguage = -1;
    let bestVotes = 0;
    for (let bit = 0; bit < this.votes.length; bit++) {
      if (this.votes[bit]! > bestVotes) {
        bestVotes = this.votes[bit]!;
        bestLanguage = bit;
      }
    }
    return bestLanguage < 0 ? 'und' : LATIN_LANGUAGES[bestLanguage]!;
  }
}

const shared = new LanguageVotes();

/**
 * ISO 639-1 guess (`en`, `zh`, `ja`, `ko`, `ru`, `ar`, `es`, `fr`, `de`, `pt`, `it`, `nl`) or `und`.
 * Kana means Japanese even amid kanji; Latin script is told apart by function words.
 *
 * @example detectLanguage('请一步一步地思考') // 'zh'
 */
export function detectLanguage(text: string): string {
  const lower = text.toLowerCase();
  shared.reset();
  let index = 0;
  while (index < lower.length && !shared.full) {
    const code = lower.charCodeAt(index);
    const charClass = CHAR_CLASS[code]!;
    if (charClass === CLASS_IDEOGRAPH) {
      shared.addIdeograph(code);
      index += 1;
    } else if (charClass === CLASS_WORD) {
      let hash = 0x811c9dc5;
      const first = code;
      while (index < lower.length && CHAR_CLASS[lower.charCodeAt(index)] === CLASS_WORD) {
        hash = Math.imul(hash ^ lower.charCodeAt(index), 0x01000193);
        index += 1;
      }
      shared.addWord(first, hash >>> 0);
    } else index += 1;
  }
  return shared.result();
}
