import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccountState, type FlagSource } from '../account-state.js';
import { createPopulationTracker } from './population-tracker.js';

// Who the population grouping may still place: unflagged accounts, and accounts the fitted model
// flagged alone (grouping them is what ties their operator's other accounts to them); an account
// a campaign already holds, or one flagged by another rule, is not regrouped.
// A member the population grouping placed is eligible when the pass asks for placed members (a
// whole clustering; the second pass over the unattached, which ties later accounts of its operator
// to it), not on the first pass over the unattached, which finds new populations.
const cases: {
  name: string;
  flaggedBy: FlagSource | null;
  held: boolean;
  populationMember?: boolean;
  withPlaced?: boolean;
  eligible: boolean;
}[] = [
  { name: 'unflagged', flaggedBy: null, held: false, eligible: true },
  { name: 'flagged by the model alone', flaggedBy: 'model', held: false, eligible: true },
  { name: 'flagged by clustering', flaggedBy: 'cluster', held: false, eligible: false },
  { name: 'flagged by a reseller door', flaggedBy: 'reseller', held: false, eligible: false },
  { name: 'held by a campaign', flaggedBy: null, held: true, eligible: false },
  {
    name: 'placed by the population grouping',
    flaggedBy: 'cluster',
    held: false,
    populationMember: true,
    eligible: true,
  },
  {
    name: 'placed by the population grouping, first pass over the unattached',
    flaggedBy: 'cluster',
    held: false,
    populationMember: true,
    withPlaced: false,
    eligible: false,
  },
  {
    name: 'placed by the population grouping, held by another community this round',
    flaggedBy: 'cluster',
    held: true,
    populationMember: true,
    eligible: false,
  },
];

for (const entry of cases)
  test(`population eligibility: ${entry.name}`, () => {
    const tracker = createPopulationTracker();
    const state = createAccountState(7, 'acct-7');
    if (entry.flaggedBy) {
      state.flaggedMs = 1_000;
      state.flaggedBy = entry.flaggedBy;
    }
    if (entry.populationMember)
      tracker.findings.set(7, { code: 'population_linkage', evidence: {} });
    const held = entry.held ? [{ accounts: [7] }] : [];
    const eligible = tracker.eligible(held, entry.withPlaced ?? true);
    assert.equal(eligible(state), entry.eligible);
  });
