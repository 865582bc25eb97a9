import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Verdict } from '../detect/verdict.js';
import type { AccountRecord, Exchange, TruthRecord } from '../log/exchange.js';
import {
  type ClosedLoopDetector,
  type ClosedLoopEvent,
  type ClosedLoopSimulation,
  driveClosedLoop,
} from './drive-closed-loop.js';

const MINUTE = 60_000;
const T0 = Date.parse('2026-02-01T00:00:00.000Z');

function accountEvent(
  id: string,
  minute: number,
  truth: Omit<TruthRecord, 'account_id'>,
): ClosedLoopEvent {
  const account: AccountRecord = {
    account_id: id,
    created_at: new Date(T0 + minute * MINUTE).toISOString(),
  };
  return {
    type: 'account',
    at: T0 + minute * MINUTE,
    account,
    truth: { account_id: id, ...truth },
  };
}

function exchangeEvent(
  id: string,
  accountId: string,
  minute: number,
  campaignId: string | null,
): ClosedLoopEvent {
  const exchange: Exchange = {
    id,
    ts: new Date(T0 + minute * MINUTE).toISOString(),
    account_id: accountId,
    ip: '198.51.100.7',
    endpoint: 'chat.completions',
    model: 'frontier-1',
    request: { messages: [{ role: 'user', content: 'hi' }] },
    status: 200,
  };
  return { type: 'exchange', at: T0 + minute * MINUTE, exchange, campaignId };
}

/** A scripted operator: keeps sending from a banned account (so refusals are counted) and regrows it 10 minutes later. */
function scriptedSimulation(): ClosedLoopSimulation & { decisions: string[] } {
  const attack = { label: 'attack', campaign_id: 'c1', operator: 'op1' } as const;
  const queue: ClosedLoopEvent[] = [
    accountEvent('a1', 0, attack),
    accountEvent('l1', 0, { label: 'legit', campaign_id: null, operator: null, group: 'chat' }),
    accountEvent('m1', 0, { label: 'mixed', campaign_id: null, operator: 'reseller' }),
    exchangeEvent('a1-1', 'a1', 1, 'c1'),
    exchangeEvent('l1-1', 'l1', 1, null),
    exchangeEvent('a1-2', 'a1', 2, 'c1'),
    exchangeEvent('l1-2', 'l1', 2, null),
    exchangeEvent('a1-3', 'a1', 3, 'c1'),
    exchangeEvent('l1-3', 'l1', 3, null),
    exchangeEvent('a1-4', 'a1', 4, 'c1'),
    exchangeEvent('m1-1', 'm1', 5, null),
    exchangeEvent('m1-2', 'm1', 6, 'c1'),
    exchangeEvent('m1-3', 'm1', 7, null),
  ];
  const decisions: string[] = [];
  return {
    decisions,
    next: () => queue.shift(),
    feedback({ accountId, action, at }) {
      decisions.push(`${action} ${accountId} @${(at - T0) / MINUTE}`);
      if (accountId !== 'a1') return;
      const replacement = [
        accountEvent('a1-r', 12, attack),
        exchangeEvent('a1-r-1', 'a1-r', 13, 'c1'),
        exchangeEvent('a1-r-2', 'a1-r', 14, 'c1'),
        exchangeEvent('a1-r-3', 'a1-r', 15, 'c1'),
      ];
      queue.push(...replacement);
      queue.sort((left, right) => left.at - right.at);
    },
    summary: () => ({ regrown: decisions.length }),
  };
}

/** Flags an account as `attack` at its second observed exchange, unless it is the legit one. */
function scriptedDetector(): ClosedLoopDetector & { observed: string[] } {
  const seen = new Map<string, number>();
  const flaggedAt = new Map<string, string>();
  const observed: string[] = [];
  return {
    observed,
    observeAccount() {},
    observe(exchange) {
      observed.push(exchange.id);
      const count = (seen.get(exchange.account_id) ?? 0) + 1;
      seen.set(exchange.account_id, count);
      if (count >= 2 && exchange.account_id !== 'l1' && !flaggedAt.has(exchange.account_id)) {
        flaggedAt.set(exchange.account_id, exchange.ts);
      }
      const flagged = flaggedAt.has(exchange.account_id);
      return { verdict: flagged ? 'attack' : 'clean', campaignId: flagged ? 'P1' : null };
    },
    verdicts: () =>
      [...seen.keys()].map(
        (accountId): Verdict => ({
          account_id: accountId,
          verdict: flaggedAt.has(accountId) ? 'attack' : 'clean',
          score: flaggedAt.has(accountId) ? 0.9 : 0.1,
          first_flagged_at: flaggedAt.get(accountId) ?? null,
          campaign_id: flaggedAt.has(accountId) ? 'P1' : null,
          reasons: [],
        }),
      ),
  };
}

test('closed loop with suspension: refused exchanges are not leaked, the operator regrows, the regrown account is caught', () => {
  const simulation = scriptedSimulation();
  const detector = scriptedDetector();
  const report = driveClosedLoop({
    simulation,
    detector,
    enforce: 'suspend',
    scenario: 'quickstart',
  });
  assert.deepEqual(simulation.decisions, ['suspend a1 @2', 'suspend m1 @6', 'suspend a1-r @14']);
  // Refused exchanges never reach the detector.
  assert.deepEqual(detector.observed, [
    'a1-1',
    'l1-1',
    'a1-2',
    'l1-2',
    'l1-3',
    'm1-1',
    'm1-2',
    'a1-r-1',
    'a1-r-2',
  ]);
  // Attack exchanges: a1 ×4, m1-2, a1-r ×3; served before the stop: a1-1 and a1-r-1.
  assert.deepEqual(report.leakage, { count: 2, total: 8, rate: 0.25 });
  assert.deepEqual(report.recall, { count: 2, total: 2, rate: 1 });
  assert.deepEqual(report.falsePositives, { count: 0, total: 1, rate: 0 });
  assert.deepEqual(report.mixedFlagged, { count: 1, total: 1, rate: 1 });
  assert.equal(report.timeToDetect?.medianCampaignMs, MINUTE);
  assert.deepEqual(report.enforcement, {
    mode: 'suspend',
    suspensions: 3,
    refusedExchanges: 7,
    refusedCustomerExchanges: 1,
    replacements: {
      accounts: 1,
      caught: 1,
      medianTimeToCatchMs: MINUTE,
      medianExchangesBeforeCatch: 1,
    },
    simulation: { regrown: 3 },
  });
});

test('closed loop without enforcement: nothing refused, leakage is exchanges before the flag', () => {
  const simulation = scriptedSimulation();
  const detector = scriptedDetector();
  const report = driveClosedLoop({ simulation, detector, enforce: 'none' });
  assert.deepEqual(simulation.decisions, []);
  assert.equal(detector.observed.length, 10);
  // a1-1 only: a1 is flagged at a1-2, m1 at m1-2.
  assert.deepEqual(report.leakage, { count: 1, total: 5, rate: 0.2 });
  assert.equal(report.enforcement.refusedExchanges, 0);
  assert.equal(report.enforcement.replacements.accounts, 0);
  assert.equal(report.exchanges?.total, 10);
});
