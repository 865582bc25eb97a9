import type { Result } from '../../shared/distillguard-error.js';

/** One comparison of a STIX pattern: `ipv4-addr:value = '203.0.113.7'`. */
export interface PatternComparison {
  /** `ipv4-addr:value`, `network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'`. */
  objectPath: string;
  operator: string;
  value: string | number | boolean;
}

/** A STIX string literal: single quotes, with `\` and `'` escaped. */
export function stixString(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** One observation expression whose comparisons all must hold. */
export function renderObservation(comparisons: PatternComparison[]): string {
  const parts = comparisons.map(({ objectPath, operator, value }) => {
    const literal = typeof value === 'string' ? stixString(value) : String(value);
    return `${objectPath} ${operator} ${literal}`;
  });
  return `[${parts.join(' AND ')}]`;
}

const TOKEN =
  /\s*(?:(\[)|(\])|('(?:[^'\\]|\\.)*')|(-?\d+(?:\.\d+)?)\b|([a-z0-9-]+:(?:[A-Za-z0-9_.-]|'(?:[^'\\]|\\.)*'|\[\*?\d*\])+)|(!=|<=|>=|=|<|>|[A-Z]+|true|false)|(\(|\)))/y;

/**
 * Parses the subset of STIX patterning that indicators of this kind use: observation expressions
 * `[...]` joined by OR, comparisons joined by AND / OR (AND binds tighter), no parentheses or
 * qualifiers. Returns the alternatives, each a list of comparisons that must all hold.
 * Anything else is `{ success: false }`: the caller skips that indicator, it does not throw.
 *
 * @example
 * parseStixPattern("[ipv4-addr:value = '203.0.113.7'] OR [ipv4-addr:value = '198.51.100.3']")
 * // { success: true, value: [[{ objectPath: 'ipv4-addr:value', operator: '=', value: '203.0.113.7' }], [ … ]] }
 */
export function parseStixPattern(pattern: string): Result<PatternComparison[][], string> {
  const tokens: { kind: string; text: string }[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < pattern.length) {
    if (pattern.slice(TOKEN.lastIndex).trim() === '') break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(pattern);
    if (!match) return { success: false, error: `unexpected text at ${start}` };
    const [, open, close, string, number, path, operator, parenthesis] = match;
    if (open) tokens.push({ kind: '[', text: open });
    else if (close) tokens.push({ kind: ']', text: close });
    else if (string) tokens.push({ kind: 'string', text: unquote(string) });
    else if (number) tokens.push({ kind: 'number', text: number });
    else if (path) tokens.push({ kind: 'path', text: path });
    else if (operator) tokens.push({ kind: 'word', text: operator });
    else if (parenthesis) return { success: false, error: 'parentheses are not supported' };
  }
  const alternatives: PatternComparison[][] = [];
  let index = 0;
  const next = () => tokens[index++];
  while (index < tokens.length) {
    if (next()?.kind !== '[') return { success: false, error: 'expected [' };
    let conjunction: PatternComparison[] = [];
    for (;;) {
      const path = next();
      const operator = next();
      const literal = next();
      if (path?.kind !== 'path' || operator?.kind !== 'word' || !literal) {
        return { success: false, error: 'expected <object-path> <operator> <literal>' };
      }
      const value =
        literal.kind === 'string'
          ? literal.text
          : literal.kind === 'number'
            ? Number(literal.text)
            : literal.text === 'true' || literal.text === 'false'
              ? literal.text === 'true'
              : undefined;
      if (value === undefined)
        return { success: false, error: `unsupported literal ${literal.text}` };
      conjunction.push({ objectPath: path.text, operator: operator.text, value });
      const joiner = next();
      if (joiner?.kind === ']') break;
      if (joiner?.text === 'AND') continue;
      if (joiner?.text === 'OR') {
        alternatives.push(conjunction);
        conjunction = [];
        continue;
      }
      return { success: false, error: `unsupported token ${joiner?.text ?? 'end of pattern'}` };
    }
    alternatives.push(conjunction);
    const after = tokens[index];
    if (after === undefined) break;
    if (after.text !== 'OR') return { success: false, error: `unsupported token ${after.text}` };
    index++;
  }
  if (alternatives.length === 0) return { success: false, error: 'empty pattern' };
  return { success: true, value: alternatives };
}

function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, '$1');
}
