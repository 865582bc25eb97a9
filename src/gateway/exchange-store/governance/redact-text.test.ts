import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTextRedactor } from './redact-text.js';

const redact = createTextRedactor({
  builtIns: ['email', 'api_key', 'card_number', 'phone'],
  patterns: [{ name: 'ticket', pattern: 'TCK-\\d{4,}' }],
});

// [text in, text out]: each pattern removed, everything else left exactly as it was.
const cases: [string, string][] = [
  ['mail ana.ruiz+ml@example.co.uk today', 'mail [redacted:email] today'],
  ['key sk-proj-AbCdEf0123456789xyzXYZ ok', 'key [redacted:api_key] ok'],
  ['anthropic sk-ant-api03-abcdefghijklmnop_QR', 'anthropic [redacted:api_key]'],
  ['aws AKIAIOSFODNN7EXAMPLE here', 'aws [redacted:api_key] here'],
  ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload', 'Authorization: [redacted:api_key]'],
  ['pay 4111 1111 1111 1111 now', 'pay [redacted:card_number] now'],
  ['card 5500-0000-0000-0004.', 'card [redacted:card_number].'],
  ['call +1 415 555 0100 or 020 7946 0958', 'call [redacted:phone] or [redacted:phone]'],
  ['order TCK-20931 shipped', 'order [redacted:ticket] shipped'],
  // Not personal data: kept.
  ['digits 1234 5678 9012 3456 fail Luhn', 'digits 1234 5678 9012 3456 fail Luhn'],
  ['on 2026-03-02 at 10:15, 17 x 23 = 391', 'on 2026-03-02 at 10:15, 17 x 23 = 391'],
  ['version 1.24.3 and port 8080', 'version 1.24.3 and port 8080'],
  ['Explain step by step why the sky is blue.', 'Explain step by step why the sky is blue.'],
];

for (const [input, expected] of cases) {
  test(`redacts ${JSON.stringify(input)}`, () => {
    assert.equal(redact(input), expected);
  });
}

test('no rules: the text is returned as it is', () => {
  assert.equal(createTextRedactor({})('ana@example.org'), 'ana@example.org');
});
