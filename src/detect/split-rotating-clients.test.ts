import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OperatorProfile } from './operator-profile.js';
import { splitRotatingClients } from './split-rotating-clients.js';

/** An account of one task list and sign-up procedure running the given client values. */
const account = (
  at: number,
  softwareKeys: number[],
  clientBuilds: number[] = [],
): OperatorProfile => ({
  account: at,
  campaign: 0,
  mix: new Float64Array([1, 0]),
  hours: new Float64Array(24),
  createdMs: 0,
  signup: 'startup|card',
  harness: 'model|4096|0.7',
  operatorKeys: [],
  softwareKeys,
  clientBuilds,
});

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from }, (_, offset) => from + offset);

const cases: { name: string; keys: number[][]; expected: number[][] }[] = [
  {
    name: 'most accounts on one build and the rest each on its own are two operators',
    keys: [...range(0, 12).map(() => [1, 2]), ...range(12, 18).map((at) => [100 + at])],
    expected: [range(0, 12), range(12, 18)],
  },
  {
    name: 'a rotating operator alone (no build common to most) stays whole',
    keys: range(0, 18).map((at) => [100 + (at % 4), 200 + at]),
    expected: [range(0, 18)],
  },
  {
    name: 'an operator with a primary and a fallback build stays whole',
    keys: [...range(0, 12).map(() => [1, 2]), ...range(12, 18).map(() => [1, 3])],
    expected: [range(0, 18)],
  },
  {
    name: 'a primary build and a second shared build without it stay whole',
    keys: [...range(0, 12).map(() => [2]), ...range(12, 18).map(() => [3])],
    expected: [range(0, 18)],
  },
  {
    name: 'fewer than five accounts off the build are not split off',
    keys: [...range(0, 12).map(() => [1]), ...range(12, 16).map((at) => [100 + at])],
    expected: [range(0, 16)],
  },
];

for (const { name, keys, expected } of cases) {
  test(`splitRotatingClients: ${name}`, () => {
    const profiles = keys.map((softwareKeys, at) => account(at, softwareKeys));
    assert.deepEqual(splitRotatingClients(profiles, [range(0, keys.length)]), expected);
  });
}

/** Header order `h`, user agent (client build) `ua`: software keys and builds of one account. */
const client = (at: number, h: number, ua: number): OperatorProfile => account(at, [h, ua], [ua]);

const buildCases: { name: string; profiles: OperatorProfile[]; expected: number[][] }[] = [
  {
    // One operator keeps its SDK build (and a fallback version); the other draws a client per
    // account, three of them versions of the same SDK (same header order), five another SDK.
    name: 'a kept build and accounts each on their own, some of that SDK, are two operators',
    profiles: [
      ...range(0, 10).map((at) => client(at, 1, 10)),
      ...range(10, 12).map((at) => client(at, 1, 11)),
      ...range(12, 15).map((at) => client(at, 1, 100 + at)),
      ...range(15, 20).map((at) => client(at, 2, 100 + at)),
    ],
    expected: [range(0, 12), range(12, 20)],
  },
  {
    name: 'one operator on three builds of one SDK stays whole',
    profiles: [
      ...range(0, 10).map((at) => client(at, 1, 10)),
      ...range(10, 15).map((at) => client(at, 1, 11)),
      ...range(15, 20).map((at) => client(at, 1, 12)),
    ],
    expected: [range(0, 20)],
  },
  {
    name: 'a rotating operator alone (every account its own build) stays whole',
    profiles: range(0, 20).map((at) => client(at, 1 + (at % 2), 100 + at)),
    expected: [range(0, 20)],
  },
];

for (const { name, profiles, expected } of buildCases) {
  test(`splitRotatingClients, byBuild: ${name}`, () => {
    const parts = [range(0, profiles.length)];
    assert.deepEqual(splitRotatingClients(profiles, parts, { byBuild: true }), expected);
  });
}

test('splitRotatingClients: without byBuild the SDK header order hides the rotating operator', () => {
  const profiles = (buildCases[0] as (typeof buildCases)[number]).profiles;
  assert.deepEqual(splitRotatingClients(profiles, [range(0, 20)]), [range(0, 20)]);
});
