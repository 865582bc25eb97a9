import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Verdict } from '../detect/verdict.js';
import type { TruthRecord } from '../log/exchange.js';
import { type EvaluationReport, evaluate, formatEvaluation } from './index.js';

const T0 = Date.parse('2026-02-01T00:00:00.000Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MINUTE).toISOString();

function truthRecord(
  account_id: string,
  label: TruthRecord['label'],
  campaign_id: string | null,
  group: string | null = null,
): TruthRecord {
  return { account_id, label, campaign_id, operator: campaign_id, group };
}

function verdict(
  account_id: string,
  label: Verdict['verdict'],
  flaggedAtMinute: number | null,
  campaign_id: string | null,
): Verdict {
  return {
    account_id,
    verdict: label,
    score: label === 'clean' ? 0.1 : 0.9,
    first_flagged_at: flaggedAtMinute === null ? null : at(flaggedAtMinute),
    campaign_id,
    reasons: [],
  };
}

const truth: TruthRecord[] = [
  truthRecord('a1', 'attack', 'c1'),
  truthRecord('a2', 'attack', 'c1'),
  truthRecord('a3', 'attack', 'c2'),
  truthRecord('a4', 'attack', 'c2'),
  truthRecord('l1', 'legit', null, 'eval_harness'),
  truthRecord('l2', 'legit', null, 'eval_harness'),
  truthRecord('l3', 'legit', null, 'chat'),
  truthRecord('l4', 'legit', null, 'chat'),
  truthRecord('l5', 'legit', null),
  truthRecord('m1', 'mixed', null),
];
const truthExchanges = [{ id: 'm1-x2', campaign_id: 'c2' }];
const verdicts: Verdict[] = [
  verdict('a1', 'attack', 10, 'P1'),
  verdict('a2', 'attack', 20, 'P1'),
  verdict('a3', 'attack', 30, 'P2'),
  verdict('a4', 'clean', null, null),
  verdict('l1', 'attack', 5, null),
  verdict('l3', 'suspect', 7, null),
  verdict('m1', 'attack', 40, 'P2'),
  verdict('x9', 'attack', 1, 'P3'),
];
// [exchange id, account, minute]. Leaked = before the account's flag; the flagging exchange is not.
const log: [string, string, number][] = [
  ['e1', 'a1', 0],
  ['e2', 'a2', 5],
  ['e3', 'a3', 1],
  ['e4', 'a4', 2],
  ['e5', 'l1', 1],
  ['e6', 'z1', 1],
  ['m1-x1', 'm1', 3],
  ['e7', 'a1', 10],
  ['e8', 'a1', 15],
  ['e9', 'a2', 25],
  ['e10', 'a3', 31],
  ['m1-x2', 'm1', 35],
  ['e11', 'a4', 50],
  ['e12', 'l2', 51],
  ['e13', 'l4', 52],
  ['e14', 'l5', 53],
  ['e15', 'l3', 54],
];
const exchanges = log.map(([id, account_id, minute]) => ({ id, account_id, ts: at(minute) }));

async function* streamed<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

test('evaluate: account metrics, leakage, time to detect and ARI on a hand-built log', async () => {
  const report = await evaluate({
    truth,
    truthExchanges,
    verdicts,
    exchanges: streamed(exchanges),
  });
  assert.deepEqual(report.accounts, {
    attack: 4,
    legit: 5,
    mixed: 1,
    inactive: 0,
    unknownVerdicts: 1,
    missingVerdicts: 3,
  });
  assert.deepEqual(report.recall, { count: 3, total: 4, rate: 0.75 });
  assert.deepEqual(report.precision, { count: 3, total: 4, rate: 0.75 });
  assert.deepEqual(report.falsePositives, { count: 1, total: 5, rate: 0.2 });
  assert.deepEqual(
    report.falsePositivesByGroup.map(({ group, falsePositives }) => [
      group,
      falsePositives.count,
      falsePositives.total,
    ]),
    [
      ['chat', 0, 2],
      ['eval_harness', 1, 2],
      ['ungrouped', 0, 1],
    ],
  );
  assert.deepEqual(report.mixedFlagged, { count: 1, total: 1, rate: 1 });
  assert.deepEqual(report.leakage, { count: 6, total: 10, rate: 0.6 });
  assert.deepEqual(report.exchanges, { total: 17, unknownAccount: 1, attack: 10 });
  const [c1, c2] = report.campaigns;
  assert.equal(c1?.campaignId, 'c1');
  assert.deepEqual(c1?.leakage, { count: 2, total: 5, rate: 0.4 });
  assert.deepEqual(c1?.recall, { count: 2, total: 2, rate: 1 });
  assert.equal(c1?.timeToDetectMs, 10 * MINUTE);
  assert.deepEqual(c2?.leakage, { count: 4, total: 5, rate: 0.8 });
  assert.deepEqual(c2?.recall, { count: 1, total: 2, rate: 0.5 });
  // c2 starts at minute 1 (a3); its first flag is a3's at minute 30.
  assert.equal(c2?.timeToDetectMs, 29 * MINUTE);
  assert.equal(c2?.firstFlaggedAt, at(30));
  assert.deepEqual(report.timeToDetect, {
    medianCampaignMs: 19.5 * MINUTE,
    // a1 10m, a2 15m, a3 29m, a4 never → (15 + 29) / 2.
    medianAccountMs: 22 * MINUTE,
    campaignsDetected: 2,
    campaignsMeasured: 2,
  });
  // Truth {a1,a2}{a3,a4}; predicted {a1,a2}{a3}{a4 unflagged → singleton}: 4/7 by pair counting.
  assert.ok(Math.abs((report.campaignAri ?? 0) - 4 / 7) < 1e-12);
});

test('evaluate: a reseller flagged first sets its campaign time to detect', async () => {
  const report = await evaluate({
    truth,
    truthExchanges,
    verdicts: verdicts.map((item) =>
      item.account_id === 'm1' ? { ...item, first_flagged_at: at(20) } : item,
    ),
    exchanges,
  });
  assert.equal(report.campaigns[1]?.timeToDetectMs, 19 * MINUTE);
  // m1-x2 (minute 35) is now after m1's flag: one fewer leaked exchange.
  assert.equal(report.leakage?.count, 5);
});

test('evaluate: counting suspect verdicts as flags', async () => {
  const report = await evaluate({
    truth,
    truthExchanges,
    verdicts,
    exchanges,
    flaggedVerdicts: ['attack', 'suspect'],
  });
  assert.deepEqual(report.falsePositives, { count: 2, total: 5, rate: 0.4 });
  assert.deepEqual(report.falsePositivesByGroup[0]?.falsePositives, {
    count: 1,
    total: 2,
    rate: 0.5,
  });
});

test('evaluate: without an exchange log, leakage and time to detect are not measured', async () => {
  const report = await evaluate({ truth, truthExchanges, verdicts });
  assert.equal(report.leakage, null);
  assert.equal(report.timeToDetect, null);
  assert.equal(report.exchanges, null);
  assert.equal(report.recall.count, 3);
  assert.equal(report.targets.find((target) => target.id === 'leakage')?.status, 'not_measured');
  assert.equal(
    report.targets.find((target) => target.id === 'median_time_to_detect')?.status,
    'not_measured',
  );
});

test('evaluate: with a log, accounts that never sent an exchange are left out of account metrics', async () => {
  const withSilent = [
    ...truth,
    truthRecord('a5', 'attack', 'c2'),
    truthRecord('l6', 'legit', null, 'chat'),
  ];
  const replayed = await evaluate({ truth: withSilent, truthExchanges, verdicts, exchanges });
  assert.equal(replayed.accounts.inactive, 2);
  assert.deepEqual(replayed.recall, { count: 3, total: 4, rate: 0.75 });
  assert.equal(replayed.falsePositives.total, 5);
  const filesOnly = await evaluate({ truth: withSilent, truthExchanges, verdicts });
  assert.equal(filesOnly.accounts.inactive, 0);
  assert.deepEqual(filesOnly.recall, { count: 3, total: 5, rate: 0.6 });
  assert.equal(filesOnly.falsePositives.total, 6);
});

test('evaluate: a flag without a time still counts for recall but never stops leakage', async () => {
  const report = await evaluate({
    truth: [truthRecord('a1', 'attack', 'c1')],
    truthExchanges: [],
    verdicts: [verdict('a1', 'attack', null, 'P1')],
    exchanges: [
      { id: 'e1', account_id: 'a1', ts: at(0) },
      { id: 'e2', account_id: 'a1', ts: at(9) },
    ],
  });
  assert.equal(report.recall.rate, 1);
  assert.deepEqual(report.leakage, { count: 2, total: 2, rate: 1 });
  assert.equal(report.timeToDetect?.medianCampaignMs, null);
});

function target(report: EvaluationReport, id: string) {
  return report.targets.find((check) => check.id === id);
}

const targetCases: {
  name: string;
  scenario: string | undefined;
  expected: Record<string, 'pass' | 'fail' | 'not_measured' | undefined>;
}[] = [
  {
    name: 'seed-scale bounds (the default)',
    scenario: undefined,
    expected: {
      recall: 'fail',
      false_positive_rate: 'fail',
      'false_positive_rate:chat': 'pass',
      'false_positive_rate:eval_harness': 'fail',
      leakage: 'fail',
      median_time_to_detect: 'pass',
      campaign_ari: 'fail',
    },
  },
  {
    name: 'quickstart uses seed-scale bounds',
    scenario: 'quickstart',
    expected: { median_time_to_detect: 'pass', campaign_ari: 'fail' },
  },
  {
    name: 'adaptive has no time-to-detect or ARI bound',
    scenario: 'adaptive',
    expected: {
      recall: 'fail',
      leakage: 'fail',
      median_time_to_detect: undefined,
      campaign_ari: undefined,
    },
  },
];

for (const { name, scenario, expected } of targetCases) {
  test(`evaluate targets: ${name}`, async () => {
    const report = await evaluate({
      truth,
      truthExchanges,
      verdicts,
      exchanges,
      ...(scenario ? { scenario } : {}),
    });
    for (const [id, status] of Object.entries(expected)) {
      assert.equal(target(report, id)?.status, status, id);
    }
  });
}

test('evaluate targets: all met on a perfect detector, and a never-detected median fails', async () => {
  const perfect = await evaluate({
    truth,
    truthExchanges,
    verdicts: [
      verdict('a1', 'attack', 0, 'P1'),
      verdict('a2', 'attack', 5, 'P1'),
      verdict('a3', 'attack', 1, 'P2'),
      verdict('a4', 'attack', 2, 'P2'),
      verdict('m1', 'attack', 3, 'P2'),
    ],
    exchanges,
  });
  assert.deepEqual(
    perfect.targets.filter((check) => check.status !== 'pass').map((check) => check.id),
    [],
  );
  assert.equal(perfect.leakage?.count, 0);
  const blind = await evaluate({ truth, truthExchanges, verdicts: [], exchanges });
  const check = target(blind, 'median_time_to_detect');
  assert.equal(check?.status, 'fail');
  assert.equal(check?.actual, null);
  assert.match(formatEvaluation(blind), /median time to detect per campaign.*never\s+FAIL/);
});

test('formatEvaluation shows every target with its result and the per-group table', async () => {
  const report = await evaluate({ truth, truthExchanges, verdicts, exchanges });
  const text = formatEvaluation(report);
  assert.match(text, /attack-account recall\s+3 \/ 4 \(75\.0%\)/);
  assert.match(text, /eval_harness\s+1 \/ 2 \(50\.0%\)/);
  assert.match(text, /campaign attribution \(adjusted Rand index\)\s+>= 0\.900\s+0\.571\s+FAIL/);
  assert.match(text, /median time to detect per campaign\s+<= 1h 0m\s+19m 30s\s+PASS/);
  assert.equal(
    text.split('\n').filter((line) => /\b(PASS|FAIL)$/.test(line)).length,
    report.targets.length,
  );
});
