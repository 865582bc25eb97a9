import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AccountState, createAccountState } from './account-state.js';
import { createLinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX } from './linkage-key-type.js';
import { ESTABLISHED_ACCOUNT_MS, isPublicValue } from './public-value.js';

const DAY = 24 * 3600_000;

interface Carrier {
  /** Days between sign-up and first request (NaN: no account record). */
  ageDays: number;
  subnet: string;
  clustered?: boolean;
}

function carriers(list: Carrier[]) {
  const index = createLinkageIndex();
  const accounts: AccountState[] = list.map((carrier, at) => {
    const state = createAccountState(at, `a${at}`);
    state.createdMs = 0;
    state.firstMs = carrier.ageDays * DAY;
    state.keys.push(index.intern(KEY_TYPE_INDEX.subnet, carrier.subnet));
    if (carrier.clustered) state.flaggedBy = 'cluster';
    return state;
  });
  return { index, accounts, ids: accounts.map((state) => state.index) };
}

const many = (n: number, make: (i: number) => Carrier) =>
  Array.from({ length: n }, (_, i) => make(i));

const cases: { name: string; list: Carrier[]; isPublic: boolean }[] = [
  {
    name: "an open-source agent's prompt: old users at home, outnumbered by four campaigns' pools",
    list: [
      ...many(6, (i) => ({ ageDays: 200 + i * 30, subnet: `81.${i}.0` })),
      ...many(170, (i) => ({ ageDays: i % 9, subnet: `100.${i}.0` })),
    ],
    isPublic: true,
  },
  {
    name: "an operator's own prompt: its new pool plus a dozen resellers behind two doors",
    list: [
      ...many(60, (i) => ({ ageDays: i % 9, subnet: `100.${i}.0` })),
      ...many(12, (i) => ({ ageDays: 300, subnet: `45.9.${i % 2}` })),
    ],
    isPublic: false,
  },
  {
    name: 'established accounts placed in the campaign by clustering are not independent',
    list: many(8, (i) => ({ ageDays: 400, subnet: `62.${i}.1`, clustered: true })),
    isPublic: false,
  },
  {
    name: 'carriers without an account record count on neither side',
    list: many(8, (i) => ({ ageDays: Number.NaN, subnet: `62.${i}.1` })),
    isPublic: false,
  },
  {
    name: 'two established carriers from two networks are not yet a public',
    list: many(2, (i) => ({ ageDays: 90, subnet: `62.${i}.1` })),
    isPublic: false,
  },
  {
    name: "a public agent's first three users of the morning, among a campaign's pool",
    list: [
      ...many(3, (i) => ({ ageDays: 120 + i, subnet: `81.${i}.3` })),
      ...many(14, (i) => ({ ageDays: i % 5, subnet: `100.${i}.0` })),
    ],
    isPublic: true,
  },
];

for (const { name, list, isPublic } of cases) {
  test(`public value: ${name} → ${isPublic ? 'public' : 'authored'}`, () => {
    const { index, accounts, ids } = carriers(list);
    assert.equal(isPublicValue(ids, accounts, index), isPublic);
  });
}

test('public value: a month-old account at its first request is established, a day younger is not', () => {
  const young = ESTABLISHED_ACCOUNT_MS / DAY - 1;
  const old = ESTABLISHED_ACCOUNT_MS / DAY;
  const five = (ageDays: number) => carriers(many(3, (i) => ({ ageDays, subnet: `9.${i}.9` })));
  const a = five(young);
  const b = five(old);
  assert.equal(isPublicValue(a.ids, a.accounts, a.index), false);
  assert.equal(isPublicValue(b.ids, b.accounts, b.index), true);
});
