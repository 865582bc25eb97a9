import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deserialize, serialize } from 'node:v8';
import type { Exchange } from '../log/exchange.js';
import type { AccountState } from './account-state.js';
import { createDetector, DETECTOR_STATE_VERSION, type DetectorState } from './create-detector.js';
import { EXIT_KIND_INDEX } from './exit-kind.js';
import { createIpAsnTable } from './ip-asn-table.js';
import { buildTraffic } from './testing/build-traffic.js';

const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

// A restart from a snapshot must go on exactly as the engine that never stopped: every
// assessment after the cut, the verdicts and the campaigns, at several cut points.
const traffic = buildTraffic();
const cuts = [0.1, 0.5, 0.9].map((share) => Math.floor(traffic.exchanges.length * share));
for (const cut of cuts) {
  test(`a detector restored at exchange ${cut} of ${traffic.exchanges.length} decides as the uninterrupted one`, () => {
    const whole = createDetector();
    const first = createDetector();
    for (const account of traffic.accounts) {
      whole.observeAccount(account);
      first.observeAccount(account);
    }
    for (const exchange of traffic.exchanges.slice(0, cut)) {
      whole.observe(exchange);
      first.observe(exchange);
    }
    const bytes = serialize(first.exportState());
    const restored = createDetector();
    restored.importState(deserialize(bytes) as DetectorState);
    // The first engine goes on too: the snapshot is a copy, not shared state.
    for (const exchange of traffic.exchanges.slice(cut) as Exchange[]) {
      const expected = plain(whole.observe(exchange));
      assert.deepEqual(plain(restored.observe(exchange)), expected, `at ${exchange.id}`);
      first.observe(exchange);
    }
    whole.flush();
    restored.flush();
    first.flush();
    assert.deepEqual(plain(restored.verdicts()), plain(whole.verdicts()));
    assert.deepEqual(plain(restored.campaigns()), plain(whole.campaigns()));
    assert.deepEqual(plain(first.verdicts()), plain(whole.verdicts()));
    assert.ok(
      whole.verdicts().some((verdict) => verdict.verdict === 'attack'),
      'the campaign is flagged',
    );
  });
}

test('a state of another version is refused whole', () => {
  const state = createDetector().exportState();
  assert.throws(
    () => createDetector().importState({ ...state, version: DETECTOR_STATE_VERSION + 1 }),
    /cannot be restored/,
  );
  assert.throws(
    () => createDetector().importState({ ...state, parts: { index: state.parts.index ?? {} } }),
    /lacks membership/,
  );
});

test('a version-2 snapshot (before the exit-kind counters) restores, and counts exits from then on', () => {
  const ipAsn = createIpAsnTable([
    { prefix: '0.0.0.0/0', asn: 64500, asn_org: 'ANY-ISP', kind: 'residential' },
    { prefix: '::/0', asn: 64500, asn_org: 'ANY-ISP', kind: 'residential' },
  ]);
  const cut = Math.floor(traffic.exchanges.length / 2);
  const first = createDetector({ ipAsn });
  for (const account of traffic.accounts) first.observeAccount(account);
  for (const exchange of traffic.exchanges.slice(0, cut)) first.observe(exchange);
  const state = deserialize(serialize(first.exportState())) as DetectorState;
  const accountsOf = (snapshot: DetectorState) =>
    (snapshot.parts.membership as { accounts: AccountState[] }).accounts;
  for (const account of accountsOf(state)) {
    const earlier = account as Partial<AccountState>;
    delete earlier.exitRequests;
    delete earlier.exitSubnets;
    delete earlier.lastExitKind;
  }
  const restored = createDetector({ ipAsn });
  restored.importState({ ...state, version: 2 });
  const later = traffic.exchanges.slice(cut) as Exchange[];
  for (const exchange of later) restored.observe(exchange);
  const accounts = accountsOf(restored.exportState());
  const residential = accounts.reduce(
    (sum, account) => sum + (account.exitRequests[EXIT_KIND_INDEX.residential] as number),
    0,
  );
  const counted = later.filter((exchange) => exchange.operation !== 'count_tokens').length;
  assert.equal(residential, counted);
});
