import { EVASION_PERSONAS } from './evasion-matrix.js';
import type { ScenarioInput } from './scenario.js';

type CampaignInput = NonNullable<ScenarioInput['campaigns']>[number];

/**
 * The third red team's campaign types, written from the threat alone before reading `src/detect`
 * (issue 15's held-out check), by an operator who knows per-account rate limits, shared
 * addresses, cards, templates and sign-up cohorts are all watched: none shares any of them.
 */
export const RED_TEAM_C_CAMPAIGNS: readonly CampaignInput[] = [
  {
    // The harvest rides on established API aggregators: years-old business accounts, each with
    // thousands of honest end users on the same keys; the operator is a few dozen of those users.
    id: 'aggregator',
    operator: 'operator-aggregator',
    profile: 'aggregator-harvest',
    tasks: { reasoning_trace: 2, coding: 2, function_calling: 1 },
    accounts: 1,
    exchanges: 60_000,
    languages: ['en', 'zh', 'es', 'de'],
    cadence: 'poisson',
    wording: 'rewrite',
    followUps: 0.2,
    adaptive: { paraphrase: true, languageRotation: false, jitter: true },
    reseller: { accounts: 100, attackShare: 1, customerExchangesPerDay: 300, established: true },
    // Banned at one aggregator, the operator signs up at another within a day.
    regrowth: { delayMinutes: 1440, keepFingerprint: 0 },
    challengePass: 0.95,
  },
  {
    // Self-play distillation: a student model plays the user, 3–8 turns a conversation with the
    // topic drifting, spread thin over many accounts opened over a month, one language each.
    id: 'self-play',
    operator: 'operator-self-play',
    profile: 'self-play-chat',
    tasks: { self_play: 1 },
    accounts: 2000,
    exchanges: 120_000,
    languages: ['en', 'zh', 'es', 'ru', 'ko', 'ja', 'fr', 'de', 'pt', 'ar'],
    network: { kind: 'residential', subnets: 1 },
    paymentFingerprints: 0,
    signup: {
      pattern: 'staggered',
      days: 30,
      program: null,
      verification: 'phone',
      emailDomains: 'free',
    },
    cadence: 'human',
    dailyCap: 25,
    client: 'rotating',
    adaptive: { paraphrase: true, languageRotation: false, jitter: true },
    regrowth: { delayMinutes: 720, keepFingerprint: 0 },
    challengePass: 0.8,
  },
  {
    // Long-form harvest: a few requests a day per account, each a whole textbook chapter or a full
    // solution set (max_tokens 16k–32k); accounts on the startup program, each its own company
    // domain and organisation, opened over six weeks.
    id: 'longform',
    operator: 'operator-longform',
    profile: 'longform-harvest',
    tasks: { longform: 1 },
    accounts: 400,
    exchanges: 12_800,
    languages: ['en'],
    network: { kind: 'residential', subnets: 1 },
    paymentFingerprints: 0,
    signup: {
      pattern: 'staggered',
      days: 45,
      program: 'startup',
      verification: 'org',
      emailDomains: 'custom',
      domains: 400,
    },
    cadence: 'human',
    dailyCap: 12,
    client: 'rotating',
    wording: 'rewrite',
    adaptive: { paraphrase: true, languageRotation: false, jitter: true },
    regrowth: { delayMinutes: 1440, keepFingerprint: 0 },
    challengePass: 0.9,
  },
];

/** The third red-team scenario: its campaigns and honest counterparts among the matrix's customers. */
export function redTeamCScenario(): ScenarioInput {
  return {
    name: 'evasion:red-team-c',
    description:
      'Third red team (harvest through established API aggregators, self-play multi-turn ' +
      'conversations, long-form chapter harvest on startup accounts) with honest aggregators, ' +
      'users of a bring-your-own-key chat app and authors on a book-writing tool, among the ' +
      'evasion matrix customers, over four days.',
    start: '2026-04-06T00:00:00.000Z',
    days: 4,
    models: { available: ['atlas-3', 'atlas-3-mini'], release: { model: 'atlas-4', atHour: 40 } },
    personas: [
      ...(EVASION_PERSONAS ?? []).map((persona) => ({ ...persona })),
      { persona: 'honest_aggregator', accounts: 200 },
      { persona: 'byok_chat', accounts: 2000 },
      { persona: 'book_writer', accounts: 600 },
      { persona: 'eval_lab', accounts: 100 },
    ],
    campaigns: RED_TEAM_C_CAMPAIGNS.map((campaign) => structuredClone(campaign)),
  };
}

/** `evasion:red-team-c` by name (runs only when named; the other cells' traffic is unchanged). */
export const RED_TEAM_C_SCENARIO_INPUTS: Readonly<Record<string, ScenarioInput>> = {
  'evasion:red-team-c': redTeamCScenario(),
};
