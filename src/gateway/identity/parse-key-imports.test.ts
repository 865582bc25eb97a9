import assert from 'node:assert/strict';
import { hash as digest } from 'node:crypto';
import { test } from 'node:test';
import { parseKeyImport, parseKeyImports } from './parse-key-imports.js';

const hex = digest('sha256', 'sk-a-key-0001', 'hex');

const cases = [
  {
    name: 'a JSON array (positions from 1)',
    body: JSON.stringify([
      { account_id: 'a', key_sha256: hex.toUpperCase() },
      { account_id: 'b', key: 'sk-a-key-0001', revoked_at: null },
    ]),
    entries: [
      { line: 1, accountId: 'a', sha256Hex: hex },
      { line: 2, accountId: 'b', sha256Hex: hex },
    ],
  },
  {
    name: 'JSON Lines with blank lines (line numbers kept)',
    body: `\n${JSON.stringify({ account_id: 'a', key: 'sk-a-key-0001', created_at: '2026-01-01T00:00:00Z' })}\n\n`,
    entries: [{ line: 2, accountId: 'a', sha256Hex: hex, createdAt: '2026-01-01T00:00:00Z' }],
  },
  {
    name: 'one pretty-printed object',
    body: JSON.stringify({ account_id: 'a', key_sha256: hex }, null, 2),
    entries: [{ line: 1, accountId: 'a', sha256Hex: hex }],
  },
];
for (const { name, body, entries } of cases)
  test(`parseKeyImports: ${name}`, () => {
    assert.deepEqual(parseKeyImports(body), { entries, issues: [] });
  });

test('parseKeyImports: every bad line is reported, with its number, never its key', () => {
  const body = [
    JSON.stringify({ account_id: 'a', key: 'sk short' }),
    'not json sk-secret-on-a-bad-line',
    JSON.stringify({ account_id: 'a' }),
    JSON.stringify({ account_id: '', key_sha256: hex }),
  ].join('\n');
  const { entries, issues } = parseKeyImports(body);
  assert.deepEqual(entries, []);
  assert.deepEqual(
    issues.map((issue) => [issue.line, issue.code]),
    [
      [1, 'invalid_key_import'],
      [2, 'malformed_json'],
      [3, 'invalid_key_import'],
      [4, 'invalid_key_import'],
    ],
  );
  assert.ok(!JSON.stringify(issues).includes('sk'), JSON.stringify(issues));
});

test('parseKeyImports: a broken JSON array is one issue', () => {
  assert.deepEqual(parseKeyImports('[{"account_id":').issues, [
    { line: 1, code: 'malformed_json', message: 'the JSON array does not parse' },
  ]);
});

test('parseKeyImport: the account comes from the route, not the body', () => {
  assert.deepEqual(parseKeyImport({ key_sha256: hex }, 'acct_route'), {
    line: 1,
    accountId: 'acct_route',
    sha256Hex: hex,
  });
  assert.equal(
    (parseKeyImport({ account_id: 'x', key_sha256: hex }, 'acct_route') as { code: string }).code,
    'invalid_key_import',
  );
});
