import type { Exchange } from '../log/exchange.js';
import { type AccountBlueprint, type AccountFactory, adoptionTime } from './account-factory.js';
import { DAY, nextActiveTime, OFFICE_CURVE } from './activity-clock.js';
import type { Behaviour, SimulationContext } from './behaviour.js';
import { pickClient } from './client-profiles.js';
import { blocksOf } from './network-registry.js';
import { ASSISTANT_REPLIES } from './prompt-content.js';
import type { SimulatedAccount } from './simulated-account.js';

const LAB_WORDS = ['eval', 'bench', 'lab', 'metric', 'probe', 'score', 'signal', 'arena'];

/** MT-Bench-style second turns: written in advance, the same for every model evaluated. */
const SCRIPTED_SECOND_TURNS = [
  'Now rewrite your previous answer so that a ten-year-old could follow it.',
  'Summarise your answer above in exactly three bullet points.',
  'Rewrite your previous response in a formal tone, without changing its content.',
  'Now critique your own answer: what is its weakest point, and how would you fix it?',
  'Convert your previous answer into a short table.',
  'Extend your solution to handle the case where the input is empty.',
  'Translate your answer above into French.',
  'Give one counterexample to the claim in your answer, or explain why none exists.',
];

/**
 * A model-evaluation lab's account (honest look-alike of self-play, branch self-play): an
 * established organisation (1–4 years, `verification: org`, its own domain and card) running its
 * evaluation jobs from one cloud /24.
 */
export function evalLabBlueprint(
  context: SimulationContext,
  factory: AccountFactory,
): AccountBlueprint {
  const { random, start } = context;
  const subnet = random.pick(blocksOf('datacenter')).subnet(random);
  const addresses = Array.from({ length: random.between(1, 3) }, () => subnet.address(random));
  const home = addresses[0] as string;
  return {
    createdAt: start - (365 + random.next() * 3 * 365) * DAY,
    country: subnet.network.country,
    client: pickClient(random, 'backend'),
    network: { home, blocks: [subnet], rotation: 0, fixed: addresses },
    signupBlock: subnet,
    signupIp: home,
    emailDomain: `${random.pick(LAB_WORDS)}${random.pick(LAB_WORDS)}.ai`,
    paymentFingerprint: factory.paymentFingerprint(),
    verification: 'org',
    program: null,
    orgId: `org_${random.hex(10)}`,
    apiKeys: random.between(1, 3),
    truth: {
      label: 'legit',
      campaign_id: null,
      operator: null,
      persona: 'eval_lab',
      group: 'eval_lab',
    },
    adoptsReleaseAt: adoptionTime(context, 0.9),
  };
}

/**
 * A scripted multi-turn benchmark (MT-Bench-style): a run asks each item's first question, then
 * its scripted second turn as soon as the first answer is in (a harness does not read), item
 * after item; runs start a few times a working day. Machine-paced, multi-turn, no tools: what
 * self-play does, by an established customer from its own cloud.
 */
export function evalLabBehaviour(
  account: SimulatedAccount,
  context: SimulationContext,
  perDay: number,
): Behaviour {
  const { random, pools } = context;
  const shape = { curve: OFFICE_CURVE, offsetHours: account.offsetHours, weekend: 0.3 };
  const runsPerDay = 1 + random.int(3);
  let left = 0;
  let secondTurn = false;
  let question = '';
  let answeredAt = Number.NaN;
  return {
    nextTime(from) {
      if ((left > 0 || secondTurn) && Number.isFinite(answeredAt))
        return Math.max(from, answeredAt) + 150 + random.exponential(secondTurn ? 600 : 300);
      return nextActiveTime(random, from, runsPerDay, shape);
    },
    compose() {
      if (secondTurn) {
        secondTurn = false;
        return {
          turns: [
            { kind: 'user', text: question },
            { kind: 'assistant', text: random.pick(ASSISTANT_REPLIES) },
            { kind: 'user', text: random.pick(SCRIPTED_SECOND_TURNS) },
          ],
          output: 'chat',
          reasoning: false,
          toolCall: false,
          temperature: 0,
          maxTokens: 2048,
          stream: false,
        };
      }
      // A run covers its benchmark's items (two requests each) up to the day's volume.
      if (left <= 0) left = Math.max(1, Math.round(perDay / runsPerDay / 2));
      left -= 1;
      secondTurn = true;
      question = random.pick(
        random.chance(0.4)
          ? pools.reasoning.en
          : random.chance(0.5)
            ? pools.instructions
            : pools.coding,
      );
      return {
        turns: [{ kind: 'user', text: question }],
        output: 'chat',
        reasoning: false,
        toolCall: false,
        temperature: 0,
        maxTokens: 2048,
        stream: false,
      };
    },
    answered(exchange: Exchange) {
      answeredAt = Date.parse(exchange.ts) + (exchange.latency_ms ?? 0);
    },
  };
}
