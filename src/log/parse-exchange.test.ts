import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isRfc3339, parseExchange } from './parse-exchange.js';

/** The definition `isRfc3339` must keep: the log-v1 regex, then a real instant for `Date.parse`. */
function reference(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

describe('isRfc3339', () => {
  const cases: [string, boolean][] = [
    ['2026-11-23T12:00:00.000Z', true],
    ['2026-11-23T12:00:00Z', true],
    ['2026-11-23t12:00:00z', true],
    ['2026-11-23 12:00:00Z', true],
    ['2026-11-23T12:00:00.123456789Z', true],
    ['2026-11-23T12:00:00+05:30', true],
    ['2026-11-23T12:00:00-00:00', true],
    ['2026-02-31T00:00:00Z', true],
    ['2026-01-01T24:00:00Z', true],
    ['2026-01-01T24:00:00.000Z', true],
    ['2026-01-01T24:00:00.001Z', false],
    ['2026-01-01T24:00:01Z', false],
    ['2026-02-32T00:00:00Z', false],
    ['2026-13-01T00:00:00Z', false],
    ['2026-00-01T00:00:00Z', false],
    ['2026-01-00T00:00:00Z', false],
    ['2026-01-01T23:60:00Z', false],
    ['2026-01-01T23:59:60Z', false],
    ['2026-01-01T23:59:59+24:00', false],
    ['2026-01-01T23:59:59+23:60', false],
    ['2026-01-01T23:59:59.Z', false],
    ['2026-01-01T23:59:59', false],
    ['2026-01-01T23:59:59Zx', false],
    ['2026-01-01T23:59:59+0530', false],
    ['2026-1-01T23:59:59Z', false],
    ['２０２６-01-01T23:59:59Z', false],
    ['', false],
  ];
  for (const [value, expected] of cases) {
    test(`${JSON.stringify(value)} → ${expected}`, () => {
      assert.equal(isRfc3339(value), expected);
      assert.equal(reference(value), expected);
    });
  }

  test('agrees with the regex + Date.parse definition on mutated timestamps', () => {
    // Deterministic mutations of valid stamps: each position set to each interesting character.
    const alphabet = '0123456789:-+.TtZz xé';
    const seeds = ['2026-11-23T12:34:56.789Z', '1999-12-31T23:59:59+23:59', '2026-01-01T24:00:00Z'];
    let checked = 0;
    for (const seed of seeds) {
      for (let at = 0; at < seed.length; at++) {
        for (const character of alphabet) {
          const value = seed.slice(0, at) + character + seed.slice(at + 1);
          assert.equal(isRfc3339(value), reference(value), value);
          checked += 1;
        }
      }
      for (let cut = 0; cut <= seed.length; cut++) {
        assert.equal(isRfc3339(seed.slice(0, cut)), reference(seed.slice(0, cut)));
      }
    }
    assert.ok(checked > 1000);
  });
});

describe('parseExchange names the field at fault', () => {
  const valid = {
    id: 'ex-1',
    ts: '2026-11-23T12:00:00.000Z',
    account_id: 'acct-1',
    ip: '203.0.113.7',
    endpoint: 'chat.completions',
    model: 'model-a',
    request: { messages: [] },
    response: { input_tokens: 1, output_tokens: 2 },
    status: 200,
  };
  const cases: [string, Record<string, unknown>, RegExp | null][] = [
    ['a valid exchange', {}, null],
    ['null optional strings', { user_agent: null, org_id: null }, null],
    ['a numeric user agent', { user_agent: 5 }, /`user_agent` must be a string/],
    ['a numeric header order', { header_order: ['a'] }, /`header_order` must be a string/],
    ['an API key id object', { api_key_id: {} }, /`api_key_id` must be a string/],
    ['a space-separated timestamp', { ts: '2026-11-23 12:00:00Z' }, null],
    ['an hour-25 timestamp', { ts: '2026-11-23T25:00:00Z' }, /`ts`/],
    ['output tokens as text', { response: { output_tokens: '2' } }, /response\.output_tokens/],
    ['input tokens as text', { response: { input_tokens: '1' } }, /response\.input_tokens/],
    ['a response array', { response: [] }, /`response` must be an object/],
  ];
  for (const [name, change, error] of cases) {
    test(name, () => {
      const parsed = parseExchange({ ...valid, ...change });
      if (error === null) assert.equal(parsed.success, true);
      else assert.match(parsed.success ? '' : parsed.error, error);
    });
  }
});
