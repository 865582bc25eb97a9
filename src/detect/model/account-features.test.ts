import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountRecord, Exchange } from '../../log/exchange.js';
import { createDetector, type DetectorOptions } from '../create-detector.js';
import { buildTraffic } from '../testing/build-traffic.js';
import { FEATURE_NAMES, type FeatureName } from './account-features.js';
import type { FittedModel } from './fitted-model-type.js';

/** Never flags: the rules decide, the tap sees every evaluation. */
const TAP_ONLY: FittedModel = {
  model: { version: 1, features: [...FEATURE_NAMES], base: 0, trees: [] },
  threshold: 1,
  minExchanges: 3,
  trainedOn: {},
};

/** Each account's last evaluated features, replaying records merged by time as `analyze` does. */
function lastFeatures(
  accounts: readonly AccountRecord[],
  exchanges: readonly Exchange[],
  options: DetectorOptions = {},
): Map<string, Record<FeatureName, number>> {
  const last = new Map<string, Record<FeatureName, number>>();
  const detector = createDetector({
    ...options,
    model: {
      fitted: TAP_ONLY,
      tap: (state, features) => {
        last.set(
          state.id,
          Object.fromEntries(FEATURE_NAMES.map((name, at) => [name, features[at]])) as Record<
            FeatureName,
            number
          >,
        );
      },
    },
  });
  const records = [...accounts].sort((a, b) => a.created_at.localeCompare(b.created_at));
  let next = 0;
  for (const exchange of exchanges) {
    while (next < records.length && (records[next] as AccountRecord).created_at < exchange.ts)
      detector.observeAccount(records[next++] as AccountRecord);
    detector.observe(exchange);
  }
  return last;
}

describe('accountFeatures', () => {
  // No clustering tick: the operator is evaluated before any campaign flags it.
  const traffic = buildTraffic({ hours: 2 });
  const features = lastFeatures(traffic.accounts, traffic.exchanges, {
    clusterEveryMs: 7 * 86_400_000,
  });
  const operator = features.get('attack-0');
  const natUser = features.get(traffic.legitAccounts.find((id) => id.startsWith('nat')) ?? '');
  const chatUser = features.get(traffic.legitAccounts.find((id) => id.startsWith('chat')) ?? '');

  it('evaluates the operator and the innocent carriers', () => {
    assert.ok(operator && natUser && chatUser, 'every kind of account evaluated');
  });

  // [feature, operator at least, innocent carriers (a NAT user, a chat user) below].
  const table: [FeatureName, number, number][] = [
    ['cue_share', 0.8, 0.3],
    ['rare_operator_keys', 0.3, 0.1],
    ['neighbour_mean_score', 0.8, 0.4],
    ['neighbour_max_score', 0.8, 0.3],
    ['neighbour_pooled_cues', 0.8, 0.4],
    ['neighbour_co_activity', 0.8, 0.7],
    ['domain_new_share', 0.5, 0.3],
    ['entry_risk', 0.9, 0.1],
  ];
  for (const [name, operatorAtLeast, innocentBelow] of table) {
    it(`${name}: operator ≥ ${operatorAtLeast}, NAT and chat users < ${innocentBelow}`, () => {
      assert.ok((operator?.[name] ?? -1) >= operatorAtLeast, `operator ${operator?.[name]}`);
      assert.ok((natUser?.[name] ?? 99) < innocentBelow, `NAT user ${natUser?.[name]}`);
      assert.ok((chatUser?.[name] ?? 99) < innocentBelow, `chat user ${chatUser?.[name]}`);
    });
  }

  it('every value is finite', () => {
    for (const [account, vector] of features)
      for (const name of FEATURE_NAMES)
        assert.ok(Number.isFinite(vector[name]), `${account} ${name} ${vector[name]}`);
  });
});
