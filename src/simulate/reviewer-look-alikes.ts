import {
  type AccountBlueprint,
  type AccountFactory,
  adoptionTime,
  freeEmailDomain,
  homeNetwork,
  pickClientFor,
} from './account-factory.js';
import { DAY, HOUR, OFFICE_CURVE } from './activity-clock.js';
import type { Behaviour, Draft, SimulationContext } from './behaviour.js';
import { createCustomerBehaviour } from './customer-personas.js';
import { EVENING_CURVE, sessions } from './look-alike-behaviours.js';
import { REASONING_REQUESTS } from './multilingual-phrases.js';
import { type AddressBlock, blocksOf } from './network-registry.js';
import { RUBRICS, SAMPLE_RESPONSES } from './prompt-content.js';
import type { Turn } from './request-builder.js';
import { LANGUAGES, type Language, type PersonaSpec, type ReviewerLookAlike } from './scenario.js';
import type { AccountNetwork, SimulatedAccount } from './simulated-account.js';

/** Mean exchanges per account per day of each reviewer look-alike when a scenario does not say. */
export const REVIEWER_EXCHANGES_PER_DAY: Readonly<Record<ReviewerLookAlike, number>> = {
  labelling_vendor: 40,
  benchmark_service: 600,
  exam_teacher: 10,
  mobile_cgnat: 6,
  vpn_course: 6,
  mobile_course: 6,
};

/** Accounts per group (office, company, school, carrier) when `networks` is absent. */
const GROUP_SIZE: Readonly<Record<ReviewerLookAlike, number>> = {
  labelling_vendor: 40,
  benchmark_service: 4,
  exam_teacher: 6,
  mobile_cgnat: 500,
  vpn_course: 40,
  mobile_course: 40,
};

/** Mobile carriers' blocks exist for these countries only (network registry). */
const MOBILE_COUNTRIES = ['US', 'CN', 'DE'] as const;
/** Public addresses of one carrier-grade NAT pool: subscribers are spread over all of them. */
const CGNAT_ADDRESSES = 24;

/** Consumer VPN providers a course's students use, and exit /24s per provider. */
const VPN_PROVIDERS = 4;
const VPN_SUBNETS = 3;
/** Exercises in one course's problem set (shared by its students, word for word). */
const COURSE_EXERCISES = 24;
/** Requests a student sends in one day at most (a human working through a problem set). */
const STUDENT_DAILY_CAP = 15;
/** Sessions a student on mobile data spends on the home Wi-Fi instead (the rest on the phone). */
const HOME_WIFI_SESSIONS = 0.3;

const WORDS = ['atlas', 'ember', 'lattice', 'meridian', 'quartz', 'sable', 'tern', 'verity'];

interface Group {
  index: number;
  domain: string;
  orgId: string;
  payment: string;
  country: string;
  block: AddressBlock;
  addresses: string[];
  createdAt: number;
  /** The vendor's annotation guideline, sent as the system prompt by all its annotators. */
  guideline: string;
  /** The languages a school teaches in (a teacher writes exams in several of them). */
  languages: Language[];
  /** Consumer VPN providers' exit /24s a course's students pick from (several providers). */
  vpnExits: AddressBlock[][];
  /** The course's exercise set, pasted verbatim by its students. */
  exercises: string[];
}

export interface ReviewerLookAlikeAgent {
  account: SimulatedAccount;
  behaviour: Behaviour;
}

/**
 * Honest groups a sceptical reviewer raises against the population evidence (issue 15): a
 * data-labelling vendor's annotators grading model answers against one rubric from one office; a
 * benchmarking company running public eval sets through a few service accounts on a cloud;
 * teachers writing exam questions with worked solutions in several languages; mobile users
 * behind a carrier-grade NAT, whose exits hop across the carrier's pool and are shared with
 * strangers. Each is its own truth `group`.
 */
export function createReviewerLookAlikes(
  spec: PersonaSpec,
  persona: ReviewerLookAlike,
  count: number,
  context: SimulationContext,
  factory: AccountFactory,
  volumeFactor: number,
): ReviewerLookAlikeAgent[] {
  const { random, start } = context;
  const perDay = (spec.exchangesPerDay ?? REVIEWER_EXCHANGES_PER_DAY[persona]) * volumeFactor;
  const groupCount = Math.max(
    1,
    Math.min(
      count,
      spec.networks !== undefined
        ? Math.round((spec.networks * count) / spec.accounts)
        : Math.ceil(count / GROUP_SIZE[persona]),
    ),
  );
  const groups: Group[] = [];
  for (let index = 0; index < groupCount; index++) {
    const block =
      persona === 'mobile_cgnat' || persona === 'mobile_course'
        ? random.pick(blocksOf('mobile', [random.pick(MOBILE_COUNTRIES)]))
        : random.pick(
            blocksOf(
              persona === 'benchmark_service'
                ? 'datacenter'
                : persona === 'exam_teacher'
                  ? 'residential'
                  : 'corporate',
            ),
          );
    // A CGNAT pool spreads over many /24s of the carrier; an office or a cloud egress has a few.
    const size = persona === 'mobile_cgnat' ? CGNAT_ADDRESSES : random.between(1, 3);
    // Consumer VPN providers: each exits from a few /24s of its own hosting network.
    const vpnExits =
      persona === 'vpn_course'
        ? Array.from({ length: VPN_PROVIDERS }, () => {
            const provider = random.pick(blocksOf('datacenter'));
            return Array.from({ length: VPN_SUBNETS }, () => provider.subnet(random));
          })
        : [];
    const subnets = persona === 'mobile_cgnat' ? 8 : 1;
    const pools = Array.from({ length: subnets }, () => block.subnet(random));
    const addresses = Array.from({ length: size }, (_, slot) =>
      (pools[slot % subnets] as AddressBlock).address(random),
    );
    const first = random.pick(WORDS);
    const second = random.pick(WORDS);
    const languages: Language[] = [...LANGUAGES];
    for (let at = languages.length - 1; at > 0; at--) {
      const other = random.int(at + 1);
      [languages[at], languages[other]] = [languages[other] as Language, languages[at] as Language];
    }
    groups.push({
      index,
      domain:
        persona === 'exam_teacher' ? `${first}-${second}-school.org` : `${first}${second}.com`,
      orgId: `org_${random.hex(10)}`,
      payment: factory.paymentFingerprint(),
      country: block.network.country,
      block,
      addresses,
      createdAt: start - (60 + random.next() * 600) * DAY,
      guideline:
        `You assist the ${first} ${second} annotation team. Apply project guideline ` +
        `${random.hex(4).toUpperCase()}: ${random.pick(RUBRICS)}. Cite the criterion for each point.`,
      languages: languages.slice(0, random.between(3, 5)),
      vpnExits,
      exercises:
        persona === 'vpn_course' || persona === 'mobile_course'
          ? Array.from(
              { length: COURSE_EXERCISES },
              (_, at) => `Exercise ${at + 1}. ${random.pick(context.pools.reasoning.en)}`,
            )
          : [],
    });
  }
  const agents: ReviewerLookAlikeAgent[] = [];
  for (let index = 0; index < count; index++) {
    const group = groups[index % groupCount] as Group;
    const account = factory.create(blueprintOf(persona, group, context, factory));
    const rate = perDay * (0.5 + random.next());
    agents.push({ account, behaviour: behaviourOf(persona, account, group, context, rate) });
  }
  return agents;
}

function blueprintOf(
  persona: ReviewerLookAlike,
  group: Group,
  context: SimulationContext,
  factory: AccountFactory,
): AccountBlueprint {
  const { random, start } = context;
  const truth = {
    label: 'legit' as const,
    campaign_id: null,
    operator: null,
    persona,
    group: persona,
  };
  const office: AccountNetwork = {
    home: group.addresses[0] as string,
    blocks: [group.block],
    rotation: 0,
    fixed: group.addresses,
  };
  switch (persona) {
    case 'labelling_vendor':
    case 'benchmark_service': {
      const vendor = persona === 'labelling_vendor';
      return {
        // Annotator seats are added every week as projects grow; service accounts at onboarding.
        createdAt: vendor
          ? start - random.next() * 240 * DAY - HOUR
          : group.createdAt + random.next() * DAY,
        country: group.country,
        client: pickClientFor(context, vendor ? 'chat' : 'developer'),
        network: office,
        signupBlock: group.block,
        signupIp: random.pick(group.addresses),
        emailDomain: group.domain,
        paymentFingerprint: group.payment,
        verification: 'org',
        program: null,
        orgId: group.orgId,
        truth,
        adoptsReleaseAt: adoptionTime(context, vendor ? 0.4 : 0.9),
      };
    }
    case 'exam_teacher': {
      const place = homeNetwork(context, group.country);
      return {
        createdAt: start - random.exponential(300 * DAY) - HOUR,
        country: group.country,
        client: pickClientFor(context, 'chat'),
        network: place.network,
        signupBlock: place.block,
        signupIp: place.network.home,
        emailDomain: random.chance(0.6) ? group.domain : freeEmailDomain(context),
        paymentFingerprint: random.chance(0.6) ? factory.paymentFingerprint() : undefined,
        verification: random.pick(['email', 'card'] as const),
        program: random.chance(0.3) ? 'edu' : null,
        truth,
        adoptsReleaseAt: adoptionTime(context, 0.3),
      };
    }
    case 'mobile_cgnat': {
      const exit = group.addresses[random.int(group.addresses.length)] as string;
      return {
        createdAt: start - random.exponential(200 * DAY) - HOUR,
        country: group.country,
        client: pickClientFor(context, 'chat'),
        // Each request leaves through whichever public address of the pool the carrier maps.
        network: { home: exit, blocks: [group.block], rotation: 0, fixed: group.addresses },
        signupBlock: group.block,
        signupIp: exit,
        emailDomain: freeEmailDomain(context),
        paymentFingerprint: random.chance(0.5) ? factory.paymentFingerprint() : undefined,
        verification: random.pick(['email', 'phone', 'card'] as const),
        program: null,
        truth,
        adoptsReleaseAt: adoptionTime(context, 0.3),
      };
    }
    case 'vpn_course': {
      // Where the API is blocked, each student reaches it through one or two consumer VPNs; the
      // exit changes at every session (the behaviour moves `home`), never the student's own home.
      const providers = random.chance(0.5)
        ? [random.pick(group.vpnExits)]
        : [random.pick(group.vpnExits), random.pick(group.vpnExits)];
      const blocks = providers.flat();
      const exit = random.pick(blocks).address(random);
      return {
        // The course began up to two weeks before the window; students join in its first weeks.
        createdAt: start - random.next() * 14 * DAY - HOUR,
        country: group.country,
        client: pickClientFor(context, 'chat'),
        network: { home: exit, blocks, rotation: 0 },
        signupBlock: random.pick(blocks),
        signupIp: exit,
        emailDomain: freeEmailDomain(context),
        paymentFingerprint: factory.paymentFingerprint(),
        verification: 'card',
        program: null,
        truth,
        adoptsReleaseAt: adoptionTime(context, 0.2),
      };
    }
    case 'mobile_course': {
      // Students working on their phones: the carrier's CGNAT maps each session to a new public
      // address of its mobile ranges in the country; some sessions come from the home Wi-Fi.
      const phone = blocksOf('mobile', [group.country]);
      const exit = random.pick(phone).address(random);
      return {
        createdAt: start - random.next() * 14 * DAY - HOUR,
        country: group.country,
        client: pickClientFor(context, 'chat'),
        network: { home: exit, blocks: phone, rotation: 0 },
        signupBlock: random.pick(phone),
        signupIp: exit,
        emailDomain: freeEmailDomain(context),
        paymentFingerprint: factory.paymentFingerprint(),
        verification: 'card',
        program: null,
        truth,
        adoptsReleaseAt: adoptionTime(context, 0.2),
      };
    }
  }
}

function behaviourOf(
  persona: ReviewerLookAlike,
  account: SimulatedAccount,
  group: Group,
  context: SimulationContext,
  perDay: number,
): Behaviour {
  switch (persona) {
    case 'labelling_vendor':
      return annotatorBehaviour(account, context, perDay, group.guideline);
    case 'benchmark_service':
      return createCustomerBehaviour('eval_harness', account, context, perDay);
    case 'exam_teacher':
      return teacherBehaviour(account, context, perDay, group.languages);
    case 'mobile_cgnat':
      return createCustomerBehaviour('chat', account, context, perDay);
    case 'vpn_course':
      return studentBehaviour(account, context, perDay, group.exercises, undefined);
    case 'mobile_course': {
      const wifi = homeNetwork(context, group.country).network.home;
      return studentBehaviour(account, context, perDay, group.exercises, wifi);
    }
  }
}

const GRADE_ASKS = [
  'Score this model answer from 1 to 7 under the guideline and explain each point.',
  'Grade the answer below against the rubric; give the score first, then your reasoning.',
  'Is this answer acceptable under the guideline? Rate it and justify the rating step by step.',
];

/** An annotator's shift: rubric grading of model answers, a clarification now and then. */
function annotatorBehaviour(
  account: SimulatedAccount,
  context: SimulationContext,
  perDay: number,
  guideline: string,
): Behaviour {
  const { random, pools } = context;
  let turns: Turn[] = [];
  return sessions(
    context,
    perDay,
    { curve: OFFICE_CURVE, offsetHours: account.offsetHours, weekend: 0.1 },
    6,
    45_000,
    (first) => {
      if (first || random.chance(0.7)) {
        turns = [
          {
            kind: 'user',
            text:
              `${random.pick(GRADE_ASKS)}\n\nTask: ${random.pick(pools.instructions)}\n\n` +
              `Model answer: ${random.pick(SAMPLE_RESPONSES)}`,
          },
        ];
      } else {
        turns = [
          ...turns,
          { kind: 'assistant', text: random.pick(SAMPLE_RESPONSES) },
          { kind: 'user', text: random.pick(pools.chatFollowUps) },
        ];
      }
      const draft: Draft = {
        turns,
        system: guideline,
        output: 'reasoning',
        reasoning: true,
        toolCall: false,
        temperature: 0.2,
        maxTokens: 1024,
        stream: true,
      };
      return draft;
    },
  );
}

const EXAM_ASKS = [
  'Write three exam questions like the one below for my class, each with a worked solution:',
  'Create a quiz variant of this problem with a step-by-step solution for the answer key:',
  'Make two harder versions of this exercise and solve them showing every step:',
];

/** A teacher preparing exams: worked solutions, in each language the school teaches in. */
function teacherBehaviour(
  account: SimulatedAccount,
  context: SimulationContext,
  perDay: number,
  languages: readonly Language[],
): Behaviour {
  const { random, pools } = context;
  return sessions(
    context,
    perDay,
    { curve: EVENING_CURVE, offsetHours: account.offsetHours, weekend: 0.6 },
    3,
    120_000,
    () => {
      const language = random.pick(languages);
      const text =
        `${random.pick(EXAM_ASKS)} (${language})\n\n${random.pick(pools.reasoning[language])} ` +
        random.pick(REASONING_REQUESTS[language]);
      return {
        turns: [{ kind: 'user', text }],
        output: 'reasoning',
        reasoning: true,
        toolCall: false,
        temperature: 0.7,
        maxTokens: 4096,
        stream: true,
      };
    },
  );
}

const STUDENT_ASKS = [
  'I am stuck on this one from our problem set, can you solve it step by step?',
  'Can you explain how to do this exercise? Please show the full working.',
  'hi, homework question, I need a detailed worked solution:',
  'Our lecturer gave us this, I do not get where to start. Full solution please:',
  'Please solve and explain every step so I can follow it for the exam:',
];
const STUDENT_CLOSES = [
  '',
  'Thanks!',
  'Explain it like I am new to the topic.',
  'I got a different answer, so please check each step carefully.',
  'Please also say which method we should use and why.',
];

/**
 * A student of one course working through its exercise set: the exercise pasted word for word
 * inside their own phrasing, one or a few questions a session, a long worked answer, evenings and
 * weekends, at most {@link STUDENT_DAILY_CAP} requests a day; the VPN exit (or the phone's
 * carrier address) changes by session, and a student on mobile data is home on the Wi-Fi in
 * {@link HOME_WIFI_SESSIONS} of sessions.
 */
function studentBehaviour(
  account: SimulatedAccount,
  context: SimulationContext,
  perDay: number,
  exercises: readonly string[],
  /** A student on mobile data: the home Wi-Fi's address. */
  wifi: string | undefined,
): Behaviour {
  const { random } = context;
  const network = account.network;
  const inner = sessions(
    context,
    perDay,
    { curve: EVENING_CURVE, offsetHours: account.offsetHours, weekend: 0.8 },
    1,
    300_000,
    (first) => {
      if (first) {
        network.home =
          wifi !== undefined && random.chance(HOME_WIFI_SESSIONS)
            ? wifi
            : random.pick(network.blocks).address(random);
      }
      const close = random.pick(STUDENT_CLOSES);
      const text = `${random.pick(STUDENT_ASKS)}\n\n${random.pick(exercises)}${close ? `\n\n${close}` : ''}`;
      return {
        turns: [{ kind: 'user', text }],
        output: 'reasoning',
        reasoning: true,
        toolCall: false,
        temperature: 0.7,
        maxTokens: 4096,
        stream: true,
      };
    },
  );
  let day = -1;
  let sent = 0;
  return {
    nextTime(from) {
      let at = inner.nextTime(from);
      // A day's quota spent: the next question waits for the next day's activity.
      while (Math.floor(at / DAY) === day && sent >= STUDENT_DAILY_CAP) {
        at = inner.nextTime((day + 1) * DAY);
      }
      return at;
    },
    compose(at) {
      const today = Math.floor(at / DAY);
      if (today !== day) {
        day = today;
        sent = 0;
      }
      sent += 1;
      return inner.compose(at);
    },
  };
}
