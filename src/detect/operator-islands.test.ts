import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KEY_TYPE_INDEX } from './linkage-key-type.js';
import { operatorIslands } from './operator-islands.js';

const T = KEY_TYPE_INDEX;
/** Key id → key type: ids 0–9 payment cards, 10–19 IPs, 20–29 templates, 30–39 ASNs. */
const typeOf = (keyId: number): number =>
  keyId < 10 ? T.payment_fingerprint : keyId < 20 ? T.ip : keyId < 30 ? T.template : T.asn;

const cases: {
  name: string;
  keys: Record<number, number[]>;
  hubs: number[];
  expected: { accounts: number[]; identity: boolean }[];
}[] = [
  {
    name: 'a shared card joins two accounts into one identity island',
    keys: { 1: [1], 2: [1] },
    hubs: [1],
    expected: [{ accounts: [1, 2], identity: true }],
  },
  {
    name: 'a shared template links nobody: two islands',
    keys: { 1: [20], 2: [20] },
    hubs: [20],
    expected: [
      { accounts: [1], identity: false },
      { accounts: [2], identity: false },
    ],
  },
  {
    name: 'a shared ASN is not operator-controlled',
    keys: { 1: [30], 2: [30] },
    hubs: [30],
    expected: [
      { accounts: [1], identity: false },
      { accounts: [2], identity: false },
    ],
  },
  {
    name: 'campaign pairs (cards) and a NAT island (address) tied by a template stay apart',
    keys: { 1: [1, 20], 2: [1, 20], 3: [2, 20], 4: [2, 20], 5: [10, 20], 6: [10], 7: [10] },
    hubs: [1, 2, 10, 20],
    expected: [
      { accounts: [1, 2], identity: true },
      { accounts: [3, 4], identity: true },
      { accounts: [5, 6, 7], identity: false },
    ],
  },
  {
    name: 'an address and a card chain into one island with identity',
    keys: { 1: [10], 2: [10, 3], 3: [3] },
    hubs: [3, 10],
    expected: [{ accounts: [1, 2, 3], identity: true }],
  },
  {
    name: 'a value that is not a hub of the community links nothing',
    keys: { 1: [1], 2: [1] },
    hubs: [],
    expected: [
      { accounts: [1], identity: false },
      { accounts: [2], identity: false },
    ],
  },
];

for (const { name, keys, hubs, expected } of cases) {
  test(`operatorIslands: ${name}`, () => {
    const accounts = Object.keys(keys).map(Number);
    const islands = operatorIslands(
      accounts,
      (account) => keys[account] ?? [],
      new Set(hubs),
      typeOf,
    );
    const sorted = islands
      .map((island) => ({ accounts: [...island.accounts].sort(), identity: island.identity }))
      .sort((a, b) => (a.accounts[0] as number) - (b.accounts[0] as number));
    assert.deepEqual(sorted, expected);
  });
}
