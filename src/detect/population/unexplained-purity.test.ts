import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unexplainedPurity } from './unexplained-purity.js';

/** Binding bar of the population grouping (`MIN_PURITY` in population-communities.ts). */
const BAR = 0.6;

// Carrier counts read from the matrix (no-network seed 2; baseline seed 1), scale 0.05.
const cases: { name: string; suspicious: number; active: number; held: number; binds: boolean }[] =
  [
    {
      name: "a campaign's throwaway domain, 7 of its 11 carriers already held, the other 4 suspicious",
      suspicious: 4,
      active: 11,
      held: 7,
      binds: true,
    },
    {
      name: "the operator's system prompt, 115 of 120 carriers held, the 5 others suspicious",
      suspicious: 5,
      active: 120,
      held: 115,
      binds: true,
    },
    {
      name: "a popular SDK's header order: 89 of 457 carriers held, 199 of the other 368 suspicious",
      suspicious: 199,
      active: 457,
      held: 89,
      binds: false,
    },
    {
      name: 'a public template a campaign sends: 100 held, 3 suspicious students of 30 others',
      suspicious: 3,
      active: 130,
      held: 100,
      binds: false,
    },
    {
      name: 'nobody held: 3 suspicious carriers of 3 (smoothed to 0.6)',
      suspicious: 3,
      active: 3,
      held: 0,
      binds: true,
    },
    {
      name: 'nobody held: 2 suspicious carriers of 2 are not yet pure',
      suspicious: 2,
      active: 2,
      held: 0,
      binds: false,
    },
  ];

for (const { name, suspicious, active, held, binds } of cases) {
  test(`unexplained purity: ${name} → ${binds ? 'binds' : 'does not bind'}`, () => {
    const purity = unexplainedPurity(suspicious, active, held);
    assert.equal(purity >= BAR, binds, `purity ${purity}`);
  });
}

test('unexplained purity: held carriers leave both sides (counted as innocent, the domain would not bind)', () => {
  assert.ok(unexplainedPurity(4, 11, 0) < BAR);
  assert.ok(unexplainedPurity(4, 11, 7) >= BAR);
});

test('unexplained purity: more held than counted active (a capped key list) never divides by less than the prior', () => {
  assert.equal(unexplainedPurity(0, 3, 5), 0);
  assert.equal(unexplainedPurity(1, 3, 5), 0.5);
});
