import type { BuiltInRedaction } from './governance-config.js';

/** A named pattern: every match in a stored body becomes `[redacted:<name>]`. */
export interface RedactionRule {
  name: string;
  pattern: RegExp;
  /** A match is replaced only when this holds (a Luhn check for card numbers). */
  accept?: (match: string) => boolean;
}

/** The Luhn checksum that every payment card number satisfies (most digit runs do not). */
function passesLuhn(match: string): boolean {
  const digits = match.replace(/\D/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

// Card numbers before phone numbers: a card's digit groups would otherwise read as a phone.
const BUILT_IN: Record<BuiltInRedaction, RedactionRule> = {
  email: {
    name: 'email',
    pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
  },
  // Provider key shapes (OpenAI, Anthropic, AWS, GitHub, Slack, Google) and bearer tokens.
  api_key: {
    name: 'api_key',
    pattern:
      /\b(?:sk-(?:ant-|proj-|live-|test-)?[A-Za-z0-9_-]{16,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35})|\bBearer\s+[A-Za-z0-9._~+/-]{16,}=*/g,
  },
  card_number: {
    name: 'card_number',
    pattern: /\b\d(?:[ -]?\d){12,18}\b/g,
    accept: passesLuhn,
  },
  // International (+cc) or grouped national numbers: 3 digit groups, not part of a longer run.
  phone: {
    name: 'phone',
    pattern:
      /(?<![\w+]|\d[ .-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}[ .-]\d{3,4}[ .-]\d{3,4}(?![\w-]|[ .-]\d)/g,
  },
};

const CARD_FIRST: BuiltInRedaction[] = ['api_key', 'email', 'card_number', 'phone'];

/**
 * The redaction of one text under the given rules (built-ins by name, then custom patterns),
 * compiled once. Replaces each match with `[redacted:<name>]` and leaves the rest as it was.
 *
 * @example
 * createTextRedactor({ builtIns: ['email'] })('write to ana@example.org'); // 'write to [redacted:email]'
 */
export function createTextRedactor({
  builtIns = [],
  patterns = [],
}: {
  builtIns?: readonly BuiltInRedaction[];
  patterns?: readonly { name: string; pattern: string }[];
}): (text: string) => string {
  const rules: RedactionRule[] = [
    ...CARD_FIRST.filter((name) => builtIns.includes(name)).map((name) => BUILT_IN[name]),
    ...patterns.map(({ name, pattern }) => ({ name, pattern: new RegExp(pattern, 'g') })),
  ];
  if (rules.length === 0) return (text) => text;
  return (text) => {
    let result = text;
    for (const { name, pattern, accept } of rules) {
      result = result.replace(pattern, (match) =>
        accept && !accept(match) ? match : `[redacted:${name}]`,
      );
    }
    return result;
  };
}
