/**
 * `JSON.stringify` writes a lone surrogate (half of a UTF-16 pair, e.g. `"\ud800"` sent by a
 * client) as the escape `\ud800`, which is valid JSON but not valid Unicode: DuckDB's
 * `json_extract` fails on every row of a store holding one, and strict UTF-8 readers reject the
 * line. Stored records replace such escapes with U+FFFD (the Unicode replacement character);
 * a well-formed pair is written as the character itself and never escaped, so only lone halves
 * match. A backslash preceded by an odd run of backslashes is an escaped backslash, not an escape.
 */
const LONE_SURROGATE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u[dD][89a-fA-F][0-9a-fA-F]{2}/g;

/**
 * `JSON.stringify` whose output holds no lone surrogate: each becomes U+FFFD.
 *
 * @example
 * stringifyWellFormed({ text: 'a\ud800b' }); // '{"text":"a\\ufffdb"}' (the character itself)
 */
export function stringifyWellFormed(value: unknown): string {
  const text = JSON.stringify(value);
  // Fast path: no escape of the surrogate range at all (every ordinary record). `includes` first:
  // most records hold no `\u` escape at all, and it is ~10× cheaper than the regex on 650 bytes.
  if (text === undefined || !text.includes('\\u') || !/\\u[dD]/.test(text)) return text;
  return text.replace(LONE_SURROGATE_ESCAPE, '$1\ufffd');
}
