import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountRecord, Exchange } from '../../log/exchange.js';
import { createDetector, type Detector, type DetectorOptions } from '../create-detector.js';
import { buildTraffic } from '../testing/build-traffic.js';
import { FEATURE_NAMES } from './account-features.js';
import type { FittedModel } from './fitted-model-type.js';

function replay(
  accounts: readonly AccountRecord[],
  exchanges: readonly Exchange[],
  options: DetectorOptions,
): Detector {
  const detector = createDetector(options);
  const records = [...accounts].sort((a, b) => a.created_at.localeCompare(b.created_at));
  let next = 0;
  for (const exchange of exchanges) {
    while (next < records.length && (records[next] as AccountRecord).created_at < exchange.ts)
      detector.observeAccount(records[next++] as AccountRecord);
    detector.observe(exchange);
  }
  return detector;
}

const CUE = FEATURE_NAMES.indexOf('cue_share');
const POOLED = FEATURE_NAMES.indexOf('neighbour_pooled_cues');

/** One hand-set tree: eliciting (cue share ≥ 0.5) and in an eliciting neighbourhood. */
const STUMP: FittedModel = {
  model: {
    version: 1,
    features: [...FEATURE_NAMES],
    base: -2,
    trees: [
      {
        feature: [CUE, -1, POOLED, -1, -1],
        threshold: [0.5, 0, 0.8, 0, 0],
        left: [1, -1, 3, -1, -1],
        right: [2, -1, 4, -1, -1],
        value: [0, -4, 1, -1, 6],
      },
    ],
  },
  threshold: 0.9,
  minExchanges: 3,
  trainedOn: {},
};
const TAP_ONLY: FittedModel = { ...STUMP, threshold: 1 };

describe('fitted model as an evidence path', () => {
  // No clustering tick within the log: whatever is flagged, the model or a per-exchange rule did it.
  const traffic = buildTraffic({ hours: 2 });
  const options = { clusterEveryMs: 7 * 86_400_000 };
  const withModel = replay(traffic.accounts, traffic.exchanges, {
    ...options,
    model: { fitted: STUMP },
  });
  const verdicts = new Map(withModel.verdicts().map((verdict) => [verdict.account_id, verdict]));

  it('flags the operator with reason model_score and its top contributions as feature codes', () => {
    for (const account of traffic.attackAccounts) {
      const verdict = verdicts.get(account);
      assert.equal(verdict?.verdict, 'attack', account);
      const reason = verdict?.reasons.find((found) => found.code === 'model_score');
      assert.ok(reason, `${account}: no model_score reason`);
      const evidence = reason.evidence as { probability: number; top: { feature: string }[] };
      assert.ok(evidence.probability >= 0.9);
      // Along the path: cue share moves the node value 0 → 1, the pooled cues 1 → 6.
      assert.deepEqual(
        evidence.top.map((top) => top.feature),
        ['neighbour_pooled_cues', 'cue_share'],
      );
      assert.match(reason.detail, /cue_share/);
    }
  });

  it('keeps the honest accounts clean', () => {
    const flagged = traffic.legitAccounts.filter(
      (account) => verdicts.get(account)?.verdict !== 'clean',
    );
    assert.deepEqual(flagged, []);
  });

  it('off, or evaluating without flagging, gives the rules’ verdicts exactly', () => {
    const off = replay(traffic.accounts, traffic.exchanges, {
      ...options,
      model: false,
    }).verdicts();
    const tapped: number[] = [];
    const tapOnly = replay(traffic.accounts, traffic.exchanges, {
      ...options,
      model: { fitted: TAP_ONLY, tap: (state) => tapped.push(state.index) },
    }).verdicts();
    assert.ok(tapped.length > 0, 'the model was evaluated');
    assert.deepEqual(tapOnly, off);
    assert.ok(
      off.filter((verdict) => verdict.verdict === 'attack').length < traffic.attackAccounts.length,
    );
  });

  it('evaluates only accounts scoring at least minScore, and each far less often than per exchange', () => {
    const tapped = new Map<string, number>();
    replay(traffic.accounts, traffic.exchanges, {
      ...options,
      model: {
        fitted: { ...TAP_ONLY, minScore: 0.5 },
        tap: (state) => {
          assert.ok(state.score >= 0.5, `${state.id} evaluated at score ${state.score}`);
          tapped.set(state.id, (tapped.get(state.id) ?? 0) + 1);
        },
      },
    });
    assert.ok(traffic.attackAccounts.every((account) => tapped.has(account)));
    assert.ok(
      !traffic.legitAccounts.some((account) => account.startsWith('chat') && tapped.has(account)),
    );
    const exchanges = traffic.exchanges.filter((exchange) => exchange.account_id === 'attack-0');
    assert.ok((tapped.get('attack-0') ?? 0) <= exchanges.length / 2);
  });

  it('is causal: a log cut at T keeps every earlier flag', () => {
    const cutAt = traffic.exchanges[Math.floor(traffic.exchanges.length / 2)]?.ts ?? '';
    const prefix = traffic.exchanges.filter((exchange) => exchange.ts < cutAt);
    const cut = replay(traffic.accounts, prefix, { ...options, model: { fitted: STUMP } });
    const early = [...verdicts.values()].filter(
      (verdict) => verdict.first_flagged_at !== null && verdict.first_flagged_at < cutAt,
    );
    assert.ok(early.length > 0);
    for (const verdict of early)
      assert.equal(cut.assessment(verdict.account_id)?.flaggedAt, verdict.first_flagged_at);
  });
});
