import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountState } from './account-state.js';
import { createActivityTracker } from './activity-tracker.js';
import { createAccountMembership } from './create-account-membership.js';
import { createCampaignOwnership } from './create-campaign-ownership.js';
import { createCampaignRegistry } from './create-campaign-registry.js';
import { createReclustering } from './create-reclustering.js';
import { DEFAULT_THRESHOLDS } from './detector-thresholds.js';
import { createLinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX } from './linkage-key-type.js';
import { createPopulationTracker } from './population/index.js';

/**
 * Two candidates share an address; `bystanders` other active accounts carry it too; `sameOrg`
 * puts both candidates in one declared organisation; `flagFirst` flags the first beforehand.
 */
function memberships({ bystanders = 0, sameOrg = false, flagFirst = false }) {
  const thresholds = DEFAULT_THRESHOLDS;
  const index = createLinkageIndex();
  const membership = createAccountMembership({ index, thresholds });
  const registry = createCampaignRegistry({ membership });
  const ownership = createCampaignOwnership({
    index,
    thresholds,
    accounts: membership.accounts,
    evasionNumber: () => registry.evasionNumber,
  });
  const activity = createActivityTracker();
  const reclustering = createReclustering({
    index,
    thresholds,
    membership,
    registry,
    ownership,
    activity,
    population: createPopulationTracker(),
  });
  const key = index.intern(KEY_TYPE_INDEX.ip, '203.0.113.7');
  for (let account = 0; account < 2 + bystanders; account += 1) {
    const state = membership.stateOf(`acct-${account}`);
    if (sameOrg)
      state.record = { account_id: state.id, created_at: '2026-01-01T00:00:00Z', org_id: 'org-1' };
    state.keys.push(key);
    index.addMember(key, state.index, 0);
    index.addActiveMember(key);
    state.score = account < 2 ? 0.9 : 0;
    membership.setCandidate(state);
  }
  if (flagFirst) registry.flag(membership.accounts[0] as AccountState, 0, 'peer', -1);
  return {
    whole: reclustering.whole(600_000),
    unattached: reclustering.unattached(600_000),
    campaigns: registry.campaigns.length,
  };
}

const cases: {
  name: string;
  setUp: Parameters<typeof memberships>[0];
  whole: number;
  unattached: number;
}[] = [
  {
    name: 'a pure shared value is a hub of its two candidates',
    setUp: {},
    whole: 2,
    unattached: 2,
  },
  {
    name: 'an address most of whose users are not candidates is no hub',
    setUp: { bystanders: 4 },
    whole: 0,
    unattached: 0,
  },
  {
    name: 'one organisation sharing its office address links nothing',
    setUp: { sameOrg: true },
    whole: 0,
    unattached: 0,
  },
  {
    name: 'a flagged account leaves the unattached graph',
    setUp: { flagFirst: true },
    whole: 2,
    unattached: 0,
  },
];

for (const { name, setUp, whole, unattached } of cases) {
  test(`reclustering: ${name}`, () => {
    const result = memberships(setUp);
    assert.equal(result.whole, whole);
    assert.equal(result.unattached, unattached);
    // Two accounts are below `minCampaignAccounts`: never a campaign.
    assert.equal(result.campaigns, 0);
  });
}
