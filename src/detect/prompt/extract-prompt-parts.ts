import type { Endpoint, ExchangeRequest } from '../../log/exchange.js';
import { isRecord } from '../../shared/is-record.js';

/** The parts of a request the analysers read, whatever the API shape. */
export interface PromptParts {
  /** Text of every user turn, joined by a blank line. */
  userText: string;
  /**
   * The non-empty user turns `userText` joins, in `userChunks[0..userChunkCount)`: a reused
   * array, valid until the next call.
   */
  userChunks: readonly string[];
  userChunkCount: number;
  /** Text of the last user turn (language is guessed from it). */
  lastUserText: string;
  /** System / developer prompt text (OpenAI `system`/`developer` messages, `instructions`, Anthropic `system`). */
  systemText: string;
  userTurns: number;
  hasImage: boolean;
  /** Tool results or tool calls in the conversation (an agent loop in progress). */
  hasToolTraffic: boolean;
  /** A computer-use tool is defined or a computer call is answered. */
  hasComputerUse: boolean;
  tools: readonly unknown[];
}

const IMAGE_PART_TYPES = new Set(['image_url', 'image', 'input_image']);
const TOOL_PART_TYPES = new Set([
  'tool_use',
  'tool_result',
  'server_tool_use',
  'function_call',
  'function_call_output',
  'mcp_tool_use',
  'mcp_tool_result',
]);
const COMPUTER_PART_TYPES = new Set(['computer_call', 'computer_call_output']);

/**
 * Mutable accumulator, so one pass over the request needs no intermediate arrays. One instance
 * is reused for every request (reset first): chunk slots are overwritten, not reallocated.
 */
class PartsCollector {
  userChunks: string[] = [];
  userChunkCount = 0;
  lastUserText = '';
  systemChunks: string[] = [];
  systemChunkCount = 0;
  userTurns = 0;
  hasImage = false;
  hasToolTraffic = false;
  hasComputerUse = false;

  reset(): void {
    // Drop the previous request's texts so that they are not kept alive by the reused slots.
    for (let index = 0; index < this.userChunkCount; index++) this.userChunks[index] = '';
    for (let index = 0; index < this.systemChunkCount; index++) this.systemChunks[index] = '';
    this.userChunkCount = 0;
    this.systemChunkCount = 0;
    this.lastUserText = '';
    this.userTurns = 0;
    this.hasImage = false;
    this.hasToolTraffic = false;
    this.hasComputerUse = false;
  }

  /** Text of a content value (string or parts); flags images and tool traffic on the way. */
  contentText(content: unknown): string {
    if (typeof content === 'string') return content;
    if (!Array.isArray(content)) return '';
    let text = '';
    for (const part of content) {
      if (typeof part === 'string') {
        text = text === '' ? part : `${text}\n${part}`;
        continue;
      }
      if (!isRecord(part)) continue;
      const type = part.type;
      if (typeof type === 'string') {
        if (IMAGE_PART_TYPES.has(type)) {
          this.hasImage = true;
          continue;
        }
        if (TOOL_PART_TYPES.has(type)) {
          this.hasToolTraffic = true;
          // A tool result may carry a screenshot; its text is tool output, not user writing.
          if (Array.isArray(part.content)) this.contentText(part.content);
          continue;
        }
        if (COMPUTER_PART_TYPES.has(type)) {
          this.hasComputerUse = true;
          this.hasToolTraffic = true;
          continue;
        }
      }
      const partText = part.text;
      if (typeof partText === 'string') text = text === '' ? partText : `${text}\n${partText}`;
    }
    return text;
  }

  addUser(content: unknown): void {
    const text = this.contentText(content);
    this.userTurns += 1;
    this.lastUserText = text;
    if (text !== '') this.userChunks[this.userChunkCount++] = text;
  }

  addSystem(content: unknown): void {
    const text = this.contentText(content);
    if (text !== '') this.systemChunks[this.systemChunkCount++] = text;
  }

  addItem(item: unknown): void {
    if (typeof item === 'string') {
      this.addUser(item);
      return;
    }
    if (!isRecord(item)) return;
    const role = item.role;
    if (role === 'user') this.addUser(item.content);
    else if (role === 'system' || role === 'developer') this.addSystem(item.content);
    else if (role === 'tool' || role === 'function') this.hasToolTraffic = true;
    else if (role === 'assistant') {
      if (Array.isArray(item.tool_calls) && item.tool_calls.length > 0) this.hasToolTraffic = true;
      if (Array.isArray(item.content)) this.contentText(item.content);
    } else if (typeof item.type === 'string' && role === undefined) {
      // Responses API items without a role: function_call_output, computer_call_output, …
      if (COMPUTER_PART_TYPES.has(item.type)) {
        this.hasComputerUse = true;
        this.hasToolTraffic = true;
      } else if (TOOL_PART_TYPES.has(item.type)) this.hasToolTraffic = true;
    }
  }
}

function isComputerTool(tool: unknown): boolean {
  if (!isRecord(tool)) return false;
  const type = tool.type;
  if (typeof type === 'string' && type.startsWith('computer')) return true;
  const name = tool.name;
  return typeof name === 'string' && name === 'computer';
}

/** The first `count` chunks joined by a blank line; one chunk is returned as is (`join` copies). */
function joinChunks(chunks: readonly string[], count: number): string {
  if (count === 0) return '';
  if (count === 1) return chunks[0]!;
  return chunks.slice(0, count).join('\n\n');
}

const collector = new PartsCollector();

/**
 * Extracts user text, system text and structural flags from an OpenAI (chat, responses, legacy
 * completions) or Anthropic (messages) request body. Missing or odd-typed fields count as empty.
 */
export function extractPromptParts(request: ExchangeRequest, endpoint: Endpoint): PromptParts {
  collector.reset();
  const body: Record<string, unknown> = isRecord(request) ? request : {};
  if (body.system !== undefined) collector.addSystem(body.system);
  if (typeof body.instructions === 'string') collector.addSystem(body.instructions);
  const messages = body.messages;
  if (Array.isArray(messages)) for (const message of messages) collector.addItem(message);
  const input = body.input;
  if (typeof input === 'string') collector.addUser(input);
  else if (Array.isArray(input)) for (const item of input) collector.addItem(item);
  const prompt = body.prompt;
  if (endpoint === 'completions' || prompt !== undefined) {
    if (typeof prompt === 'string') collector.addUser(prompt);
    else if (Array.isArray(prompt)) {
      for (const item of prompt) if (typeof item === 'string') collector.addUser(item);
    }
  }
  const tools = Array.isArray(body.tools) ? body.tools : [];
  let hasComputerUse = collector.hasComputerUse;
  if (!hasComputerUse) for (const tool of tools) if (isComputerTool(tool)) hasComputerUse = true;
  return {
    userText: joinChunks(collector.userChunks, collector.userChunkCount),
    userChunks: collector.userChunks,
    userChunkCount: collector.userChunkCount,
    lastUserText: collector.lastUserText,
    systemText: joinChunks(collector.systemChunks, collector.systemChunkCount),
    userTurns: collector.userTurns,
    hasImage: collector.hasImage,
    hasToolTraffic: collector.hasToolTraffic,
    hasComputerUse,
    tools,
  };
}
