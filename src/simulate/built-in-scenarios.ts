import type { ScenarioInput } from './scenario.js';

const ALL_LANGUAGES = ['en', 'zh', 'es', 'ru', 'ko', 'ja', 'fr', 'de', 'pt', 'ar'] as const;

/**
 * The Feb 2026 campaign profiles from the public reports (docs/simulator.md), sized by `accounts` and `exchanges`:
 * A targets reasoning, rubric grading and censorship-safe rewrites; B agentic reasoning, tool use,
 * computer use and vision; C agentic coding, and pivots half its traffic to a new model.
 */
export function februaryCampaigns(sizes: {
  a: [number, number];
  b: [number, number];
  c: [number, number];
  resellers: number;
  resellerCustomerExchangesPerDay: number;
}): ScenarioInput['campaigns'] {
  return [
    {
      id: 'campaign-a',
      operator: 'operator-a',
      profile: 'reasoning',
      tasks: { reasoning_trace: 5, rubric_grading: 3, censorship_rewrite: 2 },
      accounts: sizes.a[0],
      exchanges: sizes.a[1],
      startHour: 2,
      languages: [...ALL_LANGUAGES],
      network: { kind: 'residential', subnets: 1 },
      paymentFingerprints: Math.max(2, Math.round(sizes.a[0] / 25)),
      signup: { pattern: 'spread', program: 'edu', verification: 'email', emailDomains: 'custom' },
      cadence: 'round-robin',
      client: 'python-sdk',
      regrowth: { delayMinutes: 90, keepFingerprint: 0.5 },
    },
    {
      id: 'campaign-b',
      operator: 'operator-b',
      profile: 'agentic',
      tasks: { tool_use: 4, computer_use: 2, vision: 2, reasoning_trace: 1 },
      accounts: sizes.b[0],
      exchanges: sizes.b[1],
      startHour: 5,
      languages: ['en', 'zh'],
      network: { kind: 'datacenter', subnets: Math.max(2, Math.round(sizes.b[0] / 60)) },
      paymentFingerprints: Math.max(3, Math.round(sizes.b[0] / 40)),
      signup: {
        pattern: 'burst',
        program: 'startup',
        verification: 'card',
        emailDomains: 'custom',
      },
      cadence: 'poisson',
      client: 'node-sdk',
      regrowth: { delayMinutes: 30, keepFingerprint: 0.7 },
    },
    {
      id: 'campaign-c',
      operator: 'operator-c',
      profile: 'coding',
      tasks: { coding: 6, tool_use: 3, reasoning_trace: 1 },
      accounts: sizes.c[0],
      exchanges: sizes.c[1],
      startHour: 1,
      languages: ['en', 'zh'],
      network: { kind: 'mixed', subnets: Math.max(2, Math.round(sizes.c[0] / 80)) },
      paymentFingerprints: Math.max(4, Math.round(sizes.c[0] / 50)),
      signup: {
        pattern: 'burst',
        program: 'research',
        verification: 'email',
        emailDomains: 'free',
      },
      cadence: 'round-robin',
      client: 'http-library',
      pivot: { fraction: 0.5, withinHours: 24 },
      regrowth: { delayMinutes: 20, keepFingerprint: 0.8 },
      reseller: {
        accounts: sizes.resellers,
        attackShare: 0.3,
        customerExchangesPerDay: sizes.resellerCustomerExchangesPerDay,
      },
    },
  ];
}

const quickstart: ScenarioInput = {
  name: 'quickstart',
  description:
    'Two days, ~2,800 accounts, ~110k exchanges: all customer personas and three campaigns ' +
    '(reasoning, agentic, coding with a reseller and a model pivot). Runs in seconds.',
  start: '2026-02-02T00:00:00.000Z',
  days: 2,
  models: { available: ['atlas-2', 'atlas-2-mini'], release: { model: 'atlas-3', atHour: 20 } },
  personas: [
    { persona: 'chat', accounts: 1800 },
    { persona: 'eval_harness', accounts: 5 },
    { persona: 'etl_batch', accounts: 4 },
    { persona: 'multi_tenant_saas', accounts: 3 },
    { persona: 'shared_nat', accounts: 500, networks: 4 },
    { persona: 'dev_tools_ci', accounts: 60 },
  ],
  campaigns: februaryCampaigns({
    a: [60, 3000],
    b: [120, 8000],
    c: [200, 14000],
    resellers: 12,
    resellerCustomerExchangesPerDay: 200,
  }),
};

const seedScale: ScenarioInput = {
  name: 'seed-scale',
  description:
    'The Feb 2026 incident at real scale over 14 days: ~24,000 attack accounts and ~16.5M attack ' +
    'exchanges in three campaigns (~150k / ~3.4M / ~13M) inside ~200,000 customer accounts.',
  start: '2026-02-02T00:00:00.000Z',
  days: 14,
  models: { available: ['atlas-2', 'atlas-2-mini'], release: { model: 'atlas-3', atHour: 200 } },
  personas: [
    { persona: 'chat', accounts: 172_000, exchangesPerDay: 0.7 },
    { persona: 'eval_harness', accounts: 30, exchangesPerDay: 800 },
    { persona: 'etl_batch', accounts: 50, exchangesPerDay: 1200 },
    { persona: 'multi_tenant_saas', accounts: 40, exchangesPerDay: 1500 },
    { persona: 'shared_nat', accounts: 25_000, networks: 60, exchangesPerDay: 1 },
    { persona: 'dev_tools_ci', accounts: 4000, exchangesPerDay: 12 },
  ],
  campaigns: februaryCampaigns({
    a: [1500, 150_000],
    b: [6500, 3_400_000],
    c: [14_000, 13_000_000],
    resellers: 2000,
    resellerCustomerExchangesPerDay: 40,
  }),
};

const lowAndSlow: ScenarioInput = {
  name: 'low-and-slow',
  description:
    'The Jun 2026 profile: ~25,000 accounts at ~26 exchanges per account per day for 45 days ' +
    '(~29M attack exchanges), each account far below any per-key rate limit.',
  start: '2026-06-01T00:00:00.000Z',
  days: 45,
  models: { available: ['atlas-3', 'atlas-3-mini'] },
  personas: [
    { persona: 'chat', accounts: 40_000, exchangesPerDay: 0.6 },
    { persona: 'eval_harness', accounts: 10, exchangesPerDay: 500 },
    { persona: 'etl_batch', accounts: 15, exchangesPerDay: 800 },
    { persona: 'multi_tenant_saas', accounts: 10, exchangesPerDay: 1000 },
    { persona: 'shared_nat', accounts: 6000, networks: 20, exchangesPerDay: 1 },
    { persona: 'dev_tools_ci', accounts: 800, exchangesPerDay: 10 },
  ],
  campaigns: [
    {
      id: 'campaign-d',
      operator: 'operator-d',
      profile: 'low-and-slow',
      tasks: { reasoning_trace: 4, coding: 3, tool_use: 2, rubric_grading: 1 },
      accounts: 25_000,
      exchanges: 29_250_000,
      languages: ['en', 'zh', 'es', 'ru', 'ko'],
      network: { kind: 'residential', subnets: 1 },
      paymentFingerprints: 900,
      signup: { pattern: 'spread', program: null, verification: 'phone', emailDomains: 'free' },
      cadence: 'human',
      client: 'python-sdk',
      regrowth: { delayMinutes: 240, keepFingerprint: 0.4 },
    },
  ],
};

const adaptive: ScenarioInput = {
  name: 'adaptive',
  description:
    'Seven days of an operator who works to look human: randomised timing, paraphrased prompts, ' +
    'language rotation, human diurnal shape, rotating clients and residential IPs; plus a ' +
    'conventional campaign for contrast.',
  start: '2026-03-02T00:00:00.000Z',
  days: 7,
  models: { available: ['atlas-2', 'atlas-2-mini'], release: { model: 'atlas-3', atHour: 80 } },
  personas: [
    { persona: 'chat', accounts: 6000 },
    { persona: 'eval_harness', accounts: 6, exchangesPerDay: 600 },
    { persona: 'etl_batch', accounts: 6, exchangesPerDay: 900 },
    { persona: 'multi_tenant_saas', accounts: 4, exchangesPerDay: 1500 },
    { persona: 'shared_nat', accounts: 900, networks: 6 },
    { persona: 'dev_tools_ci', accounts: 120 },
  ],
  campaigns: [
    {
      id: 'campaign-e',
      operator: 'operator-e',
      profile: 'adaptive',
      tasks: { reasoning_trace: 4, coding: 3, rubric_grading: 1, tool_use: 2 },
      accounts: 700,
      exchanges: 150_000,
      languages: [...ALL_LANGUAGES],
      network: { kind: 'residential', subnets: 1 },
      paymentFingerprints: 0,
      signup: { pattern: 'spread', program: null, verification: 'phone', emailDomains: 'free' },
      cadence: 'human',
      client: 'rotating',
      adaptive: { paraphrase: true, languageRotation: true, jitter: true },
      pivot: { fraction: 0.3, withinHours: 48 },
      regrowth: { delayMinutes: 600, keepFingerprint: 0.1 },
      challengePass: 0.6,
    },
    {
      id: 'campaign-f',
      operator: 'operator-f',
      profile: 'coding',
      tasks: { coding: 5, tool_use: 2 },
      accounts: 80,
      exchanges: 30_000,
      startHour: 30,
      languages: ['en'],
      network: { kind: 'datacenter', subnets: 2 },
      paymentFingerprints: 4,
      signup: {
        pattern: 'burst',
        program: 'startup',
        verification: 'email',
        emailDomains: 'disposable',
      },
      cadence: 'round-robin',
      client: 'python-sdk',
    },
  ],
};

/** Built-in scenarios by name (see docs/simulator.md). */
export const BUILT_IN_SCENARIO_INPUTS: Readonly<Record<string, ScenarioInput>> = {
  quickstart,
  'seed-scale': seedScale,
  'low-and-slow': lowAndSlow,
  adaptive,
};

/** Names accepted by `loadScenario` and `--scenario`. */
export const BUILT_IN_SCENARIOS: readonly string[] = Object.keys(BUILT_IN_SCENARIO_INPUTS);
