/** Bit flags of the writing systems present in a text. */
export const SCRIPT_LATIN = 1;
export const SCRIPT_CYRILLIC = 2;
export const SCRIPT_HAN = 4;
export const SCRIPT_KANA = 8;
export const SCRIPT_HANGUL = 16;
export const SCRIPT_ARABIC = 32;
export const SCRIPT_OTHER = 64;

/** Script of one UTF-16 code unit that is a letter, or 0 (digits, punctuation, spaces, symbols). */
export function scriptOf(code: number): number {
  if (code < 0x80) return (code | 0x20) >= 0x61 && (code | 0x20) <= 0x7a ? SCRIPT_LATIN : 0;
  if (code < 0x250) return code >= 0xc0 && code !== 0xd7 && code !== 0xf7 ? SCRIPT_LATIN : 0;
  if (code >= 0x400 && code <= 0x52f) return SCRIPT_CYRILLIC;
  if (code >= 0x600 && code <= 0x6ff) {
    return (code >= 0x620 && code <= 0x64a) || (code >= 0x671 && code <= 0x6d3) ? SCRIPT_ARABIC : 0;
  }
  if (code >= 0x3040 && code <= 0x30ff) return code === 0x30fb || code === 0x30fc ? 0 : SCRIPT_KANA;
  if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf)) return SCRIPT_HAN;
  if ((code >= 0xac00 && code <= 0xd7a3) || (code >= 0x1100 && code <= 0x11ff))
    return SCRIPT_HANGUL;
  if (code >= 0x1e00 && code <= 0x1eff) return SCRIPT_LATIN;
  if (code >= 0x2000 && code <= 0x2bff) return 0;
  if (code >= 0x3000 && code <= 0x303f) return 0;
  if (code >= 0xff00 && code <= 0xffef) return 0;
  if (code >= 0xd800 && code <= 0xdfff) return 0;
  return SCRIPT_OTHER;
}
