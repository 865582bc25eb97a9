import type { ContentPart, Endpoint, ExchangeRequest, Message } from '../log/exchange.js';
import type { ApiStyle } from './client-profiles.js';

/** A conversation turn, independent of API shape; rendered per client style. */
export type Turn =
  | { kind: 'user'; text: string; image?: string }
  | { kind: 'assistant'; text: string }
  | { kind: 'tool_call'; id: string; name: string; input: Record<string, unknown> }
  | { kind: 'tool_result'; id: string; text: string; screenshot?: string };

/** A function tool, rendered to each API's tool schema. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** What a request says, independent of the client that sends it (a `Draft` satisfies it). */
export interface RequestContent {
  system?: string | undefined;
  turns: readonly Turn[];
  maxTokens: number;
  temperature: number;
  stream: boolean;
  tools?: readonly ToolSpec[] | undefined;
  /** Anthropic computer-use tool instead of function tools. */
  computerUse?: boolean;
  /** Extra body fields (`user`, `metadata`, `response_format`, …). */
  extra?: Record<string, unknown> | undefined;
}

const renderedTools = new WeakMap<readonly ToolSpec[], Record<string, unknown[]>>();

function renderTools(tools: readonly ToolSpec[], flavour: string): unknown[] {
  let cache = renderedTools.get(tools);
  if (!cache) {
    cache = {};
    renderedTools.set(tools, cache);
  }
  const cached = cache[flavour];
  if (cached) return cached;
  const rendered = tools.map((tool) => {
    if (flavour === 'anthropic') {
      return { name: tool.name, description: tool.description, input_schema: tool.parameters };
    }
    if (flavour === 'responses') {
      return {
        type: 'function',
        name: tool.name,
        description: tool.description,
        parameters: tool.parameters,
      };
    }
    return {
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    };
  });
  cache[flavour] = rendered;
  return rendered;
}

const COMPUTER_TOOL_ANTHROPIC = [
  {
    type: 'computer_20250124',
    name: 'computer',
    display_width_px: 1280,
    display_height_px: 800,
    display_number: 1,
  },
];
const COMPUTER_TOOL_OPENAI = [
  {
    type: 'computer_use_preview',
    display_width: 1280,
    display_height: 800,
    environment: 'browser',
  },
];

/**
 * Renders turns to an OpenAI Chat Completions / Responses or Anthropic Messages body. The content
 * is passed as is (no per-exchange options object: this runs once per exchange).
 */
export function buildRequest(
  style: ApiStyle,
  endpoint: Endpoint,
  model: string,
  options: RequestContent,
): ExchangeRequest {
  const { system, turns, maxTokens, temperature, stream } = options;
  if (style === 'anthropic' || endpoint === 'messages') {
    const body: ExchangeRequest = { model, max_tokens: maxTokens };
    if (system !== undefined) body.system = system;
    body.messages = renderAnthropic(turns);
    if (options.computerUse) body.tools = COMPUTER_TOOL_ANTHROPIC;
    else if (options.tools) body.tools = renderTools(options.tools, 'anthropic');
    body.temperature = temperature;
    body.stream = stream;
    return options.extra ? Object.assign(body, options.extra) : body;
  }
  if (endpoint === 'responses') {
    const body: ExchangeRequest = { model };
    if (system !== undefined) body.instructions = system;
    body.input = renderResponsesInput(turns);
    if (options.computerUse) body.tools = COMPUTER_TOOL_OPENAI;
    else if (options.tools) body.tools = renderTools(options.tools, 'responses');
    body.max_output_tokens = maxTokens;
    body.temperature = temperature;
    body.stream = stream;
    return options.extra ? Object.assign(body, options.extra) : body;
  }
  const messages: Message[] = [];
  if (system !== undefined) messages.push({ role: 'system', content: system });
  renderOpenAi(turns, messages);
  const body: ExchangeRequest = { model, messages };
  if (options.computerUse) body.tools = COMPUTER_TOOL_OPENAI;
  else if (options.tools) body.tools = renderTools(options.tools, 'openai');
  body.max_tokens = maxTokens;
  body.temperature = temperature;
  body.stream = stream;
  return options.extra ? Object.assign(body, options.extra) : body;
}

function renderOpenAi(turns: readonly Turn[], messages: Message[]): void {
  for (const turn of turns) {
    switch (turn.kind) {
      case 'user':
        messages.push({
          role: 'user',
          content: turn.image
            ? [
                { type: 'text', text: turn.text },
                { type: 'image_url', image_url: { url: turn.image } },
              ]
            : turn.text,
        });
        break;
      case 'assistant':
        messages.push({ role: 'assistant', content: turn.text });
        break;
      case 'tool_call':
        messages.push({
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: turn.id,
              type: 'function',
              function: { name: turn.name, arguments: JSON.stringify(turn.input) },
            },
          ],
        });
        break;
      case 'tool_result':
        messages.push({ role: 'tool', tool_call_id: turn.id, content: turn.text });
        if (turn.screenshot) {
          messages.push({
            role: 'user',
            content: [{ type: 'image_url', image_url: { url: turn.screenshot } }],
          });
        }
        break;
    }
  }
}

function renderAnthropic(turns: readonly Turn[]): Message[] {
  const messages: Message[] = [];
  for (const turn of turns) {
    switch (turn.kind) {
      case 'user':
        messages.push({
          role: 'user',
          content: turn.image
            ? [imagePart(turn.image), { type: 'text', text: turn.text }]
            : turn.text,
        });
        break;
      case 'assistant':
        messages.push({ role: 'assistant', content: turn.text });
        break;
      case 'tool_call':
        messages.push({
          role: 'assistant',
          content: [{ type: 'tool_use', id: turn.id, name: turn.name, input: turn.input }],
        });
        break;
      case 'tool_result': {
        const content: ContentPart[] = [{ type: 'text', text: turn.text }];
        if (turn.screenshot) content.push(imagePart(turn.screenshot));
        messages.push({
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: turn.id, content }],
        });
        break;
      }
    }
  }
  return messages;
}

function renderResponsesInput(turns: readonly Turn[]): unknown[] {
  const items: unknown[] = [];
  for (const turn of turns) {
    switch (turn.kind) {
      case 'user':
        items.push({
          role: 'user',
          content: turn.image
            ? [
                { type: 'input_text', text: turn.text },
                { type: 'input_image', image_url: turn.image },
              ]
            : turn.text,
        });
        break;
      case 'assistant':
        items.push({ role: 'assistant', content: turn.text });
        break;
      case 'tool_call':
        items.push({
          type: 'function_call',
          call_id: turn.id,
          name: turn.name,
          arguments: JSON.stringify(turn.input),
        });
        break;
      case 'tool_result':
        items.push({ type: 'function_call_output', call_id: turn.id, output: turn.text });
        if (turn.screenshot) {
          items.push({
            role: 'user',
            content: [{ type: 'input_image', image_url: turn.screenshot }],
          });
        }
        break;
    }
  }
  return items;
}

function imagePart(image: string): ContentPart {
  if (image.startsWith('data:')) {
    const comma = image.indexOf(',');
    const mediaType = image.slice(5, image.indexOf(';'));
    return {
      type: 'image',
      source: { type: 'base64', media_type: mediaType, data: image.slice(comma + 1) },
    };
  }
  return { type: 'image', source: { type: 'url', url: image } };
}

/** Characters of prompt text in the turns (for input-token estimates). */
export function turnCharacters(turns: readonly Turn[], system?: string): number {
  let characters = system?.length ?? 0;
  for (const turn of turns) {
    if (turn.kind === 'user' || turn.kind === 'assistant' || turn.kind === 'tool_result') {
      characters += turn.text.length;
      // An image costs roughly a thousand tokens whatever its URL length.
      if (
        (turn.kind === 'user' && turn.image) ||
        (turn.kind === 'tool_result' && turn.screenshot)
      ) {
        characters += 3600;
      }
    } else {
      characters += 40;
    }
  }
  return characters;
}
