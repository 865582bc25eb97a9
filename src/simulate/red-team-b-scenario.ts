import { EVASION_PERSONAS } from './evasion-matrix.js';
import type { ScenarioInput } from './scenario.js';

type CampaignInput = NonNullable<ScenarioInput['campaigns']>[number];

/**
 * The second red team's campaign types, written from the threat alone before reading the engine
 * (issue 15's held-out check): none leans on a sign-up cohort of new accounts.
 */
export const RED_TEAM_B_CAMPAIGNS: readonly CampaignInput[] = [
  {
    // Accounts bought on a marketplace: opened months to a year and a half ago, each with its own
    // card and home-like exit; a day or so of light casual chat, then reworded harvesting.
    id: 'aged',
    operator: 'operator-aged',
    profile: 'aged-purchased',
    tasks: { reasoning_trace: 2, coding: 2 },
    accounts: 1000,
    exchanges: 100_000,
    languages: ['en', 'es', 'de', 'fr'],
    network: { kind: 'residential', subnets: 1 },
    paymentFingerprints: 0,
    signup: {
      pattern: 'aged',
      days: 540,
      program: null,
      verification: 'card',
      emailDomains: 'free',
    },
    cadence: 'human',
    dailyCap: 40,
    client: 'rotating',
    wording: 'rewrite',
    followUps: 0.2,
    warmUpHours: 36,
    adaptive: { paraphrase: true, languageRotation: false, jitter: true },
    regrowth: { delayMinutes: 720, keepFingerprint: 0 },
    challengePass: 0.8,
  },
  {
    // Real customers' keys leaked in repositories and CI logs: the owners go on using them; the
    // thief harvests through each from a daily residential exit in the owner's country.
    id: 'takeover',
    operator: 'operator-takeover',
    profile: 'stolen-key',
    tasks: { reasoning_trace: 2, coding: 1, function_calling: 1 },
    accounts: 600,
    exchanges: 240_000,
    languages: ['en'],
    network: { kind: 'residential-daily', subnets: 1 },
    cadence: 'poisson',
    client: 'python-sdk',
    wording: 'rewrite',
    takeover: { withinHours: 48, ownerExchangesPerDay: 20 },
    regrowth: { delayMinutes: 120, keepFingerprint: 0 },
    challengePass: 0.05,
  },
  {
    // A front company buys an enterprise plan: one organisation, one card, one domain, seats added
    // department by department, one cloud egress and one internal tool; each seat harvests.
    id: 'enterprise-seat',
    operator: 'operator-front-company',
    profile: 'front-company',
    tasks: { reasoning_trace: 2, coding: 2, function_calling: 1 },
    accounts: 1000,
    exchanges: 160_000,
    languages: ['en'],
    network: { kind: 'datacenter', subnets: 1 },
    paymentFingerprints: 1,
    signup: {
      pattern: 'bursts',
      days: 5,
      program: null,
      verification: 'org',
      emailDomains: 'custom',
      domains: 1,
      organisation: true,
    },
    cadence: 'human',
    dailyCap: 80,
    client: 'node-sdk',
    wording: 'rewrite',
    followUps: 0.3,
    adaptive: { paraphrase: true, languageRotation: false, jitter: true },
    regrowth: { delayMinutes: 60, keepFingerprint: 1 },
    challengePass: 0.95,
  },
];

/** The second red-team scenario: its campaigns and honest counterparts among the matrix's customers. */
export function redTeamBScenario(): ScenarioInput {
  return {
    name: 'evasion:red-team-b',
    description:
      'Second red team (aged purchased accounts, stolen customer keys, a front company with ' +
      'enterprise seats) with a company seat rollout, long-standing customers running a batch ' +
      'evaluation and two classes on course seats of a new university organisation, among the evasion matrix customers, over four days.',
    start: '2026-04-06T00:00:00.000Z',
    days: 4,
    models: { available: ['atlas-3', 'atlas-3-mini'], release: { model: 'atlas-4', atHour: 40 } },
    personas: [
      ...(EVASION_PERSONAS ?? []).map((persona) => ({ ...persona })),
      // One company rolling out 200 seats in a week; long-standing customers' batch evaluations.
      { persona: 'enterprise_rollout', accounts: 4000 },
      { persona: 'veteran_eval', accounts: 400 },
      // Two classes given course seats in a new university organisation (30 seats each at 0.05).
      { persona: 'course_org', accounts: 1200 },
    ],
    campaigns: RED_TEAM_B_CAMPAIGNS.map((campaign) => structuredClone(campaign)),
  };
}

/**
 * A variant of the second red team whose bought accounts each keep one language
 * (docs/simulator.md#red-team-b-variants): `mono`, the buyer's own light chat before the harvest
 * (the sale before the log); `sold`, the seller's light use from its own device and home network
 * in the log before the buyer's harvest (a detector running for months holds it). Both add the
 * honest carriers of a handover: veterans who move to a new device and network and start a
 * project, and a company's veteran accounts upgrading their SDK on one day.
 */
export function redTeamBSaleScenario(variant: 'mono' | 'sold'): ScenarioInput {
  const base = redTeamBScenario();
  return {
    ...base,
    name: `evasion:red-team-b-${variant}`,
    description: `${base.description} Bought accounts keep one language each${
      variant === 'sold' ? ", the seller's use in the log before the sale" : ''
    }; veterans moving to a new device and network, and a company's SDK upgrade.`,
    personas: [
      ...(base.personas ?? []),
      { persona: 'veteran_move', accounts: 1000 },
      { persona: 'sdk_fleet', accounts: 800 },
    ],
    campaigns: (base.campaigns ?? []).map((campaign) =>
      campaign.id === 'aged'
        ? { ...campaign, sale: { oneLanguage: true, sellerUse: variant === 'sold' } }
        : campaign,
    ),
  };
}

/** The second red team's cells by name (run only when named; the other cells' traffic is unchanged). */
export const RED_TEAM_B_SCENARIO_INPUTS: Readonly<Record<string, ScenarioInput>> = {
  'evasion:red-team-b': redTeamBScenario(),
  'evasion:red-team-b-mono': redTeamBSaleScenario('mono'),
  'evasion:red-team-b-sold': redTeamBSaleScenario('sold'),
};
