/** Token kinds of the skeleton; fillers (numbers, quotes, code, links, names) hash to one value each. */
export const TOKEN_WORD = 1;
export const TOKEN_NAME = 2;
export const TOKEN_NUMBER = 3;
export const TOKEN_QUOTED = 4;
export const TOKEN_CODE = 5;
export const TOKEN_LINK = 6;
export const TOKEN_EMAIL = 7;
export const TOKEN_PUNCTUATION = 8;
export const TOKEN_IDEOGRAPH = 9;

/** Words, names and CJK characters: what counts as a word of a line. */
export function isWordKind(kind: number): boolean {
  return kind === TOKEN_WORD || kind === TOKEN_NAME || kind === TOKEN_IDEOGRAPH;
}

/** `?` `!` `.` and their CJK / Arabic forms. */
export function isSentenceEnd(code: number): boolean {
  return (
    code === 0x3f ||
    code === 0x21 ||
    code === 0x2e ||
    code === 0x3002 ||
    code === 0xff1f ||
    code === 0xff01 ||
    code === 0x61f
  );
}

export function isQuestionMark(code: number): boolean {
  return code === 0x3f || code === 0xff1f || code === 0x61f;
}
