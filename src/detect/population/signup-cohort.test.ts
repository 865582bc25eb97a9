import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COHORT_BUCKET_MS } from './population-tracker.js';
import { anomalousCohort } from './signup-cohort.js';

const HOUR = 3600_000;
const START = Date.parse('2026-02-02T00:00:00Z');

/** Counts sign-ups per cohort bucket from creation times; baseline = mean over the span. */
function histogram(times: number[]) {
  const counts = new Map<number, number>();
  for (const time of times) {
    const cohort = Math.floor(time / COHORT_BUCKET_MS);
    counts.set(cohort, (counts.get(cohort) ?? 0) + 1);
  }
  const cohorts = [...counts.keys()];
  const span = Math.max(...cohorts) - Math.min(...cohorts) + 1;
  return { signups: (cohort: number) => counts.get(cohort) ?? 0, baseline: times.length / span };
}

/** Background: one sign-up every 4 hours for 30 days. */
const background = Array.from({ length: 180 }, (_, i) => START + i * 4 * HOUR);

const cases: { name: string; group: number[]; cohort: boolean }[] = [
  {
    name: 'an operator opening 40 accounts in 40 minutes',
    group: Array.from({ length: 40 }, (_, i) => START + 10 * 24 * HOUR + 3 * HOUR + i * 60_000),
    cohort: true,
  },
  {
    name: 'a startup cohort of 20 signing up over one week',
    group: Array.from({ length: 20 }, (_, i) => START + 10 * 24 * HOUR + i * 8.4 * HOUR),
    cohort: false,
  },
];

for (const { name, group, cohort } of cases) {
  test(`sign-up cohort: ${name} → ${cohort ? 'cohort' : 'none'}`, () => {
    const { signups, baseline } = histogram([...background, ...group]);
    const found = group.map((created) => anomalousCohort(created, signups, baseline));
    if (cohort) assert.ok(found.every((value) => value >= 0));
    else
      assert.ok(
        found.every((value) => value === -1),
        JSON.stringify(found),
      );
  });
}

test('sign-up cohort: an account without a creation time is in none', () => {
  assert.equal(
    anomalousCohort(Number.NaN, () => 100, 1),
    -1,
  );
});
