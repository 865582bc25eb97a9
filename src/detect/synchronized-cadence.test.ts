import assert from 'node:assert/strict';
import { test } from 'node:test';
import { synchronizedCadence } from './synchronized-cadence.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Bursts kept per account, as the detector's ring does. */
const RING = 32;

/** A small deterministic generator (LCG), so each timeline is the same on every run. */
function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function keepRecent(timelines: Map<number, number[]>): Map<number, number[]> {
  return new Map([...timelines].map(([account, times]) => [account, times.slice(-RING)]));
}

/** One dispatcher handing each request to the next key in turn; throttled keys skip some turns. */
function rotation(accounts: number, stepMs: number, cycles: number, skip = 0, seed = 1) {
  const random = randomFrom(seed);
  const timelines = new Map<number, number[]>();
  let time = 0;
  for (let dispatch = 0; dispatch < accounts * cycles; dispatch++) {
    time += stepMs * (0.95 + 0.1 * random());
    if (random() < skip) continue;
    const account = dispatch % accounts;
    timelines.set(account, [...(timelines.get(account) ?? []), time]);
  }
  return keepRecent(timelines);
}

/** Jobs of `accounts` accounts firing every `periodMs` at the given minute offsets, a few seconds' jitter. */
function cron(offsetsMs: number[], periodMs: number, cycles: number, seed = 2) {
  const random = randomFrom(seed);
  const timelines = new Map<number, number[]>();
  offsetsMs.forEach((offset, account) => {
    const times: number[] = [];
    for (let cycle = 0; cycle < cycles; cycle++)
      times.push(cycle * periodMs + offset + random() * 5_000);
    timelines.set(account, times);
  });
  return keepRecent(timelines);
}

/** People behind one NAT: sessions at random times (exponential gaps). */
function humans(accounts: number, meanGapMs: number, sessions: number, seed = 3) {
  const random = randomFrom(seed);
  const timelines = new Map<number, number[]>();
  for (let account = 0; account < accounts; account++) {
    const times: number[] = [];
    let time = random() * meanGapMs;
    for (let session = 0; session < sessions; session++) {
      times.push(time);
      time += -Math.log(1 - random()) * meanGapMs + MINUTE;
    }
    timelines.set(account, times);
  }
  return keepRecent(timelines);
}

/** A dispatcher picking a key at random for each request (Poisson pacing). */
function randomPicks(accounts: number, meanGapMs: number, requests: number, seed = 4) {
  const random = randomFrom(seed);
  const timelines = new Map<number, number[]>();
  let time = 0;
  for (let request = 0; request < requests; request++) {
    time += -Math.log(1 - random()) * meanGapMs;
    const account = Math.floor(random() * accounts);
    timelines.set(account, [...(timelines.get(account) ?? []), time]);
  }
  return keepRecent(timelines);
}

const cases: {
  name: string;
  timelines: Map<number, number[]>;
  complete?: boolean;
  expected: { accounts: number; periodMinutes: number } | undefined;
}[] = [
  {
    name: 'a dispatcher rotating through five keys, one request every 11 minutes',
    timelines: rotation(5, 11 * MINUTE, 40),
    expected: { accounts: 5, periodMinutes: 55 },
  },
  {
    name: 'a rotation of 30 keys, a fifth of the turns skipped by throttled keys',
    timelines: rotation(30, 80_000, 40, 0.2),
    expected: { accounts: 30, periodMinutes: 40 },
  },
  {
    name: 'a sample of a large rotation (every tenth of 300 keys)',
    timelines: new Map([...rotation(300, 10_000, 40)].filter(([account]) => account % 10 === 0)),
    complete: false,
    expected: { accounts: 30, periodMinutes: 50 },
  },
  {
    name: "one customer's eval harnesses, all on the hour in a fixed order (bunched phases)",
    timelines: cron([0, 10_000, 20_000, 30_000, 40_000], HOUR, 40),
    expected: undefined,
  },
  {
    name: 'independent hourly cron jobs of eight customers at different minutes (uneven spacing)',
    timelines: cron(
      [3, 7, 16, 18, 31, 44, 47, 52].map((minute) => minute * MINUTE),
      HOUR,
      40,
    ),
    expected: undefined,
  },
  {
    name: 'forty people behind a shared NAT, sessions at random times',
    timelines: humans(40, 3 * HOUR, 40),
    expected: undefined,
  },
  {
    name: 'a dispatcher picking one of ten keys at random (no rotation)',
    timelines: randomPicks(10, 5 * MINUTE, 600),
    expected: undefined,
  },
  {
    name: 'two accounts alternating are too few',
    timelines: rotation(2, 20 * MINUTE, 40),
    expected: undefined,
  },
];

for (const { name, timelines, complete, expected } of cases) {
  test(`synchronizedCadence: ${name}`, () => {
    const found = synchronizedCadence(timelines, complete === undefined ? {} : { complete });
    if (expected === undefined) {
      assert.equal(found, undefined);
      return;
    }
    assert.ok(found, 'expected a rotation');
    assert.equal(found.accounts.length, expected.accounts);
    assert.ok(
      Math.abs(found.periodMs / MINUTE - expected.periodMinutes) <= expected.periodMinutes * 0.1,
      `period ${found.periodMs / MINUTE} min`,
    );
    assert.ok(found.handoff >= 0.6 && found.handoff <= 1);
    assert.ok(found.phaseSpread >= 0.5 && found.phaseSpread <= 1);
  });
}
