import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FlagSource } from './account-state.js';
import { createAccountMembership } from './create-account-membership.js';
import { DEFAULT_THRESHOLDS } from './detector-thresholds.js';
import { createLinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX } from './linkage-key-type.js';

const cases: {
  name: string;
  score: number;
  flaggedBy?: FlagSource;
  inGraph: boolean;
  unattached: boolean;
}[] = [
  { name: 'a low score stays out', score: 0.1, inGraph: false, unattached: false },
  { name: 'a candidate is in, unattached', score: 0.9, inGraph: true, unattached: true },
  {
    name: 'a flagged account is in, attached',
    score: 0.1,
    flaggedBy: 'cluster',
    inGraph: true,
    unattached: false,
  },
  {
    name: 'a flagged candidate is attached',
    score: 0.9,
    flaggedBy: 'affinity',
    inGraph: true,
    unattached: false,
  },
  {
    name: 'a reseller stays out',
    score: 0.9,
    flaggedBy: 'reseller',
    inGraph: false,
    unattached: false,
  },
];

for (const { name, score, flaggedBy, inGraph, unattached } of cases) {
  test(`account membership: ${name}`, () => {
    const index = createLinkageIndex();
    const membership = createAccountMembership({ index, thresholds: DEFAULT_THRESHOLDS });
    const state = membership.stateOf('acct-1');
    const key = index.intern(KEY_TYPE_INDEX.ip, '192.0.2.1');
    state.keys.push(key);
    state.score = score;
    if (flaggedBy) {
      state.flaggedMs = 1000;
      state.flaggedBy = flaggedBy;
    }
    membership.setCandidate(state);
    assert.equal(state.candidate, score >= DEFAULT_THRESHOLDS.candidateScore);
    assert.equal(state.inGraph, inGraph);
    assert.equal(state.unattached, unattached);
    // The per-key counts follow the account, so a clustering reads them without a rescan.
    assert.equal(index.graphMembers(key), inGraph ? 1 : 0);
    assert.equal(index.unattachedMembers(key), unattached ? 1 : 0);
    assert.equal(membership.candidates, inGraph ? 1 : 0);
    assert.equal(membership.changes, inGraph ? 1 : 0);
  });
}

test('account membership: one state per account id, numbered in order; leaving the graph counts', () => {
  const index = createLinkageIndex();
  const membership = createAccountMembership({ index, thresholds: DEFAULT_THRESHOLDS });
  const first = membership.stateOf('a');
  assert.equal(membership.stateOf('a'), first);
  assert.equal(membership.stateOf('b').index, 1);
  assert.equal(membership.get('c'), undefined);
  assert.deepEqual(
    membership.accounts.map((state) => state.id),
    ['a', 'b'],
  );
  first.score = 0.9;
  membership.setCandidate(first);
  membership.settle();
  assert.equal(membership.changes, 0);
  first.score = 0;
  membership.setCandidate(first);
  assert.equal(membership.candidates, 0);
  assert.equal(membership.changes, 1);
});
