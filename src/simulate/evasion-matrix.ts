import { BUILT_IN_SCENARIO_INPUTS, februaryCampaigns } from './built-in-scenarios.js';
import type { ScenarioInput } from './scenario.js';

type CampaignInput = NonNullable<ScenarioInput['campaigns']>[number];

/**
 * The evasion matrix (issue 15): every attack profile re-run with one evidence family removed at
 * a time, plus the pair real operators combine. `baseline` removes nothing.
 */
export const EVASION_CELLS = [
  'baseline',
  'no-network',
  'no-identity',
  'no-wording',
  'human-timing',
  'human-volume',
  'no-network+no-identity',
] as const;
export type EvasionCell = (typeof EVASION_CELLS)[number];

/** Per-account daily budget in the `human-volume` cell (a casual user's volume). */
export const HUMAN_VOLUME_CAP = 30;
/** Days over which `no-identity` accounts are opened (one at a time, never in a clump). */
export const STAGGER_DAYS = 10;

const ALL_LANGUAGES = ['en', 'zh', 'es', 'ru', 'ko', 'ja', 'fr', 'de', 'pt', 'ar'] as const;
const DAYS = 4;

/** The one campaign of a built-in scenario, by its id. */
function builtIn(scenario: string, id: string): CampaignInput {
  const campaign = BUILT_IN_SCENARIO_INPUTS[scenario]?.campaigns?.find((spec) => spec.id === id);
  if (!campaign) throw new Error(`built-in scenario ${scenario} has no campaign ${id}`);
  return structuredClone(campaign);
}

/** A built-in campaign under the matrix's name and size (the profile itself unchanged). */
function resized(
  campaign: CampaignInput,
  id: string,
  size: Pick<CampaignInput, 'accounts' | 'exchanges'> & Partial<CampaignInput>,
): CampaignInput {
  return { ...campaign, id, operator: `operator-${id}`, ...size };
}

const [REASONING, AGENTIC, CODING] = februaryCampaigns({
  a: [400, 40_000],
  b: [600, 80_000],
  c: [800, 100_000],
  resellers: 40,
  resellerCustomerExchangesPerDay: 150,
}) as [CampaignInput, CampaignInput, CampaignInput];

/**
 * Every attack profile the simulator has, sized for the matrix (scale 0.1 ≈ 150k exchanges): the
 * built-in scenarios' campaigns (February's three, low-and-slow, adaptive and its coding burst)
 * renamed and resized, plus the two profiles only the matrix runs (issue 15's missed types).
 */
const CAMPAIGNS: CampaignInput[] = [
  resized(REASONING, 'reasoning', { accounts: 400, exchanges: 40_000 }),
  resized(AGENTIC, 'agentic', { accounts: 600, exchanges: 80_000 }),
  resized(CODING, 'coding', { accounts: 800, exchanges: 100_000 }),
  // The built-in runs 25,000 accounts for 45 days; the matrix keeps its card density (1 per ~28).
  resized(builtIn('low-and-slow', 'campaign-d'), 'low-and-slow', {
    accounts: 1500,
    exchanges: 150_000,
    paymentFingerprints: 54,
  }),
  resized(builtIn('adaptive', 'campaign-e'), 'adaptive', { accounts: 700, exchanges: 50_000 }),
  resized(builtIn('adaptive', 'campaign-f'), 'coding-burst', { accounts: 300, exchanges: 40_000 }),
  {
    // A scheduler walks a pool of accounts opened in bursts, one request every few seconds
    // across the pool in two daily windows; public function-calling prompts.
    id: 'harvest',
    operator: 'operator-harvest',
    profile: 'round-robin-harvest',
    tasks: { function_calling: 1 },
    accounts: 2000,
    exchanges: 200_000,
    languages: ['en'],
    network: { kind: 'residential-daily', subnets: 1 },
    paymentFingerprints: 0,
    signup: {
      pattern: 'bursts',
      days: 4,
      program: null,
      verification: 'phone',
      emailDomains: 'free',
    },
    cadence: 'round-robin',
    windows: [
      [1, 5],
      [13, 17],
    ],
    dailyCap: 35,
    client: 'python-sdk',
    regrowth: { delayMinutes: 120, keepFingerprint: 0.3 },
  },
  {
    // Works to look like ~120 separate people: own residential IP, card and browser each, all
    // on the startup program, a few throwaway domains, reworded multilingual elicitation.
    id: 'human-look',
    operator: 'operator-human-look',
    profile: 'human-looking-adaptive',
    tasks: { reasoning_trace: 5, tool_use: 2, function_calling: 1 },
    accounts: 1200,
    exchanges: 55_000,
    languages: [...ALL_LANGUAGES],
    network: { kind: 'residential', subnets: 1 },
    paymentFingerprints: 0,
    signup: {
      pattern: 'staggered',
      days: 3,
      program: 'startup',
      verification: 'card',
      emailDomains: 'custom',
      domains: 4,
    },
    cadence: 'human',
    client: 'browser',
    wording: 'rewrite',
    followUps: 0.35,
    adaptive: { paraphrase: true, languageRotation: true, jitter: true },
    regrowth: { delayMinutes: 600, keepFingerprint: 0 },
    challengePass: 0.7,
  },
];

/** The matrix's customers and look-alikes (shared with the red-team scenario). */
export const EVASION_PERSONAS: ScenarioInput['personas'] = [
  { persona: 'chat', accounts: 8000 },
  { persona: 'eval_harness', accounts: 10, exchangesPerDay: 600 },
  { persona: 'etl_batch', accounts: 10, exchangesPerDay: 800 },
  { persona: 'multi_tenant_saas', accounts: 10, exchangesPerDay: 1000 },
  { persona: 'shared_nat', accounts: 2000, networks: 20 },
  { persona: 'dev_tools_ci', accounts: 300 },
  { persona: 'oss_coding_agent', accounts: 1500, exchangesPerDay: 20 },
  { persona: 'homework_students', accounts: 3000, networks: 150, exchangesPerDay: 5 },
  { persona: 'startup_cohort', accounts: 400 },
  { persona: 'vpn_privacy', accounts: 1500, networks: 3 },
  { persona: 'agent_platform', accounts: 300, networks: 6 },
  { persona: 'reasoning_lab', accounts: 40, networks: 5 },
  { persona: 'campus_classroom', accounts: 300, networks: 10 },
  { persona: 'translation_agency', accounts: 100, networks: 4 },
  // The look-alikes a sceptical reviewer raised (src/simulate/reviewer-look-alikes.ts).
  { persona: 'labelling_vendor', accounts: 800, networks: 20 },
  { persona: 'benchmark_service', accounts: 120, networks: 40 },
  { persona: 'exam_teacher', accounts: 1000 },
  { persona: 'mobile_cgnat', accounts: 2000, networks: 60 },
];

const withoutNetwork = (campaign: CampaignInput): CampaignInput => ({
  ...campaign,
  network: { kind: 'residential-daily', subnets: 1 },
});

const withoutIdentity = (campaign: CampaignInput): CampaignInput => ({
  ...campaign,
  paymentFingerprints: 0,
  signup: {
    pattern: 'staggered',
    days: STAGGER_DAYS,
    program: campaign.signup?.program ?? null,
    verification: 'phone',
    emailDomains: 'custom',
    domains: 3,
  },
  regrowth: campaign.regrowth ? { ...campaign.regrowth, keepFingerprint: 0 } : campaign.regrowth,
});

const withoutWording = (campaign: CampaignInput): CampaignInput => ({
  ...campaign,
  wording: 'rewrite',
  languages: [...ALL_LANGUAGES],
});

const withHumanTiming = (campaign: CampaignInput): CampaignInput => {
  const { windows: _windows, ...rest } = campaign;
  return { ...rest, cadence: 'human' };
};

const withHumanVolume = (campaign: CampaignInput): CampaignInput => {
  const activeHours = (campaign.endHour ?? DAYS * 24) - (campaign.startHour ?? 0);
  const activeDays = Math.max(1, activeHours / 24);
  // Enough accounts that ~22 a day each carries the volume, under a hard cap of 30.
  const accounts = Math.max(campaign.accounts, Math.ceil(campaign.exchanges / (activeDays * 22)));
  return { ...campaign, accounts, dailyCap: HUMAN_VOLUME_CAP };
};

const TRANSFORMS: Readonly<Record<EvasionCell, (campaign: CampaignInput) => CampaignInput>> = {
  baseline: (campaign) => campaign,
  'no-network': withoutNetwork,
  'no-identity': withoutIdentity,
  'no-wording': withoutWording,
  'human-timing': withHumanTiming,
  'human-volume': withHumanVolume,
  'no-network+no-identity': (campaign) => withoutIdentity(withoutNetwork(campaign)),
};

const DESCRIPTIONS: Readonly<Record<EvasionCell, string>> = {
  baseline: 'every attack profile as the operators run it',
  'no-network': 'per-account residential exits that change daily; no shared subnet',
  'no-identity': `per-account cards, phone verification, sign-ups one by one over ${STAGGER_DAYS} days`,
  'no-wording': 'every request reworded, multilingual; no shared template or system prompt',
  'human-timing': 'diurnal, jittered per-account sessions; no synchronised dispatch',
  'human-volume': `at most ${HUMAN_VOLUME_CAP} requests per account per day (more accounts)`,
  'no-network+no-identity': 'no shared network and no shared identity (what real operators do)',
};

/** The scenario of one matrix cell (`--scenario evasion:<cell>`). */
export function evasionScenario(cell: EvasionCell): ScenarioInput {
  return {
    name: `evasion:${cell}`,
    description:
      `Evasion matrix, cell ${cell}: ${DESCRIPTIONS[cell]}. Eight attack profiles among the ` +
      'customer personas and their twelve honest look-alikes, over four days.',
    start: '2026-04-06T00:00:00.000Z',
    days: DAYS,
    models: { available: ['atlas-3', 'atlas-3-mini'], release: { model: 'atlas-4', atHour: 40 } },
    personas: EVASION_PERSONAS.map((persona) => ({ ...persona })),
    campaigns: CAMPAIGNS.map((campaign) => TRANSFORMS[cell](structuredClone(campaign))),
  };
}

/** Matrix scenarios by name (`evasion:no-network`, …). */
export const EVASION_SCENARIO_INPUTS: Readonly<Record<string, ScenarioInput>> = Object.fromEntries(
  EVASION_CELLS.map((cell) => [`evasion:${cell}`, evasionScenario(cell)]),
);
