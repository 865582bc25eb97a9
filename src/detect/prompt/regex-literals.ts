// Reading regex sources as literals: how the cue matcher finds the fixed text a pattern starts
// with, so it can file each alternative under a trigger key instead of running every regex.

/** Splits a regex source at its top-level `|`. */
export function splitAlternatives(pattern: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index]!;
    if (character === '\\') {
      index += 1;
      continue;
    }
    if (inClass) {
      if (character === ']') inClass = false;
      continue;
    }
    if (character === '[') inClass = true;
    else if (character === '(') depth += 1;
    else if (character === ')') depth -= 1;
    else if (character === '|' && depth === 0) {
      parts.push(pattern.slice(from, index));
      from = index + 1;
    }
  }
  parts.push(pattern.slice(from));
  return parts;
}

/** Index just past the group that opens at `open`, or -1. */
function groupEnd(pattern: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let index = open; index < pattern.length; index++) {
    const character = pattern[index]!;
    if (character === '\\') {
      index += 1;
      continue;
    }
    if (inClass) {
      if (character === ']') inClass = false;
      continue;
    }
    if (character === '[') inClass = true;
    else if (character === '(') depth += 1;
    else if (character === ')') {
      depth -= 1;
      if (depth === 0) return index + 1;
    }
  }
  return -1;
}

/**
 * `\b(a|b|c) rest` → `\ba rest`, `\bb rest`, `\bc rest`: each word then sits under its own
 * trigger key, so a key's regex holds only the phrasings that can start there.
 */
export function distributeLeadingGroup(alternative: string): string[] {
  const lead = alternative.startsWith('\\b') ? '\\b' : '';
  const open = lead.length;
  if (alternative[open] !== '(' || alternative[open + 1] === '?') return [alternative];
  const end = groupEnd(alternative, open);
  if (end < 0 || '?*+{'.includes(alternative[end] ?? '')) return [alternative];
  const options = splitAlternatives(alternative.slice(open + 1, end - 1));
  const rest = alternative.slice(end);
  return options.flatMap((option) => splitAlternatives(option).map((part) => lead + part + rest));
}

/** Makes plain `(` groups non-capturing (cheaper, and nothing reads them). */
export function toNonCapturing(pattern: string): string {
  let output = '';
  let inClass = false;
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index]!;
    if (character === '\\') {
      output += character + (pattern[index + 1] ?? '');
      index += 1;
      continue;
    }
    if (inClass) {
      if (character === ']') inClass = false;
      output += character;
      continue;
    }
    if (character === '[') inClass = true;
    if (character === '(' && pattern[index + 1] !== '?') output += '(?:';
    else output += character;
  }
  return output;
}

export function isAsciiWordCode(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f
  );
}

const REGEX_SYNTAX = /[[\](){}|?*+.^$]/;

/**
 * The plain text of a pattern with no regex syntax besides `\b` at its ends and escaped
 * punctuation (`python`, `\bhow many\b`, `\\boxed`), or null.
 */
export function literalOf(source: string): { text: string; endsWord: boolean } | null {
  let body = source;
  if (body.startsWith('\\b')) body = body.slice(2);
  const endsWord = body.endsWith('\\b') && !body.endsWith('\\\\b');
  if (endsWord) body = body.slice(0, -2);
  let text = '';
  for (let index = 0; index < body.length; index++) {
    const character = body[index]!;
    if (character === '\\') {
      const escaped = body[index + 1] ?? '';
      if (escaped === '' || /[0-9A-Za-z]/.test(escaped)) return null;
      text += escaped;
      index += 1;
      continue;
    }
    if (REGEX_SYNTAX.test(character)) return null;
    text += character;
  }
  return text === '' ? null : { text, endsWord };
}

/**
 * The literal characters every match of a (sticky, `|`-free) pattern starts with: `\bwithout
 * (?:any )?words` → `without `. A character made optional by `?`, `*` or `{` is left out, and
 * reading stops at the first regex construct. '' when the pattern starts with one.
 */
export function literalPrefixOf(source: string): string {
  let index = source.startsWith('\\b') ? 2 : 0;
  // A leading lookbehind reads text before the position: the match itself starts after it.
  if (source.startsWith('(?<=', index) || source.startsWith('(?<!', index)) {
    const end = groupEnd(source, index);
    if (end < 0) return '';
    index = end;
  }
  let prefix = '';
  while (index < source.length) {
    const character = source[index]!;
    let literal = character;
    let width = 1;
    if (character === '\\') {
      const escaped = source[index + 1] ?? '';
      if (escaped === '' || /[0-9A-Za-z]/.test(escaped)) break;
      literal = escaped;
      width = 2;
    } else if (REGEX_SYNTAX.test(character)) break;
    const after = source[index + width] ?? '';
    if (after === '?' || after === '*' || after === '{') break;
    prefix += literal;
    if (after === '+') break;
    index += width;
  }
  return prefix;
}
