import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccountState } from '../account-state.js';
import { KEY_TYPE_INDEX } from '../linkage-key-type.js';
import { hasOwnTrace, ownFamiliesNeeded } from './own-trace.js';

const cases: { name: string; subnets: number; languages: string[]; operator: boolean }[] = [
  { name: 'a student at home, one language', subnets: 1, languages: ['en'], operator: false },
  { name: 'a classroom behind the campus NAT', subnets: 1, languages: ['de'], operator: false },
  {
    name: 'a bilingual developer, office and home',
    subnets: 2,
    languages: ['en', 'fr'],
    operator: false,
  },
  {
    name: 'a trilingual student (maths read as a third language)',
    subnets: 1,
    languages: ['en', 'es', 'pt'],
    operator: false,
  },
  { name: 'a residential proxy rotating daily', subnets: 5, languages: ['en'], operator: true },
  {
    name: 'a sweep across languages on one sticky exit',
    subnets: 1,
    languages: ['en', 'zh', 'ru', 'ko', 'ja'],
    operator: true,
  },
];

for (const { name, subnets, languages, operator } of cases) {
  test(`own trace: ${name} → ${operator ? 'trace' : 'none'}`, () => {
    const state = createAccountState(0, 'a');
    state.keysPerType[KEY_TYPE_INDEX.subnet] = subnets;
    state.languages = languages.flatMap((language) => [language, 3]);
    assert.equal(hasOwnTrace(state), operator);
  });
}

const DAY_MS = 86_400_000;
const ages: { name: string; createdDaysBefore: number | null; needed: number }[] = [
  { name: 'a pool account opened the day before', createdDaysBefore: 1, needed: 2 },
  { name: 'an account staged three weeks ahead', createdDaysBefore: 21, needed: 2 },
  { name: 'an account without a record', createdDaysBefore: null, needed: 2 },
  { name: 'a VPN user of four months', createdDaysBefore: 120, needed: 3 },
  { name: 'an aged account (31 days) bought for a campaign', createdDaysBefore: 31, needed: 3 },
];

for (const { name, createdDaysBefore, needed } of ages) {
  test(`own families needed: ${name} → ${needed}`, () => {
    const state = createAccountState(0, 'a');
    state.firstMs = Date.parse('2026-04-06T00:00:00Z');
    state.createdMs =
      createdDaysBefore === null ? Number.NaN : state.firstMs - createdDaysBefore * DAY_MS;
    assert.equal(ownFamiliesNeeded(state), needed);
  });
}
