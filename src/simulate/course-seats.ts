import {
  type AccountFactory,
  adoptionTime,
  homeNetwork,
  pickClientFor,
} from './account-factory.js';
import { DAY, HOUR } from './activity-clock.js';
import type { Behaviour, SimulationContext } from './behaviour.js';
import { EVENING_CURVE, sessions } from './look-alike-behaviours.js';
import { blocksOf } from './network-registry.js';
import type { SimulatedAccount } from './simulated-account.js';

/** Students in one class (a course's seats under one new organisation). */
export const CLASS_SIZE = 30;
/** Exercises in the course's problem sets so far (the same text for every student). */
const EXERCISES = 24;
/** Sessions a student works on campus (the university's NAT) rather than at home. */
const CAMPUS_SESSIONS = 0.4;

const ASKS = [
  'Can you solve this exercise from our course step by step?',
  'Please explain how to do this one and show the full working:',
  'I need a detailed worked solution for this problem from the problem set:',
  'Walk me through this exercise step by step, I want to understand the method:',
  // Marked on the working, not the result: students ask for every step, and ask to check it.
  'Solve this step by step, show all your working and do not skip any steps, the lecturer marks every step:',
  'Walk me through this exercise step by step and double-check your answer:',
];
const WORDS = ['northfield', 'lakeside', 'carrow', 'st-aldric', 'westmoor', 'hollins'];

/** What one class shares: the university's organisation, card, domain, NAT and problem sets. */
interface Course {
  orgId: string;
  domain: string;
  payment: string;
  country: string;
  campus: string[];
  campusBlock: ReturnType<typeof blocksOf>[number];
  exercises: string[];
  /** When the course's seats were handed out (the term's first week). */
  openedAt: number;
}

export interface CourseSeat {
  account: SimulatedAccount;
  behaviour: Behaviour;
}

/**
 * A university gives a class course seats in a new organisation (the sceptic's honest look-alike
 * of the red-team-b front company, docs/simulator.md#red-team-b-campaigns): {@link CLASS_SIZE}
 * new seats under one `org_id`, card and `.edu` domain, each student pasting the course's
 * exercises (the same text across students, each exercise once per student, in the set's order)
 * for step-by-step worked answers, evenings, a few a day, from the campus NAT or home.
 */
export function createCourseSeats(
  count: number,
  context: SimulationContext,
  factory: AccountFactory,
  perDay: number,
): CourseSeat[] {
  const { random } = context;
  const courses = Array.from({ length: Math.max(1, Math.round(count / CLASS_SIZE)) }, () =>
    courseOf(context, factory),
  );
  const seats: CourseSeat[] = [];
  for (let index = 0; index < count; index++) {
    const course = courses[index % courses.length] as Course;
    const home = homeNetwork(context, course.country);
    const account = factory.create({
      // Students accept the seat invitation over the course's first days.
      createdAt: course.openedAt + random.exponential(2 * DAY),
      country: course.country,
      client: pickClientFor(context, 'chat'),
      network: { home: home.network.home, blocks: [home.block], rotation: 0 },
      signupBlock: course.campusBlock,
      signupIp: random.pick(course.campus),
      emailDomain: course.domain,
      paymentFingerprint: course.payment,
      verification: 'org',
      program: null,
      orgId: course.orgId,
      truth: {
        label: 'legit',
        campaign_id: null,
        operator: null,
        persona: 'course_org',
        group: 'course_org',
      },
      adoptsReleaseAt: adoptionTime(context, 0.1),
    });
    const rate = perDay * (0.5 + random.next());
    seats.push({
      account,
      behaviour: studentBehaviour(account, context, rate, course, home.network.home),
    });
  }
  return seats;
}

function courseOf(context: SimulationContext, factory: AccountFactory): Course {
  const { random, start } = context;
  const campusBlock = random.pick(blocksOf('university')).subnet(random);
  const first = random.int(context.pools.reasoning.en.length);
  return {
    orgId: `org_${random.hex(10)}`,
    domain: `${random.pick(WORDS)}.edu`,
    payment: factory.paymentFingerprint(),
    country: campusBlock.network.country,
    campus: Array.from({ length: random.between(2, 4) }, () => campusBlock.address(random)),
    campusBlock,
    exercises: Array.from(
      { length: EXERCISES },
      (_, at) =>
        `Exercise ${at + 1}. ${context.pools.reasoning.en[(first + at) % context.pools.reasoning.en.length]}`,
    ),
    openedAt: start - (3 + random.int(8)) * DAY + (8 + random.int(9)) * HOUR,
  };
}

/** A student working through the course's exercises once each, in order, evenings. */
function studentBehaviour(
  account: SimulatedAccount,
  context: SimulationContext,
  perDay: number,
  course: Course,
  home: string,
): Behaviour {
  const { random } = context;
  // Students are at different points of the problem sets.
  let next = random.int(course.exercises.length);
  return sessions(
    context,
    perDay,
    { curve: EVENING_CURVE, offsetHours: account.offsetHours, weekend: 0.8 },
    1,
    600_000,
    (first) => {
      if (first) {
        account.network.home = random.chance(CAMPUS_SESSIONS) ? random.pick(course.campus) : home;
      }
      const exercise = course.exercises[next % course.exercises.length] as string;
      next += 1;
      return {
        turns: [{ kind: 'user', text: `${random.pick(ASKS)}\n\n${exercise}` }],
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
