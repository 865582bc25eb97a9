import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoTimestamp } from './iso-timestamp.js';

const cases: { name: string; ms: number }[] = [
  { name: 'epoch', ms: 0 },
  { name: 'one millisecond', ms: 1 },
  { name: 'two-digit milliseconds', ms: Date.UTC(2026, 11, 7, 15, 0, 0, 42) },
  { name: 'three-digit milliseconds', ms: Date.UTC(2026, 11, 7, 15, 0, 0, 999) },
  { name: 'the next second', ms: Date.UTC(2026, 11, 7, 15, 0, 1, 0) },
  { name: 'end of a year', ms: Date.UTC(2025, 11, 31, 23, 59, 59, 999) },
  { name: 'leap day', ms: Date.UTC(2028, 1, 29, 12, 0, 0, 5) },
  { name: 'fractional milliseconds (performance clocks)', ms: 1_765_119_600_123.75 },
  { name: 'before 1970', ms: Date.UTC(1969, 6, 20, 20, 17, 40, 7) },
  { name: 'before 1970, fractional', ms: -1.5 },
  { name: 'a six-digit year', ms: Date.UTC(20_000, 0, 1) },
];

for (const { name, ms } of cases) {
  test(`isoTimestamp is toISOString: ${name}`, () => {
    assert.equal(isoTimestamp(ms), new Date(ms).toISOString());
  });
}

test('isoTimestamp is toISOString for 200k consecutive and scattered times (cache on and off)', () => {
  const start = Date.UTC(2026, 11, 7, 14, 59, 58, 0);
  for (let step = 0; step < 100_000; step += 1) {
    const ms = start + step * 0.37;
    assert.equal(isoTimestamp(ms), new Date(ms).toISOString());
    const scattered = (step * 7_919_993_311) % 4_102_444_800_000;
    assert.equal(isoTimestamp(scattered), new Date(scattered).toISOString());
  }
});
