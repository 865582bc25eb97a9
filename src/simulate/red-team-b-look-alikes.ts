import {
  type AccountBlueprint,
  type AccountFactory,
  adoptionTime,
  homeNetwork,
  pickClientFor,
} from './account-factory.js';
import { DAY, HOUR, MINUTE, OFFICE_CURVE } from './activity-clock.js';
import type { Behaviour, Draft, SimulationContext } from './behaviour.js';
import { pickClient } from './client-profiles.js';
import { CLASS_SIZE, createCourseSeats } from './course-seats.js';
import { createCustomerBehaviour } from './customer-personas.js';
import { sessions } from './look-alike-behaviours.js';
import { type AddressBlock, blocksOf } from './network-registry.js';
import { ASSISTANT_REPLIES } from './prompt-content.js';
import type { Turn } from './request-builder.js';
import type { PersonaSpec, RedTeamBLookAlike } from './scenario.js';
import type { AccountNetwork, SimulatedAccount } from './simulated-account.js';

/** Mean exchanges per account per day when a scenario does not say. */
export const RED_TEAM_B_EXCHANGES_PER_DAY: Readonly<Record<RedTeamBLookAlike, number>> = {
  enterprise_rollout: 14,
  veteran_eval: 10,
  course_org: 4,
};

/** Seats per company rolled out in one week; each veteran is its own company. */
const GROUP_SIZE: Readonly<Record<RedTeamBLookAlike, number>> = {
  enterprise_rollout: 200,
  veteran_eval: 1,
  course_org: CLASS_SIZE,
};

/** Items in one run of a public benchmark (the same items for every customer who runs it). */
const BENCHMARK_ITEMS = 1000;
/** Public benchmarks the veterans choose from: several customers run the same one. */
const PUBLIC_BENCHMARKS = 3;

const WORDS = ['arden', 'brisk', 'calder', 'dunmore', 'elm', 'fairway', 'grange', 'holt'];

interface Company {
  domain: string;
  orgId: string;
  payment: string;
  country: string;
  /** The security gateway's egress (a cloud provider's /24: Zscaler-like, not the office). */
  gateway: AddressBlock;
  addresses: string[];
  /** The internal assistant every seat's requests go through (one client, one system prompt). */
  assistant: ReturnType<typeof pickClient>;
  system: string;
  /** When IT sent the invitations (seats open in clumps, department by department). */
  invitedAt: number[];
}

export interface RedTeamBLookAlikeAgent {
  account: SimulatedAccount;
  behaviour: Behaviour;
}

/**
 * The honest groups a sceptical reviewer raises against the second red team's campaigns
 * (docs/simulator.md#red-team-b-campaigns): a company rolling out seats to its employees in one
 * week (one organisation, one card, one domain, one egress, one internal assistant, a sign-up
 * cohort), and long-standing customers who start a batch evaluation job on a cloud machine (years
 * of history, then thousands of requests from a new network and client in a day), and a class
 * given course seats in a new university organisation (`course-seats.ts`).
 */
export function createRedTeamBLookAlikes(
  spec: PersonaSpec,
  persona: RedTeamBLookAlike,
  count: number,
  context: SimulationContext,
  factory: AccountFactory,
  volumeFactor: number,
): RedTeamBLookAlikeAgent[] {
  const { random } = context;
  const perDay = (spec.exchangesPerDay ?? RED_TEAM_B_EXCHANGES_PER_DAY[persona]) * volumeFactor;
  if (persona === 'course_org') return createCourseSeats(count, context, factory, perDay);
  const groupCount = Math.max(
    1,
    Math.min(
      count,
      spec.networks !== undefined
        ? Math.round((spec.networks * count) / spec.accounts)
        : Math.ceil(count / GROUP_SIZE[persona]),
    ),
  );
  const benchmarks = Array.from({ length: PUBLIC_BENCHMARKS }, () => {
    const first = random.int(context.pools.benchmark.length);
    return Array.from(
      { length: BENCHMARK_ITEMS },
      (_, at) => context.pools.benchmark[(first + at) % context.pools.benchmark.length] as string,
    );
  });
  const companies = Array.from({ length: groupCount }, () => companyOf(context, factory));
  const agents: RedTeamBLookAlikeAgent[] = [];
  for (let index = 0; index < count; index++) {
    const company = companies[index % groupCount] as Company;
    const rate = perDay * (0.5 + random.next());
    if (persona === 'enterprise_rollout') {
      const account = factory.create(seatBlueprint(context, company));
      agents.push({ account, behaviour: seatBehaviour(account, context, rate, company) });
    } else {
      const account = factory.create(veteranBlueprint(context, factory, company));
      agents.push({
        account,
        behaviour: veteranBehaviour(account, context, rate, random.pick(benchmarks)),
      });
    }
  }
  return agents;
}

function companyOf(context: SimulationContext, factory: AccountFactory): Company {
  const { random, start } = context;
  const gateway = random.pick(blocksOf('datacenter')).subnet(random);
  const first = random.pick(WORDS);
  const second = random.pick(WORDS);
  // IT invites a department at a time over the week before the window, in office hours.
  const invitedAt = Array.from(
    { length: random.between(3, 6) },
    () => start - (1 + random.int(7)) * DAY + (8 + random.int(9)) * HOUR,
  );
  return {
    domain: `${first}${second}.com`,
    orgId: `org_${random.hex(10)}`,
    payment: factory.paymentFingerprint(),
    country: gateway.network.country,
    gateway,
    addresses: Array.from({ length: random.between(2, 4) }, () => gateway.address(random)),
    assistant: pickClient(random, 'node-sdk'),
    system:
      `You are ${first[0]?.toUpperCase()}${first.slice(1)}GPT, the internal assistant of ` +
      `${first} ${second}. Answer concisely, follow the company style guide, never share ` +
      'customer data outside the company.',
    invitedAt,
  };
}

function seatBlueprint(context: SimulationContext, company: Company): AccountBlueprint {
  const { random } = context;
  const invited = random.pick(company.invitedAt);
  const network: AccountNetwork = {
    home: company.addresses[0] as string,
    blocks: [company.gateway],
    rotation: 0,
    fixed: company.addresses,
  };
  return {
    // Employees accept the invitation within the hour or over the next days.
    createdAt: random.chance(0.6)
      ? invited + random.exponential(20 * MINUTE)
      : invited + random.exponential(DAY),
    country: company.country,
    client: random.chance(0.75) ? company.assistant : pickClientFor(context, 'chat'),
    network,
    signupBlock: company.gateway,
    signupIp: random.pick(company.addresses),
    emailDomain: company.domain,
    paymentFingerprint: company.payment,
    verification: 'org',
    program: null,
    orgId: company.orgId,
    truth: {
      label: 'legit',
      campaign_id: null,
      operator: null,
      persona: 'enterprise_rollout',
      group: 'enterprise_rollout',
    },
    adoptsReleaseAt: adoptionTime(context, 0.2),
  };
}

/** An employee's working day: coding help, drafting, analysis, through the internal assistant. */
function seatBehaviour(
  account: SimulatedAccount,
  context: SimulationContext,
  perDay: number,
  company: Company,
): Behaviour {
  const { random, pools } = context;
  const viaAssistant = account.client === company.assistant;
  let turns: Turn[] = [];
  return sessions(
    context,
    perDay,
    { curve: OFFICE_CURVE, offsetHours: account.offsetHours, weekend: 0.08 },
    2,
    90_000,
    (first) => {
      if (first) {
        const roll = random.next();
        const opener =
          roll < 0.35
            ? random.pick(pools.coding)
            : roll < 0.6
              ? random.pick(pools.instructions)
              : roll < 0.8
                ? random.pick(pools.devTasks)
                : random.pick(pools.chatOpeners);
        turns = [{ kind: 'user', text: opener }];
      } else {
        turns = [
          ...turns,
          { kind: 'assistant', text: random.pick(ASSISTANT_REPLIES) },
          { kind: 'user', text: random.pick(pools.chatFollowUps) },
        ];
      }
      const draft: Draft = {
        turns,
        output: 'chat',
        reasoning: false,
        toolCall: false,
        temperature: viaAssistant ? 0.3 : 0.7,
        maxTokens: viaAssistant ? 4096 : 2048,
        stream: true,
      };
      if (viaAssistant) draft.system = company.system;
      return draft;
    },
  );
}

function veteranBlueprint(
  context: SimulationContext,
  factory: AccountFactory,
  company: Company,
): AccountBlueprint {
  const { random, start } = context;
  const home = homeNetwork(context, company.country);
  return {
    createdAt: start - (365 + random.next() * 3 * 365) * DAY,
    country: company.country,
    client: pickClientFor(context, 'developer'),
    network: home.network,
    signupBlock: home.block,
    signupIp: home.network.home,
    emailDomain: company.domain,
    paymentFingerprint: factory.paymentFingerprint(),
    verification: 'card',
    program: null,
    orgId: company.orgId,
    truth: {
      label: 'legit',
      campaign_id: null,
      operator: null,
      persona: 'veteran_eval',
      group: 'veteran_eval',
    },
    adoptsReleaseAt: adoptionTime(context, 0.5),
  };
}

/**
 * A long-standing customer's usual chat, then one batch evaluation of a public benchmark from a
 * cloud machine (its own client, the cloud's address), then back to the usual use.
 */
function veteranBehaviour(
  account: SimulatedAccount,
  context: SimulationContext,
  perDay: number,
  benchmark: readonly string[],
): Behaviour {
  const { random, start } = context;
  const usual = createCustomerBehaviour('chat', account, context, perDay);
  const jobAt = start + (12 + random.next() * 60) * HOUR;
  const vm = random.pick(blocksOf('datacenter')).subnet(random);
  const via = {
    client: pickClient(random, 'python-sdk'),
    network: { home: vm.address(random), blocks: [vm], rotation: 0 } as AccountNetwork,
  };
  const pace = random.pick([300, 800, 2000]);
  const chainOfThought = random.chance(0.6);
  let cursor = 0;
  let jobNext = jobAt;
  // The usual use's next time, drawn once it has sent its last one (NaN: to draw).
  let usualNext = Number.NaN;
  return {
    nextTime(from) {
      if (Number.isNaN(usualNext)) usualNext = usual.nextTime(from);
      return cursor < benchmark.length ? Math.min(jobNext, usualNext) : usualNext;
    },
    compose(at) {
      if (cursor < benchmark.length && at >= jobNext) {
        const item = benchmark[cursor++] as string;
        jobNext = at + random.exponential(pace);
        return {
          turns: [
            {
              kind: 'user',
              text: chainOfThought
                ? `${item}\nLet's think step by step.`
                : `${item}\nAnswer with the final answer only.`,
            },
          ],
          output: chainOfThought ? 'reasoning' : 'extraction',
          reasoning: chainOfThought,
          toolCall: false,
          temperature: 0,
          maxTokens: chainOfThought ? 2048 : 256,
          stream: false,
          via,
        };
      }
      usualNext = Number.NaN;
      return usual.compose(at);
    },
  };
}
