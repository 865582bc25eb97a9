import {
  type AccountBlueprint,
  type AccountFactory,
  adoptionTime,
  freeEmailDomain,
  homeNetwork,
  pickClientFor,
  pickCountry,
} from './account-factory.js';
import { DAY, HOUR, MINUTE, OFFICE_CURVE } from './activity-clock.js';
import type { Behaviour, SimulationContext } from './behaviour.js';
import type { ClientProfile } from './client-profiles.js';
import { createCustomerBehaviour } from './customer-personas.js';
import {
  homeworkBehaviour,
  ossAgentBehaviour,
  scheduledJobBehaviour,
  startupBehaviour,
  translationBehaviour,
} from './look-alike-behaviours.js';
import { type AddressBlock, blocksOf } from './network-registry.js';
import type { LookAlikePersona, PersonaSpec } from './scenario.js';
import type { AccountNetwork, SimulatedAccount } from './simulated-account.js';
import { AGENT_TOOLS, FUNCTION_POOL, SUPPORT_TOOLS } from './tool-catalog.js';

/** Mean exchanges per account per day of each look-alike when a scenario does not say. */
export const LOOK_ALIKE_EXCHANGES_PER_DAY: Readonly<Record<LookAlikePersona, number>> = {
  oss_coding_agent: 30,
  homework_students: 6,
  startup_cohort: 20,
  vpn_privacy: 6,
  agent_platform: 48,
  reasoning_lab: 300,
  campus_classroom: 8,
  translation_agency: 40,
};

/** Accounts per group (university, class, organisation, lab, VPN) when `networks` is absent. */
const GROUP_SIZE: Readonly<Record<LookAlikePersona, number>> = {
  oss_coding_agent: 1,
  homework_students: 60,
  startup_cohort: 1,
  vpn_privacy: 400,
  agent_platform: 50,
  reasoning_lab: 8,
  campus_classroom: 30,
  translation_agency: 25,
};

const WORDS = ['nova', 'quant', 'lumen', 'arbor', 'vector', 'helix', 'orbit', 'cobalt', 'tandem'];
const SUFFIXES = ['.ai', '.io', '.com', '-labs.com', '.dev', 'hq.com'];

interface Group {
  index: number;
  domain: string;
  orgId: string;
  payment: string;
  country: string;
  block: AddressBlock;
  addresses: string[];
  subnets: AddressBlock[];
  createdAt: number;
  system: string;
  assignment: string[];
  client: ClientProfile;
}

export interface LookAlikeAgent {
  account: SimulatedAccount;
  behaviour: Behaviour;
}

/** Creates the accounts and behaviours of one honest look-alike population. */
export function createLookAlikePopulation(
  spec: PersonaSpec,
  persona: LookAlikePersona,
  count: number,
  context: SimulationContext,
  factory: AccountFactory,
  volumeFactor: number,
): LookAlikeAgent[] {
  const { random, start, pools } = context;
  const perDay = (spec.exchangesPerDay ?? LOOK_ALIKE_EXCHANGES_PER_DAY[persona]) * volumeFactor;
  // `networks` is given at full size: groups keep their size when the scenario is scaled.
  const groupCount = Math.max(
    1,
    Math.min(
      count,
      spec.networks !== undefined
        ? Math.round((spec.networks * count) / spec.accounts)
        : Math.ceil(count / GROUP_SIZE[persona]),
    ),
  );
  const word = () => random.pick(WORDS);
  const groups: Group[] = [];
  for (let index = 0; index < groupCount; index++) {
    const kind =
      persona === 'homework_students' || persona === 'campus_classroom'
        ? 'university'
        : persona === 'translation_agency'
          ? 'corporate'
          : 'datacenter';
    const block = random.pick(blocksOf(kind));
    const subnets = [0, 1, 2, 3, 4, 5].map(() => block.subnet(random));
    const addresses = [0, 1, 2].map(() => (subnets[0] as AddressBlock).address(random));
    groups.push({
      index,
      domain:
        kind === 'university'
          ? `${word()}${random.pick(['-university.edu', '.edu', '-college.edu'])}`
          : `${word()}${word()}${random.pick(SUFFIXES)}`,
      orgId: `org_${random.hex(10)}`,
      payment: factory.paymentFingerprint(),
      country: block.network.country,
      block,
      addresses,
      subnets,
      // A class signs up within one hour of the first lesson; a platform provisions its service
      // accounts in one go; a semester starts for everyone at a university within weeks.
      createdAt: start - random.next() * (persona === 'campus_classroom' ? 4 : 120) * DAY,
      system: `You are the ${word()} automation agent. Call the tools to complete the job; reply in JSON.`,
      assignment: [0, 1, 2, 3, 4].map(
        () => `${random.pick(pools.reasoning.en)} Show every step of your working.`,
      ),
      client: pickClientFor(context, 'developer'),
    });
  }
  // Startup cohort: one demo-day batch joins the programme the same week; one accelerator's
  // alumni domain is carried by a share of them.
  const cohortWeek = start - random.next() * 10 * DAY;
  const acceleratorDomain = `${word()}-accelerator.com`;
  const agents: LookAlikeAgent[] = [];
  for (let index = 0; index < count; index++) {
    const group = groups[index % groupCount] as Group;
    const blueprint = lookAlikeBlueprint(persona, group, context, factory, {
      cohortWeek,
      acceleratorDomain,
    });
    const account = factory.create(blueprint);
    const rate = perDay * (0.5 + random.next());
    agents.push({ account, behaviour: behaviourOf(persona, account, group, context, rate) });
  }
  return agents;
}

function behaviourOf(
  persona: LookAlikePersona,
  account: SimulatedAccount,
  group: Group,
  context: SimulationContext,
  perDay: number,
): Behaviour {
  switch (persona) {
    case 'oss_coding_agent':
      return ossAgentBehaviour(account, context, perDay);
    case 'homework_students':
      return homeworkBehaviour(account, context, perDay);
    case 'campus_classroom':
      return homeworkBehaviour(account, context, perDay, OFFICE_CURVE, group.assignment);
    case 'startup_cohort': {
      // Each startup defines its own product's tools (some common names, its own combination).
      const catalog = [...AGENT_TOOLS, ...FUNCTION_POOL];
      const tools = catalog.filter(() => context.random.chance(0.15)).slice(0, 6);
      const own = tools.length > 0 ? tools : [context.random.pick(catalog)];
      return startupBehaviour(account, context, perDay, own, group.system);
    }
    case 'vpn_privacy':
      return createCustomerBehaviour('chat', account, context, perDay);
    case 'agent_platform': {
      const interval = Math.max(MINUTE, Math.round(DAY / perDay));
      const phase = context.start + context.random.next() * interval;
      const tools = group.index % 2 === 0 ? SUPPORT_TOOLS : FUNCTION_POOL.slice(0, 6);
      return scheduledJobBehaviour(
        context,
        interval,
        phase,
        tools,
        group.system,
        context.pools.agentGoals,
      );
    }
    case 'reasoning_lab':
      return createCustomerBehaviour('eval_harness', account, context, perDay);
    case 'translation_agency':
      return translationBehaviour(account, context, perDay);
  }
}

function lookAlikeBlueprint(
  persona: LookAlikePersona,
  group: Group,
  context: SimulationContext,
  factory: AccountFactory,
  cohort: { cohortWeek: number; acceleratorDomain: string },
): AccountBlueprint {
  const { random, start } = context;
  const truth = {
    label: 'legit' as const,
    campaign_id: null,
    operator: null,
    persona,
    group: persona,
  };
  const longAgo = start - random.exponential(200 * DAY) - HOUR;
  const home = (country: string) => homeNetwork(context, country, 'residential');
  switch (persona) {
    case 'oss_coding_agent':
    case 'homework_students':
    case 'vpn_privacy': {
      const country = persona === 'homework_students' ? group.country : pickCountry(random);
      const place = home(country);
      let network: AccountNetwork = place.network;
      if (persona === 'vpn_privacy') {
        // A commercial VPN: exits shared with every other subscriber, changing by the session.
        const exit = random.pick(group.subnets);
        network = { home: exit.address(random), blocks: group.subnets, rotation: 0.4 };
      }
      return {
        createdAt:
          persona === 'homework_students' ? group.createdAt + random.next() * 21 * DAY : longAgo,
        country,
        client: pickClientFor(context, persona === 'oss_coding_agent' ? 'node-sdk' : 'chat'),
        network,
        signupBlock: place.block,
        signupIp: persona === 'vpn_privacy' ? network.home : place.network.home,
        emailDomain:
          persona === 'homework_students'
            ? group.domain
            : random.chance(0.3)
              ? `${random.pick(WORDS)}${random.pick(SUFFIXES)}`
              : freeEmailDomain(context),
        paymentFingerprint: random.chance(0.7) ? factory.paymentFingerprint() : undefined,
        verification: random.pick(['email', 'phone', 'card'] as const),
        program: persona === 'homework_students' && random.chance(0.5) ? 'edu' : null,
        truth,
        adoptsReleaseAt: adoptionTime(context, 0.3),
      };
    }
    case 'startup_cohort': {
      const country = random.chance(0.6) ? 'US' : pickCountry(random);
      const subnet = random.pick(blocksOf('datacenter')).subnet(random);
      const backend = subnet.address(random);
      const office = home(country);
      return {
        createdAt: cohort.cohortWeek + random.next() * 7 * DAY,
        country,
        client: pickClientFor(context, random.chance(0.5) ? 'python-sdk' : 'developer'),
        network: { home: backend, blocks: [subnet], rotation: 0.05 },
        signupBlock: office.block,
        signupIp: office.network.home,
        emailDomain: random.chance(0.3)
          ? cohort.acceleratorDomain
          : `${random.pick(WORDS)}${random.pick(WORDS)}${random.pick(SUFFIXES)}`,
        paymentFingerprint: factory.paymentFingerprint(),
        verification: 'card',
        program: 'startup',
        orgId: `org_${random.hex(10)}`,
        truth,
        adoptsReleaseAt: adoptionTime(context, 0.6),
      };
    }
    case 'campus_classroom':
    case 'agent_platform':
    case 'reasoning_lab':
    case 'translation_agency': {
      const campus = persona === 'campus_classroom';
      const shared = persona === 'agent_platform' || persona === 'reasoning_lab';
      return {
        createdAt: campus
          ? group.createdAt + random.next() * HOUR
          : persona === 'agent_platform'
            ? group.createdAt + random.next() * 20 * MINUTE
            : longAgo,
        country: group.country,
        client: shared ? group.client : pickClientFor(context, campus ? 'chat' : 'developer'),
        network: {
          home: group.addresses[0] as string,
          blocks: [group.block],
          rotation: 0,
          fixed: group.addresses,
        },
        signupBlock: group.block,
        signupIp: random.pick(group.addresses),
        emailDomain: group.domain,
        paymentFingerprint: campus ? undefined : group.payment,
        verification: campus ? 'email' : 'org',
        program: campus ? 'edu' : persona === 'reasoning_lab' ? 'research' : null,
        orgId: campus ? undefined : group.orgId,
        truth,
        adoptsReleaseAt: adoptionTime(context, persona === 'reasoning_lab' ? 0.9 : 0.3),
      };
    }
  }
}
