import type { ComposedTask, OperatorStyle } from './attack-tasks.js';
import { LOCAL_CHAT } from './multilingual-phrases.js';
import { ASSISTANT_REPLIES, CODE_SNIPPETS, SAMPLE_RESPONSES } from './prompt-content.js';
import type { PromptPools } from './prompt-pools.js';
import type { Random } from './random.js';
import type { ToolSpec, Turn } from './request-builder.js';
import type { Language, RedTeamTaskKind } from './scenario.js';

const DOMAINS = {
  medicine: {
    subjects: [
      'a 54-year-old with new-onset atrial fibrillation and chronic kidney disease',
      'a 7-year-old with recurrent wheeze and eczema',
      'a 68-year-old on warfarin who needs a dental extraction',
      'a 31-year-old, 28 weeks pregnant, with a blood pressure of 150/95',
      'a 45-year-old with type 2 diabetes, HbA1c 9.1%, on metformin',
      'an 80-year-old with delirium after hip surgery',
      'a 23-year-old with a first unprovoked seizure',
      'a 60-year-old smoker with haemoptysis and weight loss',
    ],
    asks: [
      'What is the differential diagnosis and which investigations come first?',
      'Walk through the management step by step, citing the guideline reasoning.',
      'Which drugs are contraindicated, and why?',
      'How would you counsel the patient on risks and benefits of each option?',
      'What would change your management if renal function worsened?',
    ],
  },
  law: {
    subjects: [
      'a tenant whose landlord kept the deposit for normal wear and tear',
      'an employee dismissed a week after reporting a safety breach',
      'a software licence that forbids reverse engineering for interoperability',
      'a contract signed by a 17-year-old for a car purchase',
      'a startup founder leaving before the vesting cliff',
      'a company sharing customer data with an overseas processor',
      'a neighbour whose tree roots damaged a foundation',
      'a shareholder excluded from a board decision on a merger',
    ],
    asks: [
      'Analyse the legal position under common law and under a civil-law system.',
      'What are the strongest arguments for each side, and how would a court weigh them?',
      'Draft the key clauses that would have avoided the dispute, with commentary.',
      'Which remedies are available, and what must be proven for each?',
      'Explain the limitation periods and procedural steps in detail.',
    ],
  },
  finance: {
    subjects: [
      'a portfolio of 60% equities and 40% bonds when rates rise 200 basis points',
      'a leveraged buyout financed at 6x EBITDA',
      'a company choosing between a share buyback and a special dividend',
      'a currency hedge for a euro receivable due in nine months',
      'a convertible bond with a call option at 130% of par',
      'a pension fund with a funding ratio of 85%',
      'a bank whose deposits reprice faster than its loans',
      'an IPO priced at 40 times forward earnings',
    ],
    asks: [
      'Value it step by step and state every assumption.',
      'Explain the risks quantitatively, with a worked example.',
      'How would you model the scenario, and which sensitivities matter most?',
      'Compare the alternatives with a full argument for the recommendation.',
      'Derive the relevant formulas and apply them to the case.',
    ],
  },
} as const;
type Domain = keyof typeof DOMAINS;

const EXPERT_FRAMES = [
  'Case: {subject}. {ask}',
  'I am preparing a detailed briefing on {subject}. {ask} Please be thorough.',
  'Consider {subject}. {ask} Give a long, structured answer.',
  '{ask} The situation: {subject}.',
  'As a senior specialist, address {subject}. {ask}',
];

const PAIR_ASKS = [
  'Write two different answers to the question below (Answer A and Answer B), then say which is better and why.',
  'Give two candidate responses, one concise and one detailed, then judge which a careful reader would prefer.',
  'Produce Response 1 and Response 2 to this prompt, then compare them and pick the better one with reasons.',
];
const COMPARE_ASKS = [
  'Which of these two responses is better? Explain, then answer "A" or "B".',
  'Compare the two replies for helpfulness and accuracy; state your preference and justify it.',
  'Two assistants answered the prompt below. Decide which answer is more helpful and explain.',
];

const TRAJECTORY_TOOLS: readonly ToolSpec[] = [
  ['search', 'Search the web.', 'query'],
  ['open_page', 'Open a URL and return the readable text.', 'url'],
  ['run_python', 'Execute Python code in a sandbox.', 'code'],
  ['list_files', 'List files in the workspace.', 'path'],
  ['read_file', 'Read a file from the workspace.', 'path'],
  ['write_file', 'Write a file in the workspace.', 'path'],
  ['shell', 'Run a shell command.', 'command'],
  ['finish', 'Report the final answer.', 'answer'],
].map(([name, description, field]) => ({
  name: name as string,
  description: description as string,
  parameters: {
    type: 'object',
    properties: { [field as string]: { type: 'string' } },
    required: [field as string],
  },
}));

/** Per-operator memory (keyed by the operator's style object, so it is seeded and local). */
interface Memory {
  domain?: Domain;
  recent: string[];
}
const memories = new WeakMap<OperatorStyle, Memory>();
function memoryOf(style: OperatorStyle): Memory {
  let memory = memories.get(style);
  if (!memory) {
    memory = { recent: [] };
    memories.set(style, memory);
  }
  return memory;
}

function expertQuestion(random: Random, style: OperatorStyle): string {
  const memory = memoryOf(style);
  memory.domain ??= random.pick(Object.keys(DOMAINS) as Domain[]);
  const domain = DOMAINS[memory.domain];
  return random
    .pick(EXPERT_FRAMES)
    .replace('{subject}', random.pick(domain.subjects))
    .replace('{ask}', random.pick(domain.asks));
}

function casualOpener(random: Random, pools: PromptPools, language: Language): string {
  const local = LOCAL_CHAT[language].openers;
  return local.length > 0 && random.chance(0.7)
    ? random.pick(local)
    : random.pick(pools.chatOpeners);
}

function preference(
  random: Random,
  pools: PromptPools,
  style: OperatorStyle,
): ComposedTask & { extra?: Record<string, unknown> } {
  const memory = memoryOf(style);
  // Multi-sampling: the same prompt again at high temperature, or n > 1 in one call.
  if (memory.recent.length > 0 && random.chance(0.35)) {
    const text = random.pick(memory.recent);
    return {
      turns: [{ kind: 'user', text }],
      output: 'reasoning',
      reasoning: true,
      toolCall: false,
      extra: { n: 2 + random.int(3) },
    };
  }
  const question = random.pick(random.chance(0.5) ? pools.instructions : pools.chatOpeners);
  let text: string;
  if (random.chance(0.5)) {
    text = `${random.pick(PAIR_ASKS)}\n\n${question}`;
  } else {
    const [a, b] = [random.pick(SAMPLE_RESPONSES), random.pick(ASSISTANT_REPLIES)];
    text = `${random.pick(COMPARE_ASKS)}\n\nPrompt: ${question}\n\n[A]\n${a}\n\n[B]\n${b}`;
  }
  memory.recent.push(text);
  if (memory.recent.length > 50) memory.recent.shift();
  return { turns: [{ kind: 'user', text }], output: 'reasoning', reasoning: true, toolCall: false };
}

function trajectory(random: Random, pools: PromptPools): ComposedTask {
  const turns: Turn[] = [{ kind: 'user', text: random.pick(pools.agentGoals) }];
  const rounds = 6 + random.int(15);
  for (let round = 0; round < rounds; round++) {
    const tool = random.pick(TRAJECTORY_TOOLS);
    const id = `call_${random.hex(12)}`;
    const field = (tool.parameters.required as string[])[0] as string;
    turns.push({ kind: 'tool_call', id, name: tool.name, input: { [field]: random.hex(8) } });
    turns.push({
      kind: 'tool_result',
      id,
      text: random.chance(0.5) ? random.pick(CODE_SNIPPETS) : random.pick(SAMPLE_RESPONSES),
    });
    if (random.chance(0.15))
      turns.push({ kind: 'assistant', text: random.pick(ASSISTANT_REPLIES) });
  }
  return { turns, tools: TRAJECTORY_TOOLS, output: 'agent', reasoning: true, toolCall: true };
}

/**
 * Composes one exchange of a red-team task kind (campaign types the engine was never tuned on).
 * `style` carries the operator's memory: its one expert domain and the prompts it re-samples.
 */
export function composeRedTeamTask(
  kind: RedTeamTaskKind,
  random: Random,
  pools: PromptPools,
  language: Language,
  style: OperatorStyle,
): ComposedTask {
  switch (kind) {
    case 'expert_qa':
      return {
        turns: [{ kind: 'user', text: expertQuestion(random, style) }],
        output: 'reasoning',
        reasoning: true,
        toolCall: false,
      };
    case 'cover_chat': {
      const turns: Turn[] = [{ kind: 'user', text: casualOpener(random, pools, language) }];
      if (random.chance(0.4)) {
        turns.push(
          { kind: 'assistant', text: random.pick(ASSISTANT_REPLIES) },
          { kind: 'user', text: random.pick(pools.chatFollowUps) },
        );
      }
      return { turns, output: 'chat', reasoning: false, toolCall: false };
    }
    case 'preference_pair':
      return preference(random, pools, style);
    case 'agent_trajectory':
      return trajectory(random, pools);
  }
}
