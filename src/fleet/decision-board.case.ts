import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { AccountDecision, CampaignDecision, DecisionBoard } from './decision-board.js';

const account = (id: string, verdict: AccountDecision['verdict']): AccountDecision => ({
  account_id: id,
  verdict,
  score: 0.97,
  campaign_id: verdict === 'attack' ? 'campaign-0001' : null,
  first_flagged_at: verdict === 'clean' ? null : '2026-02-02T01:00:00.000Z',
  reasons: verdict === 'clean' ? [] : ['shared_infrastructure'],
  sequence: 42,
});
const campaign: CampaignDecision = {
  campaign_id: 'campaign-0001',
  confidence: 0.9,
  first_flagged_at: '2026-02-02T01:00:00.000Z',
  accounts: ['a', 'b'],
  indicators: [{ type: 'subnet', hash: 'hmac-of-198.51.100.0/24' }],
};

/** The one conformance suite every `DecisionBoard` passes; `create` returns an empty board. */
export function runDecisionBoardConformance(
  name: string,
  create: () => Promise<DecisionBoard>,
): void {
  describe(`DecisionBoard conformance: ${name}`, () => {
    const opened: DecisionBoard[] = [];
    after(async () => {
      for (const board of opened) await board.close();
    });

    test('decisions are read back as written; the last write wins; unknown ids read null', async () => {
      const board = await create();
      opened.push(board);
      // Ids a key-value store would not take as they are.
      const odd = 'org:acme/user 7*ü';
      await board.putAccounts([account('a', 'suspect'), account(odd, 'clean')]);
      await board.putAccounts([account('a', 'attack')]);
      assert.deepEqual(await board.getAccount('a'), account('a', 'attack'));
      assert.deepEqual(await board.getAccount(odd), account(odd, 'clean'));
      assert.equal(await board.getAccount('nobody'), null);
    });

    test('campaigns are read back with members and indicators', async () => {
      const board = await create();
      opened.push(board);
      await board.putCampaigns([campaign]);
      assert.deepEqual(await board.getCampaign('campaign-0001'), campaign);
      assert.equal(await board.getCampaign('campaign-9999'), null);
    });
  });
}
