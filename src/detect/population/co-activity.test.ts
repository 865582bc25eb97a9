import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coActivePairs } from './co-activity.js';

const DAY = 96; // 15-minute buckets per day

function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Evening-heavy buckets of an independent user: a few sessions over `days`. */
function diurnal(random: () => number, days: number, sessions: number): number[] {
  const buckets = new Set<number>();
  for (let session = 0; session < sessions; session += 1) {
    const day = Math.floor(random() * days);
    const hour = 17 + Math.floor(random() * 6); // evenings, the background's peak
    buckets.add(day * DAY + hour * 4 + Math.floor(random() * 4));
  }
  return [...buckets].sort((a, b) => a - b);
}

/** A scheduler walking a pool in two daily windows (09:00 and 20:00, an hour each). */
function pooled(days: number): number[] {
  const buckets: number[] = [];
  for (let day = 0; day < days; day += 1)
    for (const hour of [9, 20])
      for (let q = 0; q < 4; q += 1) buckets.push(day * DAY + hour * 4 + q);
  return buckets;
}

function population(groups: Map<number, number[]>) {
  const active = new Map<number, number>();
  let total = 0;
  for (const buckets of groups.values())
    for (const bucket of buckets) {
      active.set(bucket, (active.get(bucket) ?? 0) + 1);
      total += 1;
    }
  return { activeIn: (bucket: number) => active.get(bucket) ?? 0, totalActivity: total };
}

const cases: { name: string; operator: boolean; build: (random: () => number) => number[] }[] = [
  { name: 'operator pool in two daily windows', operator: true, build: () => pooled(3) },
  {
    name: 'students doing homework in the evenings',
    operator: false,
    build: (random) => diurnal(random, 3, 8),
  },
  {
    name: 'heavy independent users, many sessions',
    operator: false,
    build: (random) => diurnal(random, 3, 20),
  },
];

for (const { name, operator, build } of cases) {
  test(`co-activity: ${name} → ${operator ? 'linked' : 'not linked'}`, () => {
    const random = randomFrom(7);
    const groups = new Map<number, number[]>();
    // Background: 300 independent users following the evening curve.
    for (let account = 0; account < 300; account += 1) groups.set(account, diurnal(random, 3, 6));
    const members: number[] = [];
    for (let account = 1000; account < 1010; account += 1) {
      groups.set(account, build(random));
      members.push(account);
    }
    const { activeIn, totalActivity } = population(groups);
    const pairs = coActivePairs({
      members,
      buckets: (account) => groups.get(account) ?? [],
      activeIn,
      totalActivity,
    });
    if (operator) assert.equal(pairs.length, 45, 'every pair of the pool is synchronised');
    else assert.equal(pairs.length, 0, `found ${JSON.stringify(pairs[0])}`);
  });
}
