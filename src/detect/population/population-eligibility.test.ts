import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccountState, type FlagSource } from '../account-state.js';
import { createPopulationTracker } from './population-tracker.js';

// Who the population grouping may still place: unflagged accounts, and accounts the fitted model
// flagged alone (grouping them is what ties their operator's other accounts to them); an account
// a campaign already holds, or one flagged by another rule, is not regrouped.
const cases: { name: string; flaggedBy: FlagSource | null; held: boolean; eligible: boolean }[] = [
  { name: 'unflagged', flaggedBy: null, held: false, eligible: true },
  { name: 'flagged by the model alone', flaggedBy: 'model', held: false, eligible: true },
  { name: 'flagged by clustering', flaggedBy: 'cluster', held: false, eligible: false },
  { name: 'flagged by a reseller door', flaggedBy: 'reseller', held: false, eligible: false },
  { name: 'held by a campaign', flaggedBy: null, held: true, eligible: false },
];

for (const entry of cases)
  test(`population eligibility: ${entry.name}`, () => {
    const tracker = createPopulationTracker();
    const state = createAccountState(7, 'acct-7');
    if (entry.flaggedBy) {
      state.flaggedMs = 1_000;
      state.flaggedBy = entry.flaggedBy;
    }
    const held = entry.held ? [{ accounts: [7] }] : [];
    const eligible = tracker.eligible(held, false);
    assert.equal(eligible(state), entry.eligible);
  });
