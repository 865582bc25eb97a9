import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Campaign, Verdict } from '../detect/index.js';
import { DistillguardError } from '../shared/distillguard-error.js';
import { DEFAULT_VERDICT_MAPPING, planDecisionBatches } from './plan-decision-batches.js';

const verdict = (
  account_id: string,
  label: Verdict['verdict'],
  campaign_id: string | null = null,
): Verdict => ({
  account_id,
  verdict: label,
  score: label === 'attack' ? 0.97 : label === 'suspect' ? 0.6 : 0.1,
  first_flagged_at: label === 'attack' ? '2026-02-02T00:10:00.000Z' : null,
  campaign_id,
  reasons: label === 'clean' ? [] : [{ code: 'reasoning_elicitation', detail: 'text' }],
});

const campaign: Campaign = {
  campaign_id: 'campaign-0001',
  confidence: 0.9,
  accounts: ['a1', 'a2'],
  resellers: ['r1'],
  exchange_count: 100,
  first_seen: '2026-02-02T00:00:00.000Z',
  last_seen: '2026-02-02T06:00:00.000Z',
  first_flagged_at: '2026-02-02T00:10:00.000Z',
  capability_mix: {},
  models: {},
  timeline: [],
  indicators: [
    {
      type: 'payment_fingerprint',
      value: 'pay-secret-card',
      count: 2,
      first_seen: '',
      last_seen: '',
    },
    { type: 'subnet', value: '2968588/24', count: 9, first_seen: '', last_seen: '' },
  ],
  reasons: [],
};

const verdicts = [
  verdict('a1', 'attack', 'campaign-0001'),
  verdict('a2', 'attack', 'campaign-0001'),
  verdict('s1', 'suspect'),
  verdict('r1', 'suspect'),
  verdict('c1', 'clean'),
];

describe('planDecisionBatches: verdict labels to ladder rungs', () => {
  const cases = [
    {
      name: 'default: attack suspend, suspect throttle, campaign suspend, clean nothing',
      mapping: DEFAULT_VERDICT_MAPPING,
      accounts: { a1: 'suspend', a2: 'suspend', s1: 'throttle', r1: 'throttle' },
      campaign: 'suspend',
    },
    {
      name: 'suspects challenged, campaigns only throttled',
      mapping: { attack: 'suspend', suspect: 'challenge', campaign: 'throttle' } as const,
      accounts: { a1: 'suspend', a2: 'suspend', s1: 'challenge', r1: 'challenge' },
      campaign: 'throttle',
    },
    {
      name: '`none` (or allow) applies nothing for that label',
      mapping: { attack: 'degrade', suspect: null, campaign: null } as const,
      accounts: { a1: 'degrade', a2: 'degrade' },
      campaign: undefined,
    },
  ];
  for (const { name, mapping, accounts, campaign: rung } of cases) {
    test(name, () => {
      const plan = planDecisionBatches({ verdicts, campaigns: [campaign], mapping });
      const planned = plan.batches.flatMap((batch) => batch.accounts);
      assert.deepEqual(
        Object.fromEntries(planned.map((account) => [account.account_id, account.action])),
        accounts,
      );
      const campaigns = plan.batches.flatMap((batch) => batch.campaigns);
      assert.deepEqual(
        campaigns.map((entry) => entry.action),
        rung === undefined ? [] : [rung],
      );
    });
  }

  test('campaign ids are prefixed, resellers are not members, indicators travel hashed', () => {
    const plan = planDecisionBatches({ verdicts, campaigns: [campaign] });
    const [entry] = plan.batches.flatMap((batch) => batch.campaigns);
    assert.equal(entry?.campaign_id, 'applied:campaign-0001');
    assert.deepEqual(entry?.accounts, ['a1', 'a2']);
    const a1 = plan.batches.flatMap((batch) => batch.accounts).find((a) => a.account_id === 'a1');
    assert.equal(a1?.campaign_id, 'applied:campaign-0001');
    assert.deepEqual(a1?.reasons, ['reasoning_elicitation']);
    const body = JSON.stringify(plan.batches);
    assert.ok(!body.includes('pay-secret-card') && !body.includes('2968588/24'));
    assert.deepEqual(
      entry?.indicators.map((indicator) => indicator.type),
      ['payment_fingerprint', 'subnet'],
    );
  });

  test('the batch id depends only on what is applied', () => {
    const first = planDecisionBatches({ verdicts, campaigns: [campaign] });
    const again = planDecisionBatches({ verdicts, campaigns: [campaign] });
    const otherRung = planDecisionBatches({
      verdicts,
      campaigns: [campaign],
      mapping: { ...DEFAULT_VERDICT_MAPPING, suspect: 'challenge' },
    });
    assert.equal(first.batchId, again.batchId);
    assert.notEqual(first.batchId, otherRung.batchId);
  });

  test('large inputs are split into requests of bounded size', () => {
    const plan = planDecisionBatches({
      verdicts,
      campaigns: [campaign, { ...campaign, campaign_id: 'campaign-0002', accounts: ['x', 'y'] }],
      accountsPerBatch: 3,
      membersPerBatch: 3,
    });
    assert.deepEqual(
      plan.batches.map((batch) => [batch.accounts.length, batch.campaigns.length]),
      [
        [3, 0],
        [1, 0],
        [0, 1],
        [0, 1],
      ],
    );
  });

  test('files of different runs are refused with a code', () => {
    assert.throws(
      () => planDecisionBatches({ verdicts, campaigns: [] }),
      (error: unknown) => DistillguardError.is(error) && error.code === 'apply_files_mismatch',
    );
  });
});
