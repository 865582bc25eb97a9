import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createInMemoryEnforcementState } from './enforcement-state/in-memory-enforcement-state.js';
import { createLadder, DEFAULT_LADDER_POLICY, type LadderPolicy } from './ladder.js';
import type { RequestAssessment } from './request-scorer.js';

// Each rule of the ladder that only shows after several requests, through the ladder alone:
// deleting the rule from ladder.ts makes its row fail (issue 16, item 12).
const policy: LadderPolicy = {
  ...DEFAULT_LADDER_POLICY,
  escalateAfter: { account: 3, campaign: 1_000 },
  challengeAttempts: 2,
  campaignRequests: { capacity: 3, refillPerSecond: 0 },
};
const assessment = (
  accountId: string,
  score: number,
  verdict: RequestAssessment['verdict'],
  campaignId: string | null = null,
): RequestAssessment => ({ accountId, score, verdict, campaignId, reasons: [] });

const outcomes = async (steps: RequestAssessment[]) => {
  const ladder = createLadder({ state: createInMemoryEnforcementState(), policy });
  const seen: string[] = [];
  const start = Date.UTC(2026, 0, 1);
  for (const [index, step] of steps.entries()) {
    const outcome = await ladder.decide(step, start + index * 1_000, `ex_${index}`);
    seen.push(outcome.refusal ? `${outcome.action}:${outcome.refusal.code}` : outcome.action);
  }
  return seen;
};

const cases: { rule: string; steps: RequestAssessment[]; expected: string[] }[] = [
  {
    rule: 'persistent attack traffic while degraded escalates to challenge',
    steps: Array.from({ length: 4 }, () => assessment('acct_persistent', 0.5, 'attack')),
    expected: ['degrade', 'degrade', 'degrade', 'challenge:verification_required'],
  },
  {
    rule: 'a challenge never completed ends in suspension',
    steps: Array.from({ length: 3 }, () => assessment('acct_unverified', 0.9, 'attack')),
    expected: [
      'challenge:verification_required',
      'challenge:verification_required',
      'suspend:account_suspended',
    ],
  },
  {
    rule: 'a throttled campaign shares one request bucket across its accounts',
    steps: ['acct_c1', 'acct_c2', 'acct_c3', 'acct_c1'].map((id) =>
      assessment(id, 0.5, 'suspect', 'camp_shared'),
    ),
    expected: ['throttle', 'throttle', 'throttle', 'throttle:rate_limit_campaign'],
  },
];

for (const { rule, steps, expected } of cases)
  test(`ladder rule: ${rule}`, async () => {
    assert.deepEqual(await outcomes(steps), expected);
  });
