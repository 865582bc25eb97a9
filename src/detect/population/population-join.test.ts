import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AccountState, createAccountState } from '../account-state.js';
import { DEFAULT_THRESHOLDS } from '../detector-thresholds.js';
import { createLinkageIndex } from '../linkage-index.js';
import { KEY_TYPE_INDEX } from '../linkage-key-type.js';
import { populationQuickJoin, rememberPopulationHubs } from './population-join.js';
import { createPopulationTracker } from './population-tracker.js';

const NOW = Date.parse('2026-03-03T12:00:00Z');
const DAY = 86_400_000;
const CAMPAIGN = 4;
/** The rule on, from the first exchange (off by default). */
const ON = { ...DEFAULT_THRESHOLDS, populationQuickJoinExchanges: 1 };

/**
 * Three members placed by the grouping (a throwaway domain, the harness's template and build),
 * flagged into campaign 4; the newcomer carries `values` of those and sends `exchanges` requests.
 */
function setUp(
  values: string[],
  options: { cue: boolean; ageDays: number; exchanges: number; subnets?: number },
) {
  const index = createLinkageIndex();
  const tracker = createPopulationTracker();
  const keys = {
    domain: index.intern(KEY_TYPE_INDEX.email_domain, 'mailbox-x.io'),
    template: index.intern(KEY_TYPE_INDEX.template, 'tpl-harness'),
    build: index.intern(KEY_TYPE_INDEX.tls_fingerprint, 'tls-harness'),
    batch: index.intern(KEY_TYPE_INDEX.signup_burst, '990912'),
  };
  const accounts: AccountState[] = [];
  for (let at = 0; at < 3; at += 1) {
    const member = createAccountState(at, `member-${at}`);
    member.createdMs = NOW - 2 * DAY;
    member.firstMs = NOW - DAY;
    member.flaggedMs = NOW - DAY;
    member.flaggedBy = 'cluster';
    member.campaign = CAMPAIGN;
    for (const keyId of Object.values(keys)) {
      index.addMember(keyId, at, NOW - DAY);
      member.keys.push(keyId);
    }
    tracker.findings.set(at, { code: 'population_linkage', evidence: { accounts: 3 } });
    accounts.push(member);
  }
  rememberPopulationHubs(
    tracker,
    [{ accounts: [0, 1, 2], hubs: Object.values(keys), families: new Set(), meanScore: 0.6 }],
    accounts,
  );
  const newcomer = createAccountState(3, 'newcomer');
  newcomer.createdMs = NOW - options.ageDays * DAY;
  newcomer.firstMs = NOW;
  newcomer.exchanges = options.exchanges;
  newcomer.cueExchanges = options.cue ? 1 : 0;
  newcomer.keysPerType[KEY_TYPE_INDEX.subnet] = options.subnets ?? 1;
  for (const value of values) {
    const keyId = keys[value as keyof typeof keys];
    index.addMember(keyId, 3, NOW);
    newcomer.keys.push(keyId);
  }
  accounts.push(newcomer);
  const context = { accounts, index, tracker, thresholds: ON };
  return () => populationQuickJoin(newcomer, options.cue, NOW, context);
}

const cases: {
  name: string;
  values: string[];
  cue: boolean;
  ageDays: number;
  exchanges?: number;
  subnets?: number;
  joins: boolean;
}[] = [
  {
    name: "the pool's next account (domain and template), eliciting on its first request",
    values: ['domain', 'template'],
    cue: true,
    ageDays: 1,
    joins: true,
  },
  {
    name: 'the same account on a request that elicits nothing yet',
    values: ['domain', 'template'],
    cue: false,
    ageDays: 1,
    joins: false,
  },
  {
    name: "a customer on the harness's SDK build sending the same template (no pool value)",
    values: ['build', 'template'],
    cue: true,
    ageDays: 1,
    joins: false,
  },
  {
    name: 'a user of the same mail provider, nothing else shared',
    values: ['domain'],
    cue: true,
    ageDays: 1,
    joins: false,
  },
  {
    name: 'an account of months standing with two of the values (needs a third family)',
    values: ['domain', 'template'],
    cue: true,
    ageDays: 200,
    joins: false,
  },
  {
    name: 'an account of months standing with all three',
    values: ['domain', 'template', 'build'],
    cue: true,
    ageDays: 200,
    joins: true,
  },
  {
    name: "a homework student who signed up in the pool's minute, sending a template it sends (one home network)",
    values: ['batch', 'template'],
    cue: true,
    ageDays: 2,
    exchanges: 3,
    joins: false,
  },
  {
    name: "the pool's account of that batch on its proxy exits (three networks)",
    values: ['batch', 'template'],
    cue: true,
    ageDays: 2,
    exchanges: 3,
    subnets: 3,
    joins: true,
  },
  {
    name: "an account of that batch on the pool's throwaway domain (a value the operator hands)",
    values: ['batch', 'domain'],
    cue: true,
    ageDays: 2,
    exchanges: 3,
    joins: true,
  },
];

for (const { name, values, cue, ageDays, exchanges = 1, subnets = 1, joins } of cases) {
  test(`population quick join (on): ${name} → ${joins ? 'joins' : 'waits'}`, () => {
    const join = setUp(values, { cue, ageDays, exchanges, subnets });
    assert.equal(join(), joins ? CAMPAIGN : -1);
  });
}

test('population quick join: a joined newcomer lends no ties (no chains)', () => {
  const index = createLinkageIndex();
  const tracker = createPopulationTracker();
  const domain = index.intern(KEY_TYPE_INDEX.email_domain, 'd');
  const template = index.intern(KEY_TYPE_INDEX.template, 't');
  const accounts: AccountState[] = [];
  for (let at = 0; at < 3; at += 1) {
    const state = createAccountState(at, `a${at}`);
    state.createdMs = NOW - DAY;
    state.firstMs = NOW;
    state.exchanges = 1;
    state.cueExchanges = 1;
    for (const keyId of [domain, template]) {
      index.addMember(keyId, at, NOW);
      state.keys.push(keyId);
    }
    accounts.push(state);
  }
  // Only account 0 was placed by the grouping; 1 joined quickly.
  for (const at of [0, 1]) {
    const state = accounts[at] as AccountState;
    state.flaggedMs = NOW - DAY;
    state.flaggedBy = 'cluster';
    state.campaign = CAMPAIGN;
  }
  tracker.findings.set(0, { code: 'population_linkage', evidence: {} });
  tracker.findings.set(1, { code: 'population_linkage', evidence: { joinedBy: 2 } });
  rememberPopulationHubs(
    tracker,
    [{ accounts: [0], hubs: [domain, template], families: new Set(), meanScore: 0.6 }],
    accounts,
  );
  const context = { accounts, index, tracker, thresholds: ON };
  assert.equal(populationQuickJoin(accounts[2] as AccountState, true, NOW, context), -1);
});

test('population quick join: off at Infinity', () => {
  const join = setUp(['domain', 'template'], { cue: true, ageDays: 1, exchanges: 1 });
  assert.equal(join(), CAMPAIGN);
  const index = createLinkageIndex();
  const tracker = createPopulationTracker();
  const state = createAccountState(0, 'a');
  state.exchanges = 1;
  const thresholds = { ...DEFAULT_THRESHOLDS, populationQuickJoinExchanges: Infinity };
  tracker.joinHubs.set(0, CAMPAIGN);
  assert.equal(
    populationQuickJoin(state, true, NOW, { accounts: [state], index, tracker, thresholds }),
    -1,
  );
});
