import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type AccountState, createAccountState } from '../account-state.js';
import { DEFAULT_THRESHOLDS } from '../detector-thresholds.js';
import { createLinkageIndex } from '../linkage-index.js';
import { KEY_TYPE_INDEX } from '../linkage-key-type.js';
import { joinRemnants } from './join-remnants.js';
import { remnantCampaign } from './operator-remnant.js';

const DAY_MS = 86_400_000;
const FIRST_MS = Date.parse('2026-04-06T00:00:00Z');
const CAMPAIGN = 4;

/** The account under test: how it looks on its own, and which of the campaign's values it carries. */
interface Subject {
  score: number;
  cueShare: number;
  subnets: number;
  ageDays: number;
  /** The last clustering left the campaign's community out: it keeps its members, owns nothing. */
  unowned?: boolean;
  byCarriers?: boolean;
  /** Values it carries: the campaign's domain, client build, prompts; or public ones. */
  carries: readonly ('domain' | 'client' | 'prompts' | 'public-prompts' | 'popular-sdk')[];
}

const REMNANT: Subject = {
  score: 0.9,
  cueShare: 0.95,
  subnets: 4,
  ageDays: 3,
  carries: ['domain', 'client', 'prompts'],
};

/**
 * A campaign of six flagged members sends its own prompts (carried by nobody else), uses a
 * throwaway domain and a harness's client build; a public homework question and a popular SDK's
 * header order are also carried by twenty honest students and developers.
 */
function world(subject: Subject): {
  state: AccountState;
  context: Parameters<typeof remnantCampaign>[1];
} {
  const index = createLinkageIndex();
  const accounts: AccountState[] = [];
  const make = (id: string): AccountState => {
    const state = createAccountState(accounts.length, id);
    state.exchanges = 50;
    state.firstMs = FIRST_MS;
    state.createdMs = FIRST_MS - DAY_MS;
    accounts.push(state);
    return state;
  };
  const members = Array.from({ length: 6 }, (_, at) => {
    const state = make(`member-${at}`);
    state.flaggedMs = FIRST_MS;
    state.campaign = CAMPAIGN;
    return state;
  });
  const honest = Array.from({ length: 20 }, (_, at) => {
    const state = make(`honest-${at}`);
    state.score = 0.2;
    return state;
  });
  const state = make('subject');
  state.exchanges = 100;
  state.score = subject.score;
  state.candidate = subject.score >= DEFAULT_THRESHOLDS.candidateScore;
  state.cueExchanges = Math.round(subject.cueShare * 103);
  state.keysPerType[KEY_TYPE_INDEX.subnet] = subject.subnets;
  state.createdMs = FIRST_MS - subject.ageDays * DAY_MS;
  const owners: number[] = [];
  const value = (type: number, name: string, carriers: readonly AccountState[], owner: number) => {
    const keyId = index.intern(type, name);
    for (const carrier of carriers) {
      index.addMember(keyId, carrier.index, FIRST_MS);
      index.addActiveMember(keyId);
      carrier.keys.push(keyId);
    }
    owners[keyId] = owner;
    return keyId;
  };
  const values = {
    domain: [value(KEY_TYPE_INDEX.email_domain, 'zen-institute.edu', members, CAMPAIGN)],
    client: [value(KEY_TYPE_INDEX.user_agent, 'Harness/0.4', members, CAMPAIGN)],
    prompts: [0, 1, 2, 3].map((at) =>
      value(KEY_TYPE_INDEX.template, `own-${at}`, members.slice(at, at + 3), CAMPAIGN),
    ),
    'public-prompts': [0, 1, 2, 3].map((at) =>
      value(KEY_TYPE_INDEX.template, `gsm-${at}`, [...members.slice(0, 3), ...honest], CAMPAIGN),
    ),
    'popular-sdk': [value(KEY_TYPE_INDEX.header_order, 'sdk', [...members, ...honest], CAMPAIGN)],
  };
  for (const carried of subject.carries)
    for (const keyId of values[carried]) {
      index.addMember(keyId, state.index, FIRST_MS);
      index.addActiveMember(keyId);
      state.keys.push(keyId);
    }
  const context = {
    accounts,
    index,
    thresholds: { ...DEFAULT_THRESHOLDS, operatorRemnantByCarriers: subject.byCarriers === true },
    owners: Int32Array.from({ length: index.size }, (_, keyId) =>
      subject.unowned ? -1 : (owners[keyId] ?? -1),
    ),
    catchAll: -1,
    nowMs: FIRST_MS + DAY_MS,
  };
  return { state, context };
}

const cases: { name: string; subject: Subject; joins: boolean }[] = [
  {
    name: "the operator's account with its own card and daily residential exits",
    subject: REMNANT,
    joins: true,
  },
  {
    name: 'the same, signed up with a free mail domain (prompts and client build still its)',
    subject: { ...REMNANT, carries: ['client', 'prompts'] },
    joins: true,
  },
  {
    name: 'a student sending the public homework questions through a popular SDK',
    subject: { ...REMNANT, carries: ['public-prompts', 'popular-sdk'] },
    joins: false,
  },
  {
    name: 'a student on the campaign domain (a real university) asking public questions',
    subject: { ...REMNANT, carries: ['domain', 'public-prompts'] },
    joins: false,
  },
  {
    name: 'the campaign prompts alone, no second family',
    subject: { ...REMNANT, carries: ['prompts'] },
    joins: false,
  },
  {
    name: 'the campaign owning nothing since the last clustering (carriers not read)',
    subject: { ...REMNANT, unowned: true },
    joins: false,
  },
  {
    name: 'the campaign owning nothing, its values read by their carriers (operatorRemnantByCarriers)',
    subject: { ...REMNANT, unowned: true, byCarriers: true },
    joins: true,
  },
  {
    name: 'a student sending public questions through a popular SDK, values read by their carriers',
    subject: {
      ...REMNANT,
      unowned: true,
      byCarriers: true,
      carries: ['public-prompts', 'popular-sdk'],
    },
    joins: false,
  },
  {
    name: 'a home user on one network (no trace of its own)',
    subject: { ...REMNANT, subnets: 1 },
    joins: false,
  },
  {
    name: 'an account of four months (established)',
    subject: { ...REMNANT, ageDays: 120 },
    joins: false,
  },
  {
    name: 'an account whose requests mostly do not elicit',
    subject: { ...REMNANT, cueShare: 0.3 },
    joins: false,
  },
  {
    name: 'an account below the candidate score',
    subject: { ...REMNANT, score: 0.3 },
    joins: false,
  },
];

for (const { name, subject, joins } of cases) {
  test(`operator remnant: ${name} → ${joins ? 'joins' : 'stays'}`, () => {
    const { state, context } = world(subject);
    assert.equal(remnantCampaign(state, context), joins ? CAMPAIGN : -1);
  });
}

/** What `joinRemnants` asked the registry to flag: account id, source and campaign. */
function joined(
  subject: Subject,
  change: (state: AccountState) => void,
  remnants = true,
): string[] {
  const { state, context } = world(subject);
  change(state);
  const flagged: string[] = [];
  joinRemnants(
    { ...context, thresholds: { ...context.thresholds, operatorRemnant: remnants } },
    { flag: (account, _timeMs, by, campaign) => flagged.push(`${account.id} ${by} ${campaign}`) },
  );
  return flagged;
}

const joins: {
  name: string;
  change: (state: AccountState) => void;
  remnants?: boolean;
  flagged: string[];
}[] = [
  {
    name: 'the leftover member joins as affinity',
    change: () => {},
    flagged: [`subject affinity ${CAMPAIGN}`],
  },
  { name: 'not with operatorRemnant off', change: () => {}, remnants: false, flagged: [] },
  {
    name: 'not once already flagged',
    change: (state) => {
      state.flaggedMs = FIRST_MS;
    },
    flagged: [],
  },
  {
    name: 'not when it is no candidate',
    change: (state) => {
      state.candidate = false;
    },
    flagged: [],
  },
];

for (const { name, change, remnants, flagged } of joins) {
  test(`joinRemnants: ${name}`, () => {
    assert.deepEqual(joined(REMNANT, change, remnants), flagged);
  });
}
