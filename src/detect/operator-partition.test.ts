import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  INVARIANT_MIN_WEIGHT,
  invariantAgreement,
  partitionOperators,
} from './operator-partition.js';
import type { OperatorProfile } from './operator-profile.js';

const DAY = 86_400_000;
const WEEK_START = Date.parse('2026-11-02T00:00:00Z');

/** A unit vector with weight on the given positions. */
const unitOn = (length: number, positions: readonly number[]): Float64Array => {
  const vector = new Float64Array(length);
  for (const position of positions) vector[position] = 1 / Math.sqrt(positions.length);
  return vector;
};

interface Operator {
  tasks: number[];
  hours: number[];
  signup: string;
  harness: string;
  client: number;
  campaign: number;
}

const CODING: Operator = {
  tasks: [0, 10],
  hours: [1, 2, 3, 4, 5, 6],
  signup: 'startup|card',
  harness: 'model-a|8192|0.7',
  client: 500,
  campaign: 0,
};
const REASONING: Operator = {
  tasks: [1, 6],
  hours: [13, 14, 15, 16, 17, 18],
  signup: 'edu|email',
  harness: 'model-b|4096|1',
  client: 600,
  campaign: 0,
};

/** `count` accounts of one operator, from `first`; exits are each account's own unless `exit` is given. */
const pool = (
  operator: Operator,
  first: number,
  count: number,
  { signupDay = 0, exit }: { signupDay?: number; exit?: number } = {},
): OperatorProfile[] =>
  Array.from({ length: count }, (_, offset) => {
    const account = first + offset;
    return {
      account,
      campaign: operator.campaign,
      mix: unitOn(12, operator.tasks),
      hours: unitOn(24, operator.hours),
      createdMs: WEEK_START + (signupDay + (offset % 5)) * DAY,
      signup: operator.signup,
      harness: operator.harness,
      operatorKeys: [exit ?? 10_000 + account],
      softwareKeys: [operator.client],
      clientBuilds: [operator.client],
    };
  });

const accountsOf = (profiles: readonly OperatorProfile[], parts: number[][]): number[][] =>
  parts.map((part) => part.map((at) => (profiles[at] as OperatorProfile).account));

const cases: { name: string; profiles: OperatorProfile[]; expected: number[][] }[] = [
  {
    name: 'two operators chained into one campaign by a public template and an overlapping week are split',
    profiles: [...pool(CODING, 0, 8), ...pool(REASONING, 8, 8)],
    expected: [
      [0, 1, 2, 3, 4, 5, 6, 7],
      [8, 9, 10, 11, 12, 13, 14, 15],
    ],
  },
  {
    name: 'two harnesses on one exit but in different campaigns stay apart',
    profiles: [
      ...pool(CODING, 0, 6, { exit: 7 }),
      ...pool({ ...REASONING, campaign: 4 }, 6, 6, { exit: 7 }),
    ],
    expected: [
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11],
    ],
  },
  {
    name: 'one operator on rotating residential exits, signing up over two weeks, stays one',
    profiles: [...pool(CODING, 0, 6), ...pool(CODING, 6, 6, { signupDay: 9 })],
    expected: [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]],
  },
  {
    name: 'one operator the clustering left in two campaigns is put back together',
    profiles: [...pool(CODING, 0, 5), ...pool({ ...CODING, campaign: 3 }, 5, 5)],
    expected: [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
  },
  {
    name: 'an account agreeing with nobody on enough families is a part of its own',
    profiles: [
      ...pool(CODING, 0, 4),
      {
        ...(pool(REASONING, 4, 1)[0] as OperatorProfile),
        campaign: -1,
        signup: null,
        createdMs: Number.NaN,
      },
    ],
    expected: [[0, 1, 2, 3], [4]],
  },
];

for (const { name, profiles, expected } of cases) {
  test(`partitionOperators: ${name}`, () => {
    assert.deepEqual(accountsOf(profiles, partitionOperators(profiles)), expected);
  });
}

/** One operator that varies schedule, harness, client and sign-up week from account to account. */
const adaptivePool = (first: number, count: number): OperatorProfile[] =>
  pool(CODING, first, count).map((profile, offset) => ({
    ...profile,
    hours: unitOn(24, [(offset * 5) % 24, (offset * 5 + 1) % 24]),
    createdMs: WEEK_START + offset * 4 * DAY,
    harness: `model-${offset % 3}|${1024 * (1 + offset)}|0.${offset}`,
    softwareKeys: [700 + offset],
    clientBuilds: [700 + offset],
  }));

const invariantCases: { name: string; profiles: OperatorProfile[]; expected: number[][] }[] = [
  {
    name: 'one operator varying schedule, harness, client and sign-up week stays one',
    profiles: adaptivePool(0, 8),
    expected: [[0, 1, 2, 3, 4, 5, 6, 7]],
  },
  {
    name: 'two operators on one schedule, client and week, harvesting different tasks, are split',
    profiles: [
      ...pool(CODING, 0, 5),
      ...pool({ ...CODING, tasks: [1, 6], signup: 'edu|email' }, 5, 5),
    ],
    expected: [
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
    ],
  },
  {
    name: 'one task list opened through two sign-up procedures is two operators',
    profiles: [...pool(CODING, 0, 4), ...pool({ ...CODING, signup: 'edu|email' }, 4, 4)],
    expected: [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ],
  },
];

for (const { name, profiles, expected } of invariantCases) {
  test(`partitionOperators on invariants: ${name}`, () => {
    const parts = partitionOperators(profiles, {
      tie: invariantAgreement,
      minWeight: INVARIANT_MIN_WEIGHT,
    });
    assert.deepEqual(accountsOf(profiles, parts), expected);
  });
}
