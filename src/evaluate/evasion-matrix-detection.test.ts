import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDetector } from '../detect/index.js';
import type { TruthRecord } from '../log/exchange.js';
import { createSimulation } from '../simulate/create-simulation.js';
import { type EvasionCell, evasionScenario } from '../simulate/evasion-matrix.js';
import { parseScenario } from '../simulate/parse-scenario.js';
import { adjustedRandIndex } from './adjusted-rand-index.js';

/**
 * The evasion matrix (issue 15) end to end at small scale: simulate a cell, replay it through the
 * engine, flush, and score accounts against the truth. Seed 2 is a reporting seed (the engine was
 * tuned on seed 1). The bounds are what the engine measured here (scale 0.02, seed 2) with a
 * margin, not the issue's targets. Measured 2026-12-07 (branch group-fp, with the four reviewer
 * look-alikes in the matrix): baseline recall 148 / 150, customer FP 0 / 429;
 * no-network+no-identity recall 150 / 150, FP 0 / 429 (was 2 / 350, shared_nat 2.6%). After the
 * merge with the 20-minute population pass and operator labels limited to resellers' doors:
 * baseline 148 / 150, FP 0 / 429, ARI 0.384; no-network+no-identity 145 / 150, FP 0 / 429,
 * ARI 0.053 (the full operator partition reached 0.88 / 0.86 but split the adaptive scenario's
 * one operator into dozens: docs/detection.md#operator-labels-campaign-ids). With the harness-swarm
 * finding on by default (branch harness-fp: the classroom it seemed to flag in the red-team cell was
 * the linkage clustering's, now closed in acceptCommunity), baseline recall here is 148 / 150 again
 * (141 / 150 with it off), no-network+no-identity 145 / 150, FP 0 / 429 in both; at scale 0.05
 * baseline recall is 100% on seeds 2 and 3. With operator labels drawn from the capability mix and
 * the sign-up procedure (branch ari-op): ARI 0.910 (baseline) and 0.937 (no-network+no-identity).
 * Not yet met (see docs/detection.md#evasion-matrix): leakage ≤ 5%, median first flag ≤ 1 h.
 */
const SCALE = 0.02;
const SEED = 2;

function score(cell: EvasionCell) {
  const simulation = createSimulation(parseScenario(evasionScenario(cell)), {
    seed: SEED,
    scale: SCALE,
  });
  const detector = createDetector();
  const truth = new Map<string, TruthRecord>();
  const active = new Set<string>();
  for (let event = simulation.next(); event; event = simulation.next()) {
    if (event.type === 'account') {
      truth.set(event.account.account_id, event.truth);
      detector.observeAccount(event.account);
    } else {
      active.add(event.exchange.account_id);
      detector.observe(event.exchange);
    }
  }
  detector.flush();
  const verdicts = detector.verdicts();
  const flagged = new Set(
    verdicts.filter((verdict) => verdict.verdict === 'attack').map((verdict) => verdict.account_id),
  );
  const campaignOf = new Map(verdicts.map((verdict) => [verdict.account_id, verdict.campaign_id]));
  const truthLabels: string[] = [];
  const predicted: string[] = [];
  let attacks = 0;
  let caught = 0;
  let honest = 0;
  let falsePositives = 0;
  const byGroup = new Map<string, { n: number; fp: number }>();
  for (const account of active) {
    const record = truth.get(account);
    if (!record) continue;
    if (record.label === 'attack') {
      attacks += 1;
      if (flagged.has(account)) caught += 1;
      // As `eval` scores it: unflagged or unattributed accounts are singletons.
      const campaign = flagged.has(account) ? campaignOf.get(account) : null;
      truthLabels.push(record.campaign_id ?? 'none');
      predicted.push(campaign ? `p:${campaign}` : `s:${account}`);
    } else if (record.label === 'legit') {
      honest += 1;
      const group = byGroup.get(record.group ?? 'none') ?? { n: 0, fp: 0 };
      group.n += 1;
      if (flagged.has(account)) {
        falsePositives += 1;
        group.fp += 1;
      }
      byGroup.set(record.group ?? 'none', group);
    }
  }
  const ari = adjustedRandIndex(truthLabels, predicted);
  return { attacks, caught, honest, falsePositives, byGroup, ari };
}

const BOUNDS: {
  cell: EvasionCell;
  recall: number;
  fpRate: number;
  groupFp: number;
  ari: number;
}[] = [
  { cell: 'baseline', recall: 0.98, fpRate: 0.003, groupFp: 0.04, ari: 0.85 },
  { cell: 'no-network+no-identity', recall: 0.95, fpRate: 0.003, groupFp: 0.04, ari: 0.85 },
];

for (const { cell, recall, fpRate, groupFp, ari } of BOUNDS) {
  test(`evasion matrix ${cell} (scale ${SCALE}, seed ${SEED}): recall, false-positive and ARI bounds`, (t) => {
    const result = score(cell);
    const groups = [...result.byGroup].filter(([, { fp }]) => fp > 0);
    t.diagnostic(
      `recall ${result.caught}/${result.attacks}, customer FP ${result.falsePositives}/${result.honest}` +
        groups.map(([group, { n, fp }]) => ` ${group} ${fp}/${n}`).join('') +
        `, ARI ${result.ari.toFixed(3)}`,
    );
    assert.ok(result.attacks > 100 && result.honest > 300, 'a real population');
    const measured = result.caught / result.attacks;
    assert.ok(result.ari >= ari, `campaign ARI ${result.ari.toFixed(3)}`);
    assert.ok(measured >= recall, `recall ${result.caught}/${result.attacks}`);
    assert.ok(
      result.falsePositives / result.honest <= fpRate,
      `customer FP ${result.falsePositives}/${result.honest}`,
    );
    for (const [group, { n, fp }] of result.byGroup) {
      // Groups of fewer than 20 active accounts: one flag is already > 5%.
      if (n >= 20) assert.ok(fp / n <= groupFp, `${group}: ${fp}/${n}`);
    }
  });
}
