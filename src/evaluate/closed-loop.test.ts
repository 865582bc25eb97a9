import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SimulationSummary } from '../simulate/index.js';
import { runClosedLoop } from './index.js';

// A small quickstart through the real simulator and detector. Detection quality is the engine's
// test; this one checks that the loop and the simulator agree on what happened.
const OPTIONS = { scenario: 'quickstart', seed: 3, scale: 0.02 } as const;

test('closed loop on quickstart: suspensions, exchanges and accounts agree with the simulator', async () => {
  const report = await runClosedLoop({ ...OPTIONS, enforce: 'suspend' });
  const summary = report.enforcement.simulation as SimulationSummary;
  const { accounts } = report;
  assert.equal(report.exchanges?.total, summary.exchanges);
  assert.equal(
    accounts.attack + accounts.legit + accounts.mixed + accounts.inactive,
    summary.accounts,
  );
  const suspendedBySimulator = summary.personas.reduce(
    (sum, persona) => sum + persona.suspended,
    0,
  );
  assert.equal(report.enforcement.suspensions, suspendedBySimulator);
  assert.ok(report.enforcement.refusedExchanges >= report.enforcement.suspensions);
  assert.ok((report.leakage?.count ?? 0) <= (report.leakage?.total ?? 0));
  assert.equal(report.targetProfile, 'seed-scale');
  assert.ok(report.targets.length >= 6);
});

test('closed loop is deterministic for a seed, and without enforcement nothing is suspended', async () => {
  const first = await runClosedLoop({ ...OPTIONS, enforce: 'none' });
  const second = await runClosedLoop({ ...OPTIONS, enforce: 'none' });
  assert.deepEqual(first, second);
  const summary = first.enforcement.simulation as SimulationSummary;
  assert.equal(
    summary.personas.reduce((sum, persona) => sum + persona.suspended, 0),
    0,
  );
  assert.equal(first.enforcement.suspensions, 0);
  assert.equal(first.enforcement.replacements.accounts, 0);
});

// issue 16, item 12: the tests above check the report against itself, so they all stay green
// when the loop stops scoring live (suspensions 5 → 0, leakage 100%). This one holds the loop to
// what the simulator says happened: who attacked, with how many exchanges, and whom it banned.
test('closed loop stops attackers: suspensions come from live scoring and withhold attack traffic', async () => {
  const report = await runClosedLoop({ ...OPTIONS, enforce: 'suspend' });
  const summary = report.enforcement.simulation as SimulationSummary;
  // Attack personas are the operators' (no customer group); their bans are the simulator's own count.
  const attackPersonas = summary.personas.filter((persona) => persona.group === null);
  const customerPersonas = summary.personas.filter((persona) => persona.group !== null);
  const attackersBanned = attackPersonas.reduce((sum, persona) => sum + persona.suspended, 0);
  assert.ok(attackPersonas.length > 0 && customerPersonas.length > 0);
  assert.ok(attackersBanned >= 1, 'no attack account was suspended: is the loop scoring live?');
  assert.equal(
    customerPersonas.reduce((sum, persona) => sum + persona.suspended, 0),
    0,
    'a customer persona was suspended',
  );
  // Each banned attacker had at least its flagging exchange refused (a gateway scores before it
  // serves), so leakage is bounded by the simulator's attack volume minus those bans.
  const attackExchanges = report.exchanges?.attack ?? 0;
  assert.ok(attackExchanges > 0);
  assert.equal(report.leakage?.total, attackExchanges);
  assert.ok(
    (report.leakage?.count ?? attackExchanges) <= attackExchanges - attackersBanned,
    `leakage ${report.leakage?.count} of ${attackExchanges} with ${attackersBanned} attackers banned`,
  );
  assert.ok(report.enforcement.refusedExchanges >= attackersBanned);
});
