import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccountState } from '../account-state.js';
import { KEY_TYPE_INDEX } from '../linkage-key-type.js';
import { hasOwnTrace } from './own-trace.js';

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
