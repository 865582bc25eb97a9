import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSimulation, parseScenario, type Simulation, type SimulationEvent } from './index.js';

const HOUR = 3_600_000;

function scenario(cadence: 'round-robin' | 'human', delayMinutes: number) {
  return parseScenario({
    name: 'loop',
    start: '2026-02-02T00:00:00Z',
    days: 2,
    personas: [{ persona: 'chat', accounts: 20 }],
    campaigns: [
      {
        id: 'loop',
        operator: 'op',
        profile: 'reasoning',
        tasks: { reasoning_trace: 1 },
        accounts: 10,
        exchanges: 4000,
        cadence,
        regrowth: { delayMinutes, keepFingerprint: 1 },
      },
    ],
  });
}

function drainUntil(
  simulation: Simulation,
  until: number,
  onEvent: (event: SimulationEvent) => void,
): void {
  for (let event = simulation.next(); event; event = simulation.next()) {
    onEvent(event);
    if (event.at >= until) return;
  }
}

describe('closed loop', () => {
  it('suspend: the account stops and a replacement appears after the regrowth delay', () => {
    const simulation = createSimulation(scenario('round-robin', 60), { seed: 4 });
    let target: string | undefined;
    let suspendedAt = 0;
    let replacement: { id: string; at: number; payment?: string | undefined } | undefined;
    let targetPayment: string | undefined;
    const payments = new Map<string, string | undefined>();
    let afterSuspension = 0;
    for (let event = simulation.next(); event; event = simulation.next()) {
      if (event.type === 'account') {
        payments.set(event.account.account_id, event.account.payment_fingerprint);
        if (target && event.truth.label === 'attack' && !replacement) {
          replacement = {
            id: event.account.account_id,
            at: event.at,
            payment: event.account.payment_fingerprint,
          };
        }
        continue;
      }
      if (!target && event.campaignId === 'loop' && event.at > 2 * HOUR) {
        target = event.exchange.account_id;
        targetPayment = payments.get(target);
        suspendedAt = event.at;
        simulation.feedback({
          accountId: target,
          action: 'suspend',
          at: event.at,
          campaignId: 'loop',
        });
      } else if (target && event.exchange.account_id === target) {
        afterSuspension += 1;
      }
    }
    assert.ok(target, 'found an attack account');
    assert.equal(afterSuspension, 0, 'a suspended account sends nothing');
    assert.ok(replacement, 'the operator replaced the account');
    const delay = replacement.at - suspendedAt;
    assert.ok(
      delay >= 30 * 60_000 && delay <= 90 * 60_000,
      `replacement after ${delay / 60_000} min`,
    );
    assert.equal(
      replacement.payment,
      targetPayment,
      'the replacement keeps the old payment fingerprint',
    );
    const summary = simulation.summary().campaigns[0];
    assert.equal(summary?.suspended, 1);
    assert.equal(summary?.replacements, 1);
  });

  it('throttle: the throttled account sends at a lower rate', () => {
    for (const cadence of ['round-robin', 'human'] as const) {
      const simulation = createSimulation(scenario(cadence, 600), { seed: 5 });
      const counts = new Map<string, { before: number; after: number }>();
      let target: string | undefined;
      const throttleAt = 24 * HOUR;
      drainUntil(simulation, 48 * HOUR + Date.parse('2026-02-02T00:00:00Z'), (event) => {
        if (event.type !== 'exchange' || event.campaignId !== 'loop') return;
        const id = event.exchange.account_id;
        const relative = event.at - Date.parse('2026-02-02T00:00:00Z');
        const entry = counts.get(id) ?? { before: 0, after: 0 };
        if (relative < throttleAt) entry.before += 1;
        else entry.after += 1;
        counts.set(id, entry);
        if (!target && relative >= throttleAt) {
          target = id;
          simulation.feedback({ accountId: id, action: 'throttle', at: event.at });
        }
      });
      const throttled = counts.get(target as string);
      assert.ok(throttled && throttled.before > 20, `${cadence}: enough traffic before`);
      assert.ok(
        throttled.after < throttled.before * 0.6,
        `${cadence}: ${throttled.before} → ${throttled.after}`,
      );
    }
  });

  it('degrade caps the output of the account; a failed challenge makes the operator replace it', () => {
    const base = scenario('round-robin', 30);
    const strict = {
      ...base,
      campaigns: base.campaigns.map((campaign) => ({ ...campaign, challengePass: 0 })),
    };
    const simulation = createSimulation(strict, { seed: 6 });
    const degraded = new Set<string>();
    const challenged = new Set<string>();
    let degradedOutputs = 0;
    let challengedAfter = 0;
    drainUntil(simulation, Date.parse('2026-02-03T12:00:00Z'), (event) => {
      if (event.type !== 'exchange') return;
      const id = event.exchange.account_id;
      if (degraded.has(id) && event.exchange.response) {
        assert.ok(event.exchange.response.output_tokens <= 300, 'degraded output is capped');
        assert.equal(event.exchange.response.reasoning_tokens, undefined, 'reasoning withheld');
        degradedOutputs += 1;
      }
      if (challenged.has(id)) challengedAfter += 1;
      if (event.campaignId === null && degraded.size < 5 && !degraded.has(id)) {
        degraded.add(id);
        simulation.feedback({ accountId: id, action: 'degrade', at: event.at });
      }
      if (event.campaignId === 'loop' && challenged.size < 3 && !challenged.has(id)) {
        challenged.add(id);
        simulation.feedback({ accountId: id, action: 'challenge', at: event.at });
      }
    });
    assert.ok(degradedOutputs > 0, 'degraded customers kept sending');
    assert.equal(challengedAfter, 0, 'challenged attack accounts that fail are abandoned');
    assert.equal(simulation.summary().campaigns[0]?.replacements, 3);
  });
});
