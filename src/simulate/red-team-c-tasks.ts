import type { ComposedTask } from './attack-tasks.js';
import type { Behaviour } from './behaviour.js';
import { LOCAL_CHAT } from './multilingual-phrases.js';
import { ASSISTANT_REPLIES, SAMPLE_RESPONSES } from './prompt-content.js';
import type { PromptPools } from './prompt-pools.js';
import type { Random } from './random.js';
import type { Turn } from './request-builder.js';
import type { Language, RedTeamCTaskKind } from './scenario.js';

/**
 * Follow-ups a student model writes when it plays the user (self-play distillation): natural,
 * varied, never a reasoning-trace cue, often drifting to a neighbouring topic.
 */
const STUDENT_FOLLOW_UPS = [
  'Interesting. What would change if the constraints were reversed?',
  'Could you give a concrete example of that?',
  'How does this compare with the usual alternative?',
  'What are the most common mistakes people make here?',
  'Can you go deeper on the second point?',
  'Is there a case where this does not hold?',
  'How would you explain that to a beginner?',
  'What would an expert add that most explanations leave out?',
  'Okay, and how would that look in practice?',
  'Why is that the case, though?',
  'Can you summarise the key idea in two sentences, then expand on the hardest part?',
  'What is a good follow-up problem to test that I understood this?',
];
const DRIFTS = [
  'Related question: ',
  'That makes me wonder about something else. ',
  'Switching slightly: ',
  'On a similar note, ',
  '',
];

const LONGFORM_TOPICS = [
  'introductory thermodynamics',
  'linear algebra for machine learning',
  'organic reaction mechanisms',
  'the history of the Byzantine Empire',
  'microeconomics of market failure',
  'distributed consensus algorithms',
  'compiler design: parsing and semantic analysis',
  'probability theory and random variables',
  'cellular respiration',
  'contract law fundamentals',
  'signal processing and the Fourier transform',
  'database indexing and query optimisation',
  'numerical methods for differential equations',
  'corporate finance and valuation',
  'operating system scheduling',
  'quantum mechanics for chemists',
];
const AUDIENCES = [
  'first-year undergraduates',
  'advanced high-school students',
  'graduate students',
  'working engineers',
  'self-learners',
];
const LONGFORM_FRAMES = [
  'Write a complete textbook chapter on {topic} for {audience}: explanations, worked examples, end-of-chapter exercises and full solutions.',
  'Draft the full chapter "{topic}" of our course book for {audience}. It must be complete, with every section written out, examples and solved exercises.',
  'We are producing a study guide for {audience}. Write the entire section on {topic}, as long as needed, including a full solution set for the exercises.',
  'Produce comprehensive lecture notes on {topic} for {audience}, fully written (no outlines), with derivations and a worked problem set.',
];
const SOLUTION_FRAMES = [
  'Here is a problem set. Write complete, fully worked solutions to every problem.',
  'Solve each of the following problems in full, with complete working, for our answer key.',
  'Provide a full solution manual for these exercises.',
];

/** One self-play conversation in progress on one account. */
interface Conversation {
  turns: Turn[];
  /** User turns still to send in this conversation. */
  left: number;
}
const conversations = new WeakMap<object, Conversation>();

function opener(random: Random, pools: PromptPools, language: Language): string {
  const local = LOCAL_CHAT[language].openers;
  const roll = random.next();
  if (language !== 'en') {
    return local.length > 0 && roll < 0.3
      ? random.pick(local)
      : random.pick(pools.reasoning[language]);
  }
  return random.pick(
    roll < 0.4 ? pools.instructions : roll < 0.7 ? pools.reasoning.en : pools.chatOpeners,
  );
}

function followUp(random: Random, pools: PromptPools, language: Language): string {
  // A student model drifts: now and then the next user turn opens a neighbouring topic.
  if (random.chance(0.3)) return `${random.pick(DRIFTS)}${opener(random, pools, language)}`;
  const local = LOCAL_CHAT[language].followUps;
  if (language !== 'en')
    return local.length > 0 ? random.pick(local) : random.pick(STUDENT_FOLLOW_UPS);
  return random.chance(0.6) ? random.pick(STUDENT_FOLLOW_UPS) : random.pick(pools.chatFollowUps);
}

function selfPlay(random: Random, pools: PromptPools, language: Language, owner: object) {
  let conversation = conversations.get(owner);
  if (!conversation || conversation.left <= 0) {
    conversation = { turns: [], left: 3 + random.int(6) };
    conversations.set(owner, conversation);
    conversation.turns.push({ kind: 'user', text: opener(random, pools, language) });
  } else {
    // The teacher's last answer (what the harness keeps), then the student's next question.
    conversation.turns.push(
      {
        kind: 'assistant',
        text: random.chance(0.5) ? random.pick(SAMPLE_RESPONSES) : random.pick(ASSISTANT_REPLIES),
      },
      { kind: 'user', text: followUp(random, pools, language) },
    );
  }
  conversation.left -= 1;
  return {
    turns: [...conversation.turns],
    output: 'chat',
    reasoning: false,
    toolCall: false,
  } satisfies ComposedTask;
}

function longform(random: Random, pools: PromptPools): ComposedTask & { maxTokens: number } {
  let text: string;
  if (random.chance(0.35)) {
    const problems = Array.from(
      { length: 4 + random.int(5) },
      (_, index) => `${index + 1}. ${random.pick(pools.reasoning.en)}`,
    );
    text = `${random.pick(SOLUTION_FRAMES)}\n\n${problems.join('\n')}`;
  } else {
    text = random
      .pick(LONGFORM_FRAMES)
      .replace('{topic}', random.pick(LONGFORM_TOPICS))
      .replace('{audience}', random.pick(AUDIENCES));
  }
  return {
    turns: [{ kind: 'user', text }],
    output: 'longform',
    reasoning: random.chance(0.5),
    toolCall: false,
    maxTokens: random.pick([16_000, 32_000]),
  };
}

/**
 * Composes one exchange of a third-red-team task kind. `owner` (the sending account) keys the
 * self-play conversation in progress, so each account carries its own growing history.
 */
export function composeRedTeamCTask(
  kind: RedTeamCTaskKind,
  random: Random,
  pools: PromptPools,
  language: Language,
  owner: object,
): ComposedTask & { maxTokens?: number } {
  switch (kind) {
    case 'self_play':
      return selfPlay(random, pools, language, owner);
    case 'longform':
      return longform(random, pools);
  }
}

/**
 * The student model's time to write the next user turn once the teacher's answer is in: a short
 * question generated at tens of tokens a second plus the harness's own overhead, a few seconds
 * whatever the answer's length (the answer is only the student's prompt).
 */
export function studentTurnMs(random: Random): number {
  return 1200 + random.exponential(2500);
}

/**
 * Self-play pacing: while the account's conversation continues, the harness sends the student's
 * next turn {@link studentTurnMs} after the previous answer completed (the harness does not read);
 * a new conversation starts on `base`'s human-like schedule. `capReached` is the operator's daily
 * cap: a follow-up over it waits for `base`'s next day.
 */
export function withHarnessPacing(
  base: Behaviour,
  owner: object,
  random: Random,
  endAt: number,
  capReached: (at: number) => boolean,
): Behaviour {
  let answeredAt = Number.NaN;
  return {
    nextTime(from) {
      const conversation = conversations.get(owner);
      if (conversation && conversation.left > 0 && Number.isFinite(answeredAt)) {
        const next = Math.max(from, answeredAt) + studentTurnMs(random);
        if (!capReached(next)) return next > endAt ? Number.POSITIVE_INFINITY : next;
      }
      return base.nextTime(from);
    },
    compose: (at) => base.compose(at),
    answered(exchange) {
      answeredAt = Date.parse(exchange.ts) + (exchange.latency_ms ?? 0);
    },
  };
}
