import {
  type ActivityShape,
  HUMAN_CURVE,
  MINUTE,
  nextActiveTime,
  OFFICE_CURVE,
} from './activity-clock.js';
import type { Behaviour, Draft, SimulationContext } from './behaviour.js';
import { LOCAL_CHAT, REASONING_REQUESTS } from './multilingual-phrases.js';
import { ASSISTANT_REPLIES, CODE_SNIPPETS, SAMPLE_RESPONSES } from './prompt-content.js';
import type { ToolSpec, Turn } from './request-builder.js';
import { LANGUAGES, type Language } from './scenario.js';
import type { SimulatedAccount } from './simulated-account.js';
import { CODING_TOOLS } from './tool-catalog.js';

/** Homework in the evening: students work after classes, late into the night. */
export const EVENING_CURVE: readonly number[] = [
  0.35, 0.2, 0.1, 0.05, 0.03, 0.03, 0.05, 0.15, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.6, 0.65, 0.7, 0.8,
  0.9, 1, 1, 0.95, 0.8, 0.55,
];

/**
 * The system prompt every user of a popular open-source coding agent sends (the project ships
 * it; thousands of unrelated people run the same release).
 */
export const OSS_AGENT_SYSTEM =
  "You are an interactive CLI coding assistant running in the user's terminal. Use the tools " +
  'to read and edit files and to run commands. Keep answers short. Never commit unless asked. ' +
  'Follow the conventions of the repository you are working in.';
/** The open-source agent's tool schema, identical for all its users. */
export const OSS_AGENT_TOOLS: readonly ToolSpec[] = CODING_TOOLS;

/** Sessions of `1 + Exp(meanExtra)` exchanges `gapMs` apart, started by a shaped Poisson clock. */
export function sessions(
  { random }: SimulationContext,
  perDay: number,
  shape: ActivityShape,
  meanExtra: number,
  gapMs: number,
  compose: (first: boolean, at: number) => Draft,
): Behaviour {
  const meanLength = 1 + 1 / (Math.exp(1 / meanExtra) - 1);
  let remaining = 0;
  let first = true;
  return {
    nextTime(from) {
      if (remaining > 0) return from + gapMs * (0.3 + random.exponential(1));
      return nextActiveTime(random, from, perDay / meanLength, shape);
    },
    compose(at) {
      first = remaining <= 0;
      if (first) remaining = 1 + Math.floor(random.exponential(meanExtra));
      remaining -= 1;
      return compose(first, at);
    },
  };
}

const draft = (turns: Turn[], fields: Partial<Draft> = {}): Draft => ({
  turns,
  output: 'chat',
  reasoning: false,
  toolCall: false,
  temperature: 0.7,
  maxTokens: 2048,
  stream: true,
  ...fields,
});

/** An open-source coding agent's tool loop: shared system prompt and tools, growing history. */
export function ossAgentBehaviour(
  account: SimulatedAccount,
  context: SimulationContext,
  perDay: number,
): Behaviour {
  const { random, pools } = context;
  let turns: Turn[] = [];
  return sessions(
    context,
    perDay,
    { curve: OFFICE_CURVE, offsetHours: account.offsetHours, weekend: 0.35 },
    8,
    6000,
    (first) => {
      if (first) turns = [{ kind: 'user', text: random.pick(pools.coding) }];
      else {
        const tool = random.pick(OSS_AGENT_TOOLS);
        const id = `toolu_${random.hex(12)}`;
        turns = [
          ...turns.slice(-12),
          { kind: 'tool_call', id, name: tool.name, input: { path: `src/${random.hex(4)}.ts` } },
          { kind: 'tool_result', id, text: random.pick(CODE_SNIPPETS) },
        ];
      }
      return draft(turns, {
        system: OSS_AGENT_SYSTEM,
        tools: OSS_AGENT_TOOLS,
        output: 'agent',
        toolCall: true,
        temperature: 1,
        maxTokens: 8192,
      });
    },
  );
}

/** Step-by-step maths homework from home, in the student's language, evenings. */
export function homeworkBehaviour(
  account: SimulatedAccount,
  context: SimulationContext,
  perDay: number,
  curve: readonly number[] = EVENING_CURVE,
  assignment?: readonly string[],
): Behaviour {
  const { random, pools } = context;
  let turns: Turn[] = [];
  const local = LOCAL_CHAT[account.language];
  return sessions(
    context,
    perDay,
    { curve, offsetHours: account.offsetHours, weekend: 0.8 },
    2,
    60_000,
    (first) => {
      if (first) {
        const language = random.chance(0.75) ? account.language : 'en';
        const problem = assignment
          ? random.pick(assignment)
          : `${random.pick(pools.reasoning[language])} ${random.pick(REASONING_REQUESTS[language])}`;
        turns = [{ kind: 'user', text: problem }];
      } else {
        const followUp =
          local.followUps.length > 0 && random.chance(0.5)
            ? random.pick(local.followUps)
            : random.pick(pools.chatFollowUps);
        turns = [
          ...turns,
          { kind: 'assistant', text: random.pick(ASSISTANT_REPLIES) },
          { kind: 'user', text: followUp },
        ];
      }
      return draft(turns, { output: 'reasoning', reasoning: true, maxTokens: 4096 });
    },
  );
}

/** A startup building its product: coding help and agent calls in office hours. */
export function startupBehaviour(
  account: SimulatedAccount,
  context: SimulationContext,
  perDay: number,
  tools: readonly ToolSpec[],
  system: string,
): Behaviour {
  const { random, pools } = context;
  return sessions(
    context,
    perDay,
    { curve: OFFICE_CURVE, offsetHours: account.offsetHours, weekend: 0.4 },
    3,
    20_000,
    () =>
      random.chance(0.5)
        ? draft([{ kind: 'user', text: random.pick(pools.coding) }], {
            output: 'code',
            temperature: 0.2,
            stream: false,
          })
        : draft([{ kind: 'user', text: random.pick(pools.agentGoals) }], {
            system,
            tools,
            output: 'agent',
            toolCall: true,
            temperature: 0.3,
            stream: false,
          }),
  );
}

/** A scheduled job: every `interval` ms (small jitter), one tool-calling request. */
export function scheduledJobBehaviour(
  context: SimulationContext,
  interval: number,
  phase: number,
  tools: readonly ToolSpec[],
  system: string,
  goals: readonly string[],
): Behaviour {
  const { random } = context;
  return {
    nextTime(from) {
      const slot = Math.floor((from - phase) / interval) + 1;
      return phase + slot * interval + random.exponential(20_000);
    },
    compose() {
      const turns: Turn[] = [{ kind: 'user', text: random.pick(goals) }];
      if (random.chance(0.5)) {
        const tool = random.pick(tools);
        const id = `call_${random.hex(12)}`;
        turns.push({ kind: 'tool_call', id, name: tool.name, input: { value: random.hex(6) } });
        turns.push({ kind: 'tool_result', id, text: random.pick(SAMPLE_RESPONSES) });
      }
      return draft(turns, {
        system,
        tools,
        output: 'agent',
        toolCall: true,
        temperature: 0,
        maxTokens: 1024,
        stream: false,
      });
    },
  };
}

const TRANSLATION_ASKS = [
  'Translate into {language}, keeping the tone:',
  'Please render this in {language} for our client:',
  'Rewrite the following in natural {language}, not word for word:',
  'Localise this text for a {language}-speaking audience:',
  'Proofread and rephrase in {language}:',
];

/** A translation agency's staff: multilingual rewrites of client texts, business hours. */
export function translationBehaviour(
  account: SimulatedAccount,
  context: SimulationContext,
  perDay: number,
): Behaviour {
  const { random, pools } = context;
  return sessions(
    context,
    perDay,
    { curve: OFFICE_CURVE, offsetHours: account.offsetHours, weekend: 0.1 },
    4,
    90_000,
    () => {
      const target = random.pick(LANGUAGES) as Language;
      const source = random.chance(0.5)
        ? random.pick(pools.chatOpeners)
        : random.pick(pools.reasoning[random.pick(LANGUAGES) as Language]);
      const ask = random.pick(TRANSLATION_ASKS).replace('{language}', target);
      return draft([{ kind: 'user', text: `${ask}\n\n${source}` }], { temperature: 0.3 });
    },
  );
}

/** Human chat whose shape is given (privacy users keep chatting as anyone does). */
export const HUMAN_SHAPE = (account: SimulatedAccount): ActivityShape => ({
  curve: HUMAN_CURVE,
  offsetHours: account.offsetHours,
  weekend: 0.75,
});

export const EVERY_HALF_HOUR = 30 * MINUTE;
