import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from './parse-duration.js';

test('parseDuration reads ms, s, m, h and bare seconds; rejects the rest', () => {
  const cases: [string, number | undefined][] = [
    ['5s', 5000],
    ['250ms', 250],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['0', 0],
    ['1.5s', 1500],
    ['-1s', undefined],
    ['5 sec', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of cases) {
    const result = parseDuration(text);
    assert.deepEqual(result.success ? result.value : undefined, expected, text);
  }
});
