import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createActivityTracker } from './activity-tracker.js';
import { createAccountMembership } from './create-account-membership.js';
import { createAssessor } from './create-assessor.js';
import { createCampaignOwnership } from './create-campaign-ownership.js';
import { createCampaignRegistry } from './create-campaign-registry.js';
import { DEFAULT_THRESHOLDS } from './detector-thresholds.js';
import { createLinkageIndex } from './linkage-index.js';
import { createPopulationTracker } from './population/index.js';

function setUp() {
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
  const assessor = createAssessor({
    thresholds,
    index,
    activity,
    membership,
    registry,
    ownership,
    population: createPopulationTracker(),
  });
  return { membership, registry, assessor };
}

test('assessor: a member scores at least its campaign; suspect and clean by own evidence', () => {
  const { membership, registry, assessor } = setUp();
  const community = { accounts: [], hubs: [], families: new Set<never>(), meanScore: 0.8 };
  const number = registry.create(community, 0);
  registry.create(community, 0); // stays empty: not exported
  const member = membership.stateOf('member');
  member.score = 0.3;
  member.exchanges = 3;
  member.firstMs = Date.parse('2026-01-31T23:10:00Z');
  registry.flag(member, Date.parse('2026-02-01T00:00:00Z'), 'cluster', number);
  const suspect = membership.stateOf('suspect');
  suspect.score = 0.75;
  suspect.exchanges = DEFAULT_THRESHOLDS.suspectMinExchanges;
  membership.stateOf('clean').score = 0.75;

  const assessment = assessor.assess(member, true, number);
  assert.equal(assessment.score, 0.8);
  assert.equal(assessment.verdict, 'attack');
  assert.equal(assessment.campaignId, 'campaign-0001');
  assert.equal(assessment.exchangeCampaignId, 'campaign-0001');
  assert.equal(assessment.flaggedAt, '2026-02-01T00:00:00.000Z');
  assert.equal(assessment.newlyFlagged, true);

  assert.deepEqual(
    assessor
      .verdicts()
      .map((verdict) => [verdict.account_id, verdict.verdict, verdict.score, verdict.campaign_id]),
    [
      ['member', 'attack', 0.8, 'campaign-0001'],
      ['suspect', 'suspect', 0.75, null],
      ['clean', 'clean', 0.75, null],
    ],
  );
  assert.deepEqual(
    assessor
      .campaigns()
      .map((campaign) => [campaign.campaign_id, campaign.accounts, campaign.timeline]),
    [['campaign-0001', ['member'], [{ hour: '2026-01-31T23:00:00.000Z', exchanges: 3 }]]],
  );
});
