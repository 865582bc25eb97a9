import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NEW_ACCOUNT_MS, newCarrierShare, rarityWeight } from './rarity-weight.js';

const DAY = 24 * 3600_000;

test('rarity: gmail carried by 40% of accounts weighs little, a throwaway domain fully', () => {
  assert.ok(rarityWeight(2000, 5000) < 0.35);
  assert.equal(rarityWeight(12, 5000), 1);
  assert.equal(rarityWeight(0, 5000), 0);
  assert.equal(rarityWeight(5000, 5000), 0);
});

const cases: { name: string; ages: number[]; operator: boolean }[] = [
  { name: 'throwaway domain: every carrier days old', ages: [0, 0.1, 1, 2, 3], operator: true },
  {
    name: 'university domain: sign-ups spread over years',
    ages: [400, 30, 2, 700, 90, 1, 250, 1200],
    operator: false,
  },
  {
    name: 'a startup on the programme this week, plus its older staff',
    ages: [1, 2, 3, 300, 500],
    operator: false,
  },
];

for (const { name, ages, operator } of cases) {
  test(`new-carrier share: ${name} → ${operator ? 'operator' : 'honest'}`, () => {
    const carriers = ages.map((days) => ({ createdMs: 0, firstMs: days * DAY }));
    const share = newCarrierShare(carriers);
    assert.equal(share >= 0.8, operator, `share ${share}`);
  });
}

test('new-carrier share: a carrier without a record is not new', () => {
  assert.equal(newCarrierShare([{ createdMs: Number.NaN, firstMs: NEW_ACCOUNT_MS / 2 }]), 0);
});
