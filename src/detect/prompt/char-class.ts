import {
  SCRIPT_ARABIC,
  SCRIPT_CYRILLIC,
  SCRIPT_HAN,
  SCRIPT_HANGUL,
  SCRIPT_KANA,
  SCRIPT_LATIN,
  scriptOf,
} from './script-profile.js';

/** Character classes of the tokenizers, one table lookup per UTF-16 code unit. */
export const CLASS_OTHER = 0;
export const CLASS_SPACE = 1;
export const CLASS_NEWLINE = 2;
export const CLASS_DIGIT = 3;
export const CLASS_WORD = 4;
export const CLASS_IDEOGRAPH = 5;

function classify(code: number): number {
  if (code === 0x0a) return CLASS_NEWLINE;
  if (code === 0x20 || code === 0x09 || code === 0x0d || code === 0xa0 || code === 0x3000) {
    return CLASS_SPACE;
  }
  if (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x660 && code <= 0x669) ||
    (code >= 0xff10 && code <= 0xff19)
  ) {
    return CLASS_DIGIT;
  }
  if (code === 0x5f) return CLASS_WORD;
  const script = scriptOf(code);
  if (script === SCRIPT_HAN || script === SCRIPT_KANA) return CLASS_IDEOGRAPH;
  if (code >= 0x30fb && code <= 0x30fc) return CLASS_IDEOGRAPH;
  if (script === 0) {
    // Combining marks (accents, Arabic harakat) stay inside their word.
    if ((code >= 0x300 && code <= 0x36f) || (code >= 0x64b && code <= 0x65f)) return CLASS_WORD;
    return CLASS_OTHER;
  }
  return CLASS_WORD;
}

/** `CHAR_CLASS[code]` for every UTF-16 code unit (64 KiB, built once). */
export const CHAR_CLASS: Uint8Array = (() => {
  const table = new Uint8Array(65536);
  for (let code = 0; code < 65536; code++) table[code] = classify(code);
  return table;
})();

/** Characters of a word's prefix that form its trigger key: Hangul syllables say more per character. */
export const PREFIX_CHARS: Uint8Array = (() => {
  const table = new Uint8Array(65536).fill(4);
  for (let code = 0; code < 65536; code++) {
    const script = scriptOf(code);
    if (script === SCRIPT_HANGUL || script === SCRIPT_HAN || script === SCRIPT_KANA)
      table[code] = 1;
  }
  return table;
})();

/** `SCRIPT_OF[code]`: script flag of a letter (see script-profile.ts), 0 otherwise. */
export const SCRIPT_OF: Uint8Array = (() => {
  const table = new Uint8Array(65536);
  for (let code = 0; code < 65536; code++) table[code] = scriptOf(code);
  return table;
})();

export { SCRIPT_ARABIC, SCRIPT_CYRILLIC, SCRIPT_HAN, SCRIPT_HANGUL, SCRIPT_KANA, SCRIPT_LATIN };

/** Trigger key of a digit run (all numbers share one). */
export const DIGIT_KEY = 0x1b873593;

const FNV_OFFSET = 0x811c9dc5;

/**
 * Trigger key of the token starting at `index` in lowercased `text`: the FNV-1a hash of the
 * first 1–4 word characters (4 for alphabetic scripts, 1 for CJK and Hangul), `DIGIT_KEY` for a
 * number, the character itself for punctuation. Cue patterns are indexed by the same key.
 */
export function triggerKeyAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  const charClass = CHAR_CLASS[code]!;
  if (charClass === CLASS_DIGIT) return DIGIT_KEY;
  let hash = Math.imul(FNV_OFFSET ^ code, 0x01000193);
  if (charClass !== CLASS_WORD) return hash >>> 0;
  const limit = Math.min(text.length, index + PREFIX_CHARS[code]!);
  for (let position = index + 1; position < limit; position++) {
    const next = text.charCodeAt(position);
    if (CHAR_CLASS[next] !== CLASS_WORD) break;
    hash = Math.imul(hash ^ next, 0x01000193);
  }
  return hash >>> 0;
}
