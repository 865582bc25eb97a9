import { EVASION_PERSONAS } from './evasion-matrix.js';
import type { ScenarioInput } from './scenario.js';

type CampaignInput = NonNullable<ScenarioInput['campaigns']>[number];

/**
 * Campaign types written by a red team from the threat alone (issue 15's held-out check): none
 * shares a network, a card or a sign-up clump, and each hides in a different honest habit.
 */
export const RED_TEAM_CAMPAIGNS: readonly CampaignInput[] = [
  {
    // Many accounts, each a few long expert questions a day in one professional domain, opened
    // one by one over four weeks; own residential exit, card and SDK each.
    id: 'slow-drip',
    operator: 'operator-slow-drip',
    profile: 'slow-drip-expert',
    tasks: { expert_qa: 1 },
    accounts: 3000,
    exchanges: 84_000,
    languages: ['en'],
    network: { kind: 'residential', subnets: 1 },
    paymentFingerprints: 0,
    signup: {
      pattern: 'staggered',
      days: 28,
      program: null,
      verification: 'phone',
      emailDomains: 'free',
    },
    cadence: 'human',
    dailyCap: 10,
    client: 'rotating',
    wording: 'rewrite',
    adaptive: { paraphrase: true, languageRotation: false, jitter: true },
    regrowth: { delayMinutes: 1440, keepFingerprint: 0 },
    challengePass: 0.8,
  },
  {
    // Operator accounts that interleave harvesting with ordinary chat (a third of the traffic),
    // from browsers, opened over two weeks, each with its own home-like residential exit.
    id: 'cover-mix',
    operator: 'operator-cover-mix',
    profile: 'mixed-use-cover',
    tasks: { reasoning_trace: 2, coding: 2, cover_chat: 2 },
    accounts: 1000,
    exchanges: 100_000,
    languages: ['en', 'es', 'de', 'fr'],
    network: { kind: 'residential', subnets: 1 },
    paymentFingerprints: 0,
    signup: {
      pattern: 'staggered',
      days: 14,
      program: null,
      verification: 'card',
      emailDomains: 'free',
    },
    cadence: 'human',
    dailyCap: 40,
    client: 'browser',
    wording: 'rewrite',
    followUps: 0.2,
    adaptive: { paraphrase: true, languageRotation: false, jitter: true },
    regrowth: { delayMinutes: 720, keepFingerprint: 0 },
    challengePass: 0.7,
  },
  {
    // RLHF preference data: two answers and a judgement per prompt, the same prompt sampled
    // again at temperature > 0 (and n > 1); a daily residential exit and a card per account.
    id: 'preference',
    operator: 'operator-preference',
    profile: 'preference-harvest',
    tasks: { preference_pair: 1 },
    accounts: 800,
    exchanges: 60_000,
    languages: ['en'],
    network: { kind: 'residential-daily', subnets: 1 },
    paymentFingerprints: 0,
    signup: {
      pattern: 'staggered',
      days: 10,
      program: null,
      verification: 'phone',
      emailDomains: 'free',
    },
    cadence: 'poisson',
    dailyCap: 30,
    client: 'node-sdk',
    regrowth: { delayMinutes: 240, keepFingerprint: 0 },
  },
  {
    // Agent trajectories: long multi-turn tool sessions (6–20 tool rounds with results) from the
    // operator's own harness, spread over many accounts with their own exits and cards.
    id: 'trajectory',
    operator: 'operator-trajectory',
    profile: 'agent-trajectory',
    tasks: { agent_trajectory: 1 },
    accounts: 600,
    exchanges: 48_000,
    languages: ['en'],
    network: { kind: 'residential-daily', subnets: 1 },
    paymentFingerprints: 0,
    signup: {
      pattern: 'staggered',
      days: 7,
      program: null,
      verification: 'phone',
      emailDomains: 'free',
    },
    cadence: 'poisson',
    dailyCap: 30,
    client: 'python-sdk',
    regrowth: { delayMinutes: 180, keepFingerprint: 0 },
  },
];

/** The red-team scenario: the four campaigns among the evasion matrix's customers, four days. */
export function redTeamScenario(): ScenarioInput {
  return {
    name: 'evasion:red-team',
    description:
      'Red-team campaigns (slow drip, mixed-use cover, preference harvest, agent trajectories) ' +
      'with no shared network or identity, among the evasion matrix customers, over four days.',
    start: '2026-04-06T00:00:00.000Z',
    days: 4,
    models: { available: ['atlas-3', 'atlas-3-mini'], release: { model: 'atlas-4', atHour: 40 } },
    personas: [
      ...(EVASION_PERSONAS ?? []).map((persona) => ({ ...persona })),
      // New students of one course behind rotating consumer VPN exits, pasting the course's
      // exercises (answer_sweep's named look-alike; this cell only, 40 accounts a course).
      { persona: 'vpn_course', accounts: 800 },
      // Another course's new students on mobile data (the carrier's CGNAT gives each session a
      // new address of its mobile ranges), sometimes on the home Wi-Fi: same shape, other exits.
      { persona: 'mobile_course', accounts: 800 },
    ],
    campaigns: RED_TEAM_CAMPAIGNS.map((campaign) => structuredClone(campaign)),
  };
}

/** `evasion:red-team` by name (an extra matrix cell; the seven cells' traffic is unchanged). */
export const RED_TEAM_SCENARIO_INPUTS: Readonly<Record<string, ScenarioInput>> = {
  'evasion:red-team': redTeamScenario(),
};
