import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Decision, EnforcementState } from './enforcement-state.js';

const rule = { capacity: 3, refillPerSecond: 1 };
const decision = (action: Decision['action'], source: Decision['source'] = 'engine'): Decision => ({
  action,
  source,
  reason: 'test',
  at: '2026-01-01T00:00:00.000Z',
  campaignId: null,
});

/**
 * The one conformance suite every `EnforcementState` implementation passes. `create` returns a
 * fresh, empty state each time.
 */
export function runEnforcementStateConformance(
  name: string,
  create: () => Promise<EnforcementState>,
): void {
  describe(`EnforcementState conformance: ${name}`, () => {
    const opened: EnforcementState[] = [];
    const fresh = async () => {
      const state = await create();
      opened.push(state);
      return state;
    };
    after(async () => {
      for (const state of opened) await state.close();
    });

    test('a bucket starts full, refuses past capacity, and refills with time', async () => {
      const state = await fresh();
      const results = [];
      for (let index = 0; index < 4; index += 1)
        results.push(await state.consume('k', 1, rule, 1_000));
      assert.deepEqual(
        results.map((result) => result.allowed),
        [true, true, true, false],
      );
      assert.deepEqual(
        results.map((result) => result.remaining),
        [2, 1, 0, 0],
      );
      assert.equal(results[3]?.retryAfterMs, 1_000);
      assert.equal(results[0]?.resetMs, 1_000);
      const later = await state.consume('k', 1, rule, 2_500);
      assert.equal(later.allowed, true);
      assert.equal(later.remaining, 0.5);
    });

    test('a refused call takes nothing; debit goes below zero; buckets are independent', async () => {
      const state = await fresh();
      assert.equal((await state.consume('a', 5, rule, 0)).allowed, false);
      assert.equal((await state.consume('a', 3, rule, 0)).allowed, true);
      const debit = await state.consume('b', 5, rule, 0, 'debit');
      assert.deepEqual([debit.allowed, debit.remaining], [true, -2]);
      assert.equal((await state.consume('b', 0, rule, 1_000)).remaining, -1);
      assert.equal((await state.consume('c', 0, rule, 0)).remaining, 3);
    });

    test('decisions per account and per campaign, set, read together, cleared', async () => {
      const state = await fresh();
      assert.deepEqual(await state.getDecisions('acct', 'camp'), [null, null]);
      await state.setDecision({ kind: 'account', id: 'acct' }, decision('throttle'));
      await state.setDecision({ kind: 'campaign', id: 'camp' }, decision('suspend', 'manual'));
      assert.deepEqual(await state.getDecisions('acct', 'camp'), [
        decision('throttle'),
        decision('suspend', 'manual'),
      ]);
      assert.deepEqual(await state.getDecisions('acct', null), [decision('throttle'), null]);
      await state.setDecision({ kind: 'account', id: 'acct' }, null);
      assert.equal(await state.getDecision({ kind: 'account', id: 'acct' }), null);
      assert.deepEqual(
        await state.getDecision({ kind: 'campaign', id: 'camp' }),
        decision('suspend', 'manual'),
      );
    });

    test('campaign membership moves an account between campaigns', async () => {
      const state = await fresh();
      await state.setCampaign('a1', 'c1');
      await state.setCampaign('a2', 'c1');
      await state.setCampaign('a1', 'c2');
      assert.equal(await state.getCampaign('a1'), 'c2');
      assert.equal(await state.getCampaign('nobody'), null);
      assert.deepEqual(await state.campaignMembers('c1'), ['a2']);
      assert.deepEqual(await state.campaignMembers('c2'), ['a1']);
      assert.deepEqual(await state.listCampaigns(), ['c1', 'c2']);
    });

    test('the audit trail lists newest first, up to a limit', async () => {
      const state = await fresh();
      for (const note of ['one', 'two', 'three']) {
        await state.appendAudit({
          at: 't',
          actor: 'x',
          subject: { kind: 'account', id: 'a' },
          before: null,
          after: 'allow',
          note,
        });
      }
      assert.deepEqual(
        (await state.listAudit(2)).map((entry) => entry.note),
        ['three', 'two'],
      );
    });
  });
}
