import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Result } from '../shared/distillguard-error.js';
import { parseJsonLine } from './parse-json-line.js';

const keep = (value: unknown): Result<unknown, string> => ({ success: true, value });
const needsId = (value: unknown): Result<unknown, string> =>
  typeof value === 'object' && value !== null && 'id' in value
    ? { success: true, value }
    : { success: false, error: 'id: required' };

const cases: {
  name: string;
  text: string;
  parse?: (value: unknown) => Result<unknown, string>;
  maxLineLength?: number;
  expected: Result<unknown, string> | undefined;
}[] = [
  { name: 'a record', text: '{"id":1}', expected: { success: true, value: { id: 1 } } },
  { name: 'CRLF line', text: '{"id":1}\r', expected: { success: true, value: { id: 1 } } },
  { name: 'blank line', text: '', expected: undefined },
  { name: 'whitespace only', text: ' \t ', expected: undefined },
  { name: 'a lone carriage return', text: '\r', expected: undefined },
  {
    name: 'malformed JSON',
    text: '{"id":',
    expected: { success: false, error: 'malformed JSON (Unexpected end of JSON input)' },
  },
  {
    name: 'a byte-order mark is not whitespace',
    text: '\ufeff{"id":1}',
    expected: {
      success: false,
      error: `malformed JSON (Unexpected token '\ufeff', "\ufeff{"id":1}" is not valid JSON)`,
    },
  },
  {
    name: 'the record parser rejects',
    text: '{"other":1}',
    parse: needsId,
    expected: { success: false, error: 'id: required' },
  },
  {
    name: 'too long (the \\r does not count)',
    text: '{"id":12}\r',
    maxLineLength: 8,
    expected: { success: false, error: 'line longer than 8 characters' },
  },
  {
    name: 'at the length limit',
    text: '{"id":1}\r',
    maxLineLength: 8,
    expected: { success: true, value: { id: 1 } },
  },
];

for (const { name, text, parse = keep, maxLineLength, expected } of cases) {
  test(`parseJsonLine: ${name}`, () => {
    assert.deepEqual(parseJsonLine(text, parse, maxLineLength), expected);
  });
}
