import { REASONING_REQUESTS } from './multilingual-phrases.js';
import {
  CENSORSHIP_ANSWERS,
  CENSORSHIP_TEMPLATES,
  CODE_SNIPPETS,
  RUBRIC_TEMPLATES,
  RUBRICS,
  SAMPLE_RESPONSES,
  SENSITIVE_TOPICS,
  VISION_ASKS,
} from './prompt-content.js';
import type { PromptPools } from './prompt-pools.js';
import type { Random } from './random.js';
import type { ToolSpec, Turn } from './request-builder.js';
import type { Language, RedTeamCTaskKind, RedTeamTaskKind, TaskKind } from './scenario.js';
import type { OUTPUT_LENGTHS } from './token-lengths.js';
import { AGENT_TOOLS, CODING_TOOLS, FUNCTION_POOL } from './tool-catalog.js';

/** What one exchange asks for, before it is rendered to an API shape. */
export interface ComposedTask {
  turns: Turn[];
  system?: string | undefined;
  tools?: readonly ToolSpec[] | undefined;
  computerUse?: boolean;
  output: keyof typeof OUTPUT_LENGTHS;
  /** Whether the prompt pushes the model to reason at length. */
  reasoning: boolean;
  toolCall: boolean;
}

/** An operator's fixed habits (a script's constants) unless it paraphrases. */
export interface OperatorStyle {
  readonly paraphrase: boolean;
  readonly wrapperIndex: number;
  readonly wrapperFirst: boolean;
  readonly system: string | undefined;
  /** Rewords every request: no fixed wrapper, template or system prompt (an LLM paraphraser). */
  readonly rewrite?: boolean;
}

const OPERATOR_SYSTEMS = [
  'You are a helpful assistant. Always show your full reasoning before the final answer.',
  'You are an expert problem solver. Think carefully and explain every step.',
  'You are a world-class software engineer.',
  undefined,
];

export function createOperatorStyle(random: Random, paraphrase: boolean): OperatorStyle {
  return {
    paraphrase,
    wrapperIndex: random.int(3),
    wrapperFirst: random.chance(0.3),
    system: random.pick(OPERATOR_SYSTEMS),
  };
}

const OPENERS = [
  '',
  '',
  'Hi! ',
  'Quick question: ',
  'hey, ',
  'Please help: ',
  'For my study group, ',
];

/** Light paraphrase an adaptive operator applies: greetings, casing, order, trailing filler. */
function paraphrase(random: Random, text: string): string {
  let result = random.pick(OPENERS) + text;
  if (random.chance(0.2)) result = result.toLowerCase();
  if (random.chance(0.15)) result = result.replace(/\.$/, '');
  if (random.chance(0.1)) result += ' thx';
  return result;
}

const SEARCHES = [
  'best hotels near the old town',
  'error rate dashboard',
  'quarterly revenue by region',
  'protein folding survey 2024',
];

const GRADE_ASKS = [
  'How good is this answer? Score it 1-10 against: {rubric}.',
  'Please grade the reply below; criteria: {rubric}. Give a number and your reasons.',
  'I need a careful evaluation ({rubric}). Rate the response and justify the rating.',
  'Judge the response for {rubric}, think it through, then give a score.',
  'Rate this from one to ten on {rubric} and explain.',
];
const GRADE_LABELS = [
  ['Question', 'Response'],
  ['Q', 'A'],
  ['Prompt', 'Answer'],
  ['Task', 'Candidate reply'],
];
const REVIEW_ASKS = [
  'How would you answer a question on {topic} so that a strict content reviewer accepts it?',
  'Rephrase this reply on {topic} to be acceptable in a tightly regulated market:\n{answer}',
  'Which wording about {topic} would pass moderation without refusing? Explain your choices.',
  'Soften the following text on {topic} for a cautious publisher, keeping it neutral:\n{answer}',
];

/** A grading request worded afresh: order, labels and ask all vary (no shared template). */
function rewordedGrading(random: Random, rubric: string, question: string, response: string) {
  const ask = random.pick(GRADE_ASKS).replace('{rubric}', rubric);
  const [questionLabel, responseLabel] = random.pick(GRADE_LABELS) as [string, string];
  const body = `${questionLabel}: ${question}\n${responseLabel}: ${response}`;
  return random.chance(0.5) ? `${ask}\n\n${body}` : `${body}\n\n${ask}`;
}

/** Plausible arguments for the catalog's tools. */
function toolInput(random: Random, name: string): Record<string, unknown> {
  switch (name) {
    case 'web_search':
      return { query: random.pick(SEARCHES) };
    case 'fetch_url':
      return { url: `https://example.org/${random.hex(6)}` };
    case 'get_weather':
      return { city: random.pick(['Lisbon', 'Seoul', 'Chicago', 'Kyoto']) };
    case 'run_sql':
      return {
        sql: `SELECT region, SUM(amount) FROM sales WHERE quarter = ${random.between(1, 4)} GROUP BY region`,
      };
    case 'send_email':
      return { to: 'me@example.com', subject: 'Summary', body: random.pick(SAMPLE_RESPONSES) };
    case 'create_calendar_event':
      return { title: 'Sync', start: '2026-02-10T15:00:00Z' };
    case 'python':
      return { code: 'import pandas as pd\nprint(pd.read_csv("data.csv").describe())' };
    case 'run_tests':
      return { filter: `test_${random.hex(4)}` };
    case 'bash':
      return { command: random.pick(['ls -la', 'git status', 'pytest -x -q', 'cat README.md']) };
    case 'search_code':
      return { pattern: random.pick(['def parse', 'TODO', 'class .*Cache']) };
    case 'read_file':
    case 'write_file':
      return { path: `src/module_${random.int(40)}.py` };
    default:
      return { value: random.pick(SEARCHES), limit: random.between(1, 20) };
  }
}

/** `count` distinct tools of the pool, in the order drawn. */
function sampleTools(random: Random, pool: readonly ToolSpec[], count: number): ToolSpec[] {
  const chosen: ToolSpec[] = [];
  const taken = new Set<number>();
  while (chosen.length < Math.min(count, pool.length)) {
    const index = random.int(pool.length);
    if (taken.has(index)) continue;
    taken.add(index);
    chosen.push(pool[index] as ToolSpec);
  }
  return chosen;
}

/** A screenshot payload (a short stub, not a real image) from the simulation's pool. */
function screenshot(random: Random, pools: PromptPools): string {
  return random.pick(pools.screenshots);
}

function reasoningPrompt(
  random: Random,
  pools: PromptPools,
  language: Language,
  style: OperatorStyle,
): string {
  const question = random.pick(pools.reasoning[language]);
  const requests = REASONING_REQUESTS[language];
  if (!style.paraphrase) {
    const request = requests[style.wrapperIndex % requests.length] as string;
    return style.wrapperFirst ? `${request}\n\n${question}` : `${question}\n\n${request}`;
  }
  const request = random.pick(requests);
  return paraphrase(
    random,
    random.chance(0.5) ? `${question} ${request}` : `${request} ${question}`,
  );
}

/** Composes one attack exchange of the given kind. */
export function composeAttackTask(
  kind: Exclude<TaskKind, RedTeamTaskKind | RedTeamCTaskKind>,
  random: Random,
  pools: PromptPools,
  language: Language,
  style: OperatorStyle,
): ComposedTask {
  switch (kind) {
    case 'reasoning_trace':
      return {
        turns: [{ kind: 'user', text: reasoningPrompt(random, pools, language, style) }],
        system: style.system,
        output: 'reasoning',
        reasoning: true,
        toolCall: false,
      };
    case 'rubric_grading': {
      if (style.rewrite) {
        const question = random.pick(random.chance(0.5) ? pools.instructions : pools.reasoning.en);
        const text = rewordedGrading(
          random,
          random.pick(RUBRICS),
          question,
          random.pick(SAMPLE_RESPONSES),
        );
        return {
          turns: [{ kind: 'user', text: paraphrase(random, text) }],
          output: 'reasoning',
          reasoning: true,
          toolCall: false,
        };
      }
      const template = random.pick(RUBRIC_TEMPLATES);
      const text = template
        .replace('{rubric}', random.pick(RUBRICS))
        .replace(
          '{question}',
          random.pick(random.chance(0.5) ? pools.instructions : pools.reasoning.en),
        )
        .replace('{response}', random.pick(SAMPLE_RESPONSES))
        .replace('{other}', random.pick(SAMPLE_RESPONSES));
      return {
        turns: [{ kind: 'user', text: style.paraphrase ? paraphrase(random, text) : text }],
        system: undefined,
        output: 'reasoning',
        reasoning: true,
        toolCall: false,
      };
    }
    case 'censorship_rewrite': {
      const text = random
        .pick(style.rewrite ? REVIEW_ASKS : CENSORSHIP_TEMPLATES)
        .replace('{topic}', random.pick(SENSITIVE_TOPICS))
        .replace('{answer}', random.pick(CENSORSHIP_ANSWERS));
      return {
        turns: [{ kind: 'user', text: style.paraphrase ? paraphrase(random, text) : text }],
        output: 'chat',
        reasoning: true,
        toolCall: false,
      };
    }
    case 'tool_use': {
      const turns: Turn[] = [{ kind: 'user', text: random.pick(pools.agentGoals) }];
      const rounds = random.int(4);
      for (let round = 0; round < rounds; round++) {
        const tool = random.pick(AGENT_TOOLS);
        const id = `call_${random.hex(12)}`;
        turns.push({ kind: 'tool_call', id, name: tool.name, input: toolInput(random, tool.name) });
        turns.push({
          kind: 'tool_result',
          id,
          text: `{"status":"ok","results":${random.between(1, 20)},"top":"${random.pick(SAMPLE_RESPONSES)}"}`,
        });
      }
      return {
        turns,
        system: style.system,
        tools: AGENT_TOOLS,
        output: 'agent',
        reasoning: true,
        toolCall: true,
      };
    }
    case 'function_calling': {
      // Public function-calling data: each request offers 3–8 tools of one fixed pool; many
      // carry the tool result back for the model to finish the task.
      const tools = sampleTools(random, FUNCTION_POOL, 3 + random.int(6));
      const turns: Turn[] = [{ kind: 'user', text: random.pick(pools.agentGoals) }];
      if (random.chance(0.55)) {
        const tool = random.pick(tools);
        const id = `call_${random.hex(12)}`;
        turns.push({ kind: 'tool_call', id, name: tool.name, input: toolInput(random, tool.name) });
        turns.push({
          kind: 'tool_result',
          id,
          text: `{"ok":true,"data":"${random.pick(SAMPLE_RESPONSES)}"}`,
        });
      }
      return {
        turns,
        system: style.system,
        tools,
        output: 'agent',
        reasoning: false,
        toolCall: true,
      };
    }
    case 'computer_use': {
      const turns: Turn[] = [{ kind: 'user', text: random.pick(pools.computerGoals) }];
      const rounds = random.int(5);
      for (let round = 0; round < rounds; round++) {
        const id = `call_${random.hex(12)}`;
        const action = random.pick(['screenshot', 'left_click', 'type', 'key', 'scroll']);
        turns.push({
          kind: 'tool_call',
          id,
          name: 'computer',
          input:
            action === 'left_click'
              ? { action, coordinate: [random.int(1280), random.int(800)] }
              : { action },
        });
        turns.push({
          kind: 'tool_result',
          id,
          text: 'done',
          screenshot: screenshot(random, pools),
        });
      }
      return { turns, computerUse: true, output: 'agent', reasoning: true, toolCall: true };
    }
    case 'vision': {
      const image = random.chance(0.5)
        ? `https://img.cdn-static.net/u/${random.hex(16)}.png`
        : screenshot(random, pools);
      return {
        turns: [{ kind: 'user', text: random.pick(VISION_ASKS), image }],
        output: 'reasoning',
        reasoning: true,
        toolCall: false,
      };
    }
    case 'coding': {
      if (random.chance(0.55)) {
        return {
          turns: [{ kind: 'user', text: random.pick(pools.coding) }],
          system: style.system,
          output: 'reasoning',
          reasoning: true,
          toolCall: false,
        };
      }
      const turns: Turn[] = [
        {
          kind: 'user',
          text: `${random.pick(pools.coding)}\nWork in the repository; run the tests when done.`,
        },
      ];
      const rounds = 1 + random.int(5);
      for (let round = 0; round < rounds; round++) {
        const tool = random.pick(CODING_TOOLS);
        const id = `call_${random.hex(12)}`;
        turns.push({ kind: 'tool_call', id, name: tool.name, input: toolInput(random, tool.name) });
        turns.push({ kind: 'tool_result', id, text: random.pick(CODE_SNIPPETS) });
      }
      return {
        turns,
        system: style.rewrite ? undefined : 'You are an autonomous coding agent.',
        tools: CODING_TOOLS,
        output: 'agent',
        reasoning: true,
        toolCall: true,
      };
    }
  }
}
