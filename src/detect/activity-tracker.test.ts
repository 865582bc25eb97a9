import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AccountState, addCount, createAccountState } from './account-state.js';
import { createActivityTracker } from './activity-tracker.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Feeds a tracker hand-built exchanges: [account, model, time]; all accounts in the graph. */
function replay(exchanges: [number, string, number][], accounts: number) {
  const tracker = createActivityTracker();
  const states: AccountState[] = [];
  for (let index = 0; index < accounts; index++) {
    const state = createAccountState(index, `acct_${index}`);
    state.inGraph = true;
    states.push(state);
  }
  for (const [account, model, time] of exchanges.sort((a, b) => a[2] - b[2])) {
    const state = states[account] as AccountState;
    state.exchanges += 1;
    state.models = addCount(state.models, model, 8);
    tracker.observe(state, model, time);
  }
  tracker.assess(
    states.map((state) => state.index),
    states,
  );
  return tracker;
}

test('activity tracker: a rotating fleet pivoting together gets both findings', () => {
  const exchanges: [number, string, number][] = [];
  // Six keys in turn, one request every 10 minutes, for two days; a new model appears at 24 h
  // (first from someone outside the fleet, account 6) and the fleet moves half its traffic to it.
  exchanges.push([6, 'atlas-2', 0], [6, 'atlas-3', 24 * HOUR]);
  for (let turn = 0; turn < 288; turn++) {
    const time = turn * 10 * MINUTE + 1_000;
    const model = time > 25 * HOUR && Math.floor(turn / 6) % 2 === 0 ? 'atlas-3' : 'atlas-2';
    exchanges.push([turn % 6, model, time]);
  }
  const tracker = replay(exchanges, 7);
  for (let account = 0; account < 6; account++) {
    const found = tracker.findings(account);
    assert.equal(found?.cadence?.accounts, 5, `account ${account}`);
    assert.equal(found?.cadence?.periodMinutes, 60);
    assert.equal(found?.pivot?.model, 'atlas-3');
    assert.ok((found?.pivot?.hours ?? 99) <= 3);
  }
  assert.equal(tracker.findings(6)?.cadence, undefined);
});

test('activity tracker: cron jobs on the hour and a lone upgrade get neither finding', () => {
  const exchanges: [number, string, number][] = [];
  exchanges.push([0, 'atlas-3', 24 * HOUR]);
  for (let hour = 0; hour < 48; hour++) {
    for (let account = 0; account < 5; account++)
      exchanges.push([
        account,
        hour > 30 && account === 0 ? 'atlas-3' : 'atlas-2',
        hour * HOUR + account * 2_000,
      ]);
  }
  const tracker = replay(exchanges, 5);
  for (let account = 0; account < 5; account++) assert.equal(tracker.findings(account), undefined);
});
