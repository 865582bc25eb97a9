import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Exchange } from '../log/exchange.js';
import { type AccountState, createAccountState } from './account-state.js';
import { createKeyMemory } from './create-key-memory.js';
import { createLinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX } from './linkage-key-type.js';
import { createPromptAnalyzer } from './prompt/index.js';
import { updateAccount } from './update-account.js';

const analyzer = createPromptAnalyzer();
const T = KEY_TYPE_INDEX;

function exchange(ip: string, content = 'What is 2 + 2? Think step by step.'): Exchange {
  return {
    id: `ex-${ip}`,
    ts: '2026-02-01T00:00:00.000Z',
    account_id: 'acct-1',
    ip,
    endpoint: 'chat.completions',
    model: 'model-a',
    request: { messages: [{ role: 'user', content }] },
    user_agent: 'python-httpx/0.27',
    status: 200,
  };
}

/** Observes as the detector does: the account's counters, then its values. */
function observe(memory: ReturnType<typeof createKeyMemory>, state: AccountState, ex: Exchange) {
  const features = analyzer.analyze(ex.request, ex.endpoint);
  updateAccount(state, ex, features, 1000, 0.5);
  return [...memory.rememberExchange(state, ex, features, 1000)];
}

test('key memory: an exchange yields its address, subnet, client and template keys', () => {
  const index = createLinkageIndex();
  const memory = createKeyMemory({ index, compactKeys: false });
  const state = createAccountState(0, 'acct-1');
  const keyIds = observe(memory, state, exchange('203.0.113.7'));
  const types = keyIds.map((keyId) => index.typeOf(keyId));
  for (const type of [T.ip, T.subnet, T.user_agent, T.template]) assert.ok(types.includes(type));
  assert.deepEqual([...state.keys].sort(), [...new Set(keyIds)].sort());
  for (const keyId of keyIds) assert.deepEqual(index.members(keyId), [0]);
  for (const keyId of keyIds) assert.equal(index.activeMembers(keyId), 1);
});

test('key memory: a repeated exchange is counted, not remembered twice', () => {
  const index = createLinkageIndex();
  const memory = createKeyMemory({ index, compactKeys: false });
  const state = createAccountState(0, 'acct-1');
  const first = observe(memory, state, exchange('203.0.113.7'));
  const second = observe(memory, state, exchange('203.0.113.7'));
  assert.deepEqual(second, first);
  assert.equal(state.keys.length, new Set(first).size);
  const ip = index.find(T.ip, '203.0.113.7');
  assert.equal(index.exchangeCount(ip), 2);
  assert.equal(index.accountCount(ip), 1);
});

for (const compactKeys of [false, true]) {
  test(`key memory: addresses beyond the per-account cap (compactKeys ${compactKeys})`, () => {
    const index = createLinkageIndex();
    const memory = createKeyMemory({ index, compactKeys });
    const state = createAccountState(0, 'acct-1');
    for (let host = 1; host <= 30; host += 1)
      observe(memory, state, exchange(`198.51.100.${host}`));
    assert.equal(state.keysPerType[T.ip], 24);
    const beyond = index.find(T.ip, '198.51.100.30');
    // Exact: the value is interned (a later carrier may keep it); compact: only looked up.
    if (compactKeys) assert.equal(beyond, -1);
    else assert.equal(index.accountCount(beyond), 0);
  });
}

test('key memory: an account record’s values are its record keys', () => {
  const index = createLinkageIndex();
  const memory = createKeyMemory({ index, compactKeys: false });
  const state = createAccountState(0, 'acct-1');
  const record = {
    account_id: 'acct-1',
    created_at: '2026-02-01T00:00:00Z',
    payment_fingerprint: 'pay-1',
    email_domain: 'Example.COM',
  };
  memory.rememberAccount(state, record, 0);
  memory.rememberAccount(state, record, 0);
  const values = state.recordKeys.map((keyId) => [index.typeOf(keyId), index.valueOf(keyId)]);
  assert.deepEqual(values.slice(0, 2), [
    [T.payment_fingerprint, 'pay-1'],
    [T.email_domain, 'example.com'],
  ]);
  assert.equal(state.recordKeys.length, 3); // payment, email domain, signup burst; once each
});
