import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TruthRecord } from '../log/exchange.js';
import { createSimulation, loadScenario } from '../simulate/index.js';
import { createDetector } from './create-detector.js';

// End to end on a small simulated quickstart (seed 1 is the tuning seed; the bounds are the
// issue's targets with a margin for the small sample).
test('detector on quickstart (scale 0.1): recall, false positives and leakage within bounds', async () => {
  const simulation = createSimulation(await loadScenario('quickstart'), { seed: 1, scale: 0.1 });
  const detector = createDetector();
  const truth = new Map<string, TruthRecord>();
  const attackExchanges: { account: string; ts: string }[] = [];
  for (let event = simulation.next(); event; event = simulation.next()) {
    if (event.type === 'account') {
      truth.set(event.account.account_id, event.truth);
      detector.observeAccount(event.account);
    } else {
      detector.observe(event.exchange);
      if (event.campaignId)
        attackExchanges.push({ account: event.exchange.account_id, ts: event.exchange.ts });
    }
  }
  const verdicts = new Map(detector.verdicts().map((verdict) => [verdict.account_id, verdict]));
  let attack = 0;
  let caught = 0;
  let legit = 0;
  let falsePositives = 0;
  for (const record of truth.values()) {
    const flagged = verdicts.get(record.account_id)?.verdict === 'attack';
    if (record.label === 'attack') {
      attack += 1;
      if (flagged) caught += 1;
    } else if (record.label === 'legit') {
      legit += 1;
      if (flagged) falsePositives += 1;
    }
  }
  const leaked = attackExchanges.filter(({ account, ts }) => {
    const flaggedAt = verdicts.get(account)?.first_flagged_at;
    return flaggedAt === null || flaggedAt === undefined || ts < flaggedAt;
  }).length;
  assert.ok(attack >= 20 && legit >= 100, `sample too small: ${attack} attack, ${legit} legit`);
  assert.ok(caught / attack >= 0.95, `recall ${caught}/${attack}`);
  assert.ok(falsePositives / legit <= 0.01, `false positives ${falsePositives}/${legit}`);
  assert.ok(leaked / attackExchanges.length <= 0.1, `leakage ${leaked}/${attackExchanges.length}`);
  assert.ok(detector.campaigns().length >= 2, 'the campaigns were merged into one');
});
