// Over ~400 lines because one fake upstream speaks all three wire dialects, and its
// event builders (chatEvents, messageEvents, responseEvents) share one answer plan; they are the
// next to move into a file per dialect, like the stream shaper's stages.
import { randomUUID } from 'node:crypto';
import {
  createSeededRandom,
  type LanguageModel,
  loadDefaultLanguageModel,
} from '../../language-model/index.js';
import { isRecord } from '../../shared/is-record.js';
import { requestText } from '../buffered-response.js';
import type { FetchHandler } from '../node/serve-gateway.js';
import { isBatchPath } from '../routes/exchange-routes.js';
import { completionEvents } from './completion-events.js';
import { createDemoBatches } from './create-demo-batches.js';
import { demoCountTokens, demoEmbeddings } from './demo-measurements.js';

export const DEMO_MODEL_ID = 'distillguard-demo-ngram';

export interface DemoUpstreamOptions {
  model?: LanguageModel;
  /** Pause between streamed tokens, to make streams visible in a demo. */
  tokenDelayMs?: number;
  /** Default output length when the request sets none. */
  defaultMaxTokens?: number;
  /** Upper bound on any output, whatever the request asks for. */
  maxTokensCap?: number;
  seed?: number;
}

/** The text of the last user turn (string or text parts), or the Responses `input`. */
function promptOf(body: Record<string, unknown>): string {
  if (typeof body.input === 'string') return body.input;
  if (typeof body.prompt === 'string') return body.prompt;
  const messages = Array.isArray(body.messages)
    ? body.messages
    : Array.isArray(body.input)
      ? body.input
      : [];
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index];
    if (!isRecord(message) || message.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    if (Array.isArray(message.content)) {
      return message.content
        .map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
        .join(' ');
    }
  }
  return '';
}

const sse = (event: string | null, data: unknown) =>
  `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A DEMO upstream, OpenAI- and Anthropic-compatible, whose answers are real token streams from the
 * project's small n-gram language model (not a real assistant: the text is plausible English,
 * not an answer). It serves `/v1/chat/completions`, `/v1/responses`, `/v1/messages`,
 * `/v1/completions` and `/v1/models`, streaming and not, `/v1/embeddings` and
 * `/v1/messages/count_tokens`, and the files and batch APIs (run at once, in memory); it emits a reasoning trace when the request asks for one
 * (`reasoning_effort`, `reasoning`, `thinking`) and a tool call when `tool_choice` requires one.
 *
 * @example
 * const served = await serveFetchHandler(createDemoUpstream(), { port: 8081 });
 */
export function createDemoUpstream({
  model = loadDefaultLanguageModel(),
  tokenDelayMs = 0,
  defaultMaxTokens = 48,
  maxTokensCap = 2048,
  seed = 7,
}: DemoUpstreamOptions = {}): FetchHandler {
  const random = createSeededRandom(seed);
  // The n-gram model often ends its text right after a question; later rounds continue from
  // what was generated so a demo answer has the length the client asked for.
  const generate = (prompt: string, maxTokens: number): string[] => {
    const pieces: string[] = [];
    let context = prompt;
    for (let round = 0; round < 6 && pieces.length < maxTokens; round += 1) {
      const ids = [
        ...model.generate({ prompt: context, maxTokens: maxTokens - pieces.length, random }),
      ];
      pieces.push(...ids.map((id) => model.decodeToken(id)));
      context = ids.length > 0 ? pieces.slice(-8).join('') : 'The';
    }
    return pieces;
  };

  const handler: FetchHandler = {
    async fetch(request, context) {
      const path = new URL(request.url).pathname;
      if (isBatchPath(path)) {
        const bytes = context.body ?? Buffer.from(await request.arrayBuffer());
        return (await batches.handle(request, path, bytes)) ?? notFound();
      }
      if (request.method === 'GET' && path === '/v1/models') {
        return Response.json({
          object: 'list',
          data: [{ id: DEMO_MODEL_ID, object: 'model', created: 0, owned_by: 'distillguard-demo' }],
        });
      }
      if (request.method !== 'POST')
        return Response.json(
          {
            error: { message: 'not found', type: 'invalid_request_error', param: null, code: null },
          },
          { status: 404 },
        );
      let body: Record<string, unknown>;
      try {
        const value: unknown = JSON.parse(await requestText(request, context.body));
        body = isRecord(value) ? value : {};
      } catch {
        return Response.json(
          {
            error: {
              message: 'malformed JSON',
              type: 'invalid_request_error',
              param: null,
              code: null,
            },
          },
          { status: 400 },
        );
      }
      const encode = (text: string) => model.encode(text);
      if (path === '/v1/embeddings')
        return Response.json(
          demoEmbeddings(body, encode, typeof body.model === 'string' ? body.model : DEMO_MODEL_ID),
        );
      if (path === '/v1/messages/count_tokens') return Response.json(demoCountTokens(body, encode));
      const limit = [body.max_tokens, body.max_completion_tokens, body.max_output_tokens].find(
        (value): value is number => typeof value === 'number',
      );
      const maxTokens = Math.max(1, Math.min(limit ?? defaultMaxTokens, maxTokensCap));
      const prompt = promptOf(body);
      const wantsReasoning =
        body.reasoning_effort !== undefined ||
        isRecord(body.reasoning) ||
        (isRecord(body.thinking) && body.thinking.type === 'enabled');
      const reasoningTokens = wantsReasoning
        ? generate(`Let me think step by step. ${prompt}`, Math.min(24, Math.floor(maxTokens / 2)))
        : [];
      const tokens = generate(prompt, Math.max(1, maxTokens - reasoningTokens.length));
      const stopReason: Plan['stopReason'] =
        tokens.length + reasoningTokens.length >= maxTokens ? 'length' : 'stop';
      const tools = Array.isArray(body.tools) ? body.tools : [];
      const toolName =
        tools.length > 0 &&
        body.tool_choice !== undefined &&
        body.tool_choice !== 'none' &&
        body.tool_choice !== 'auto'
          ? toolNameOf(tools[0])
          : null;
      const modelName = typeof body.model === 'string' ? body.model : DEMO_MODEL_ID;
      const inputTokens = model.encode(prompt).length;
      const outputTokens = tokens.length + reasoningTokens.length;
      const stream = body.stream === true;
      const headers = { 'x-demo-upstream': 'distillguard n-gram demo model' };
      const plan: Plan = {
        modelName,
        tokens,
        reasoningTokens,
        stopReason,
        toolName,
        inputTokens,
        outputTokens,
      };

      const events =
        path === '/v1/chat/completions'
          ? chatEvents(plan)
          : path === '/v1/messages'
            ? messageEvents(plan)
            : path === '/v1/responses'
              ? responseEvents(plan)
              : path === '/v1/completions'
                ? completionEvents(plan)
                : null;
      if (events === null)
        return Response.json(
          {
            error: { message: 'not found', type: 'invalid_request_error', param: null, code: null },
          },
          { status: 404 },
        );
      if (!stream) return Response.json(events.final, { headers });
      const encoder = new TextEncoder();
      const frames = events.frames;
      let index = 0;
      return new Response(
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (index >= frames.length) {
              controller.close();
              return;
            }
            if (tokenDelayMs > 0 && index > 0) await sleep(tokenDelayMs);
            controller.enqueue(encoder.encode(frames[index] ?? ''));
            index += 1;
          },
        }),
        {
          headers: { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
        },
      );
    },
  };
  // Batch lines run through the demo's own routes, answered whole.
  const batches = createDemoBatches(async (linePath, lineBody) => {
    const response = await handler.fetch(
      new Request(`http://demo${linePath}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(isRecord(lineBody) ? { ...lineBody, stream: false } : lineBody),
      }),
      { remoteAddress: '127.0.0.1' },
    );
    return { status: response.status, body: await response.json() };
  });
  return handler;
}

const notFound = () =>
  Response.json(
    { error: { message: 'not found', type: 'invalid_request_error', param: null, code: null } },
    { status: 404 },
  );

interface Plan {
  modelName: string;
  tokens: string[];
  reasoningTokens: string[];
  stopReason: 'length' | 'stop';
  toolName: string | null;
  inputTokens: number;
  outputTokens: number;
}

function toolNameOf(tool: unknown): string {
  if (!isRecord(tool)) return 'tool';
  if (typeof tool.name === 'string') return tool.name;
  if (isRecord(tool.function) && typeof tool.function.name === 'string') return tool.function.name;
  return 'tool';
}

function chatEvents(plan: Plan): { final: unknown; frames: string[] } {
  const id = `chatcmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const base = { id, object: 'chat.completion.chunk', created, model: plan.modelName };
  const text = plan.tokens.join('');
  const reasoning = plan.reasoningTokens.join('');
  const toolCalls = plan.toolName
    ? [
        {
          id: `call_${randomUUID().slice(0, 8)}`,
          type: 'function',
          function: { name: plan.toolName, arguments: JSON.stringify({ query: text.trim() }) },
        },
      ]
    : undefined;
  const finish = toolCalls ? 'tool_calls' : plan.stopReason;
  const usage = {
    prompt_tokens: plan.inputTokens,
    completion_tokens: plan.outputTokens,
    total_tokens: plan.inputTokens + plan.outputTokens,
    completion_tokens_details: { reasoning_tokens: plan.reasoningTokens.length },
  };
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: toolCalls ? null : text,
    refusal: null,
  };
  if (reasoning) message.reasoning_content = reasoning;
  if (toolCalls) message.tool_calls = toolCalls;
  const final = {
    id,
    object: 'chat.completion',
    created,
    model: plan.modelName,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
    usage,
  };
  const frames = [
    sse(null, {
      ...base,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
    }),
  ];
  for (const piece of plan.reasoningTokens)
    frames.push(
      sse(null, {
        ...base,
        choices: [{ index: 0, delta: { reasoning_content: piece }, finish_reason: null }],
      }),
    );
  if (toolCalls) {
    frames.push(
      sse(null, {
        ...base,
        choices: [
          {
            index: 0,
            delta: { tool_calls: toolCalls.map((call, index) => ({ index, ...call })) },
            finish_reason: null,
          },
        ],
      }),
    );
  } else {
    for (const piece of plan.tokens)
      frames.push(
        sse(null, {
          ...base,
          choices: [{ index: 0, delta: { content: piece }, finish_reason: null }],
        }),
      );
  }
  frames.push(
    sse(null, { ...base, choices: [{ index: 0, delta: {}, finish_reason: finish }], usage }),
  );
  frames.push(sse(null, '[DONE]'));
  return { final, frames };
}

function messageEvents(plan: Plan): { final: unknown; frames: string[] } {
  const id = `msg_${randomUUID().replace(/-/g, '')}`;
  const text = plan.tokens.join('');
  const stopReason = plan.toolName
    ? 'tool_use'
    : plan.stopReason === 'length'
      ? 'max_tokens'
      : 'end_turn';
  const content: Record<string, unknown>[] = [];
  if (plan.reasoningTokens.length > 0)
    content.push({ type: 'thinking', thinking: plan.reasoningTokens.join(''), signature: 'demo' });
  if (plan.toolName)
    content.push({
      type: 'tool_use',
      id: `toolu_${randomUUID().slice(0, 8)}`,
      name: plan.toolName,
      input: { query: text.trim() },
    });
  else content.push({ type: 'text', text });
  const usage = { input_tokens: plan.inputTokens, output_tokens: plan.outputTokens };
  const final = {
    id,
    type: 'message',
    role: 'assistant',
    model: plan.modelName,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage,
  };
  const frames = [
    sse('message_start', {
      type: 'message_start',
      message: {
        ...final,
        content: [],
        stop_reason: null,
        usage: { input_tokens: plan.inputTokens, output_tokens: 0 },
      },
    }),
  ];
  content.forEach((block, index) => {
    if (block.type === 'thinking') {
      frames.push(
        sse('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'thinking', thinking: '', signature: '' },
        }),
      );
      for (const piece of plan.reasoningTokens)
        frames.push(
          sse('content_block_delta', {
            type: 'content_block_delta',
            index,
            delta: { type: 'thinking_delta', thinking: piece },
          }),
        );
      frames.push(
        sse('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'signature_delta', signature: 'demo' },
        }),
      );
    } else if (block.type === 'tool_use') {
      frames.push(
        sse('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { ...block, input: {} },
        }),
      );
      frames.push(
        sse('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: JSON.stringify(block.input) },
        }),
      );
    } else {
      frames.push(
        sse('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'text', text: '' },
        }),
      );
      for (const piece of plan.tokens)
        frames.push(
          sse('content_block_delta', {
            type: 'content_block_delta',
            index,
            delta: { type: 'text_delta', text: piece },
          }),
        );
    }
    frames.push(sse('content_block_stop', { type: 'content_block_stop', index }));
  });
  frames.push(
    sse('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: plan.outputTokens },
    }),
  );
  frames.push(sse('message_stop', { type: 'message_stop' }));
  return { final, frames };
}

function responseEvents(plan: Plan): { final: unknown; frames: string[] } {
  const id = `resp_${randomUUID().replace(/-/g, '')}`;
  const text = plan.tokens.join('');
  const output: Record<string, unknown>[] = [];
  if (plan.reasoningTokens.length > 0) {
    output.push({
      id: `rs_${id}`,
      type: 'reasoning',
      summary: [],
      content: [{ type: 'reasoning_text', text: plan.reasoningTokens.join('') }],
    });
  }
  const messageItem = {
    id: `msg_${id}`,
    type: 'message',
    status: 'completed',
    role: 'assistant',
    content: [{ type: 'output_text', text, annotations: [] }],
  };
  output.push(messageItem);
  const usage = {
    input_tokens: plan.inputTokens,
    output_tokens: plan.outputTokens,
    total_tokens: plan.inputTokens + plan.outputTokens,
    output_tokens_details: { reasoning_tokens: plan.reasoningTokens.length },
  };
  const status = plan.stopReason === 'length' ? 'incomplete' : 'completed';
  const final = {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status,
    model: plan.modelName,
    output,
    usage,
    ...(status === 'incomplete' ? { incomplete_details: { reason: 'max_output_tokens' } } : {}),
  };
  let sequence = 0;
  const frame = (type: string, data: Record<string, unknown>) =>
    sse(type, { type, sequence_number: sequence++, ...data });
  const frames = [
    frame('response.created', { response: { ...final, status: 'in_progress', output: [] } }),
  ];
  const messageIndex = output.length - 1;
  if (plan.reasoningTokens.length > 0) {
    for (const piece of plan.reasoningTokens)
      frames.push(
        frame('response.reasoning_text.delta', {
          item_id: `rs_${id}`,
          output_index: 0,
          content_index: 0,
          delta: piece,
        }),
      );
  }
  frames.push(
    frame('response.output_item.added', {
      output_index: messageIndex,
      item: { ...messageItem, status: 'in_progress', content: [] },
    }),
    // The SDKs' stream helpers (`responses.stream`) build the message from these part events.
    frame('response.content_part.added', {
      item_id: messageItem.id,
      output_index: messageIndex,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [] },
    }),
  );
  for (const piece of plan.tokens)
    frames.push(
      frame('response.output_text.delta', {
        item_id: messageItem.id,
        output_index: messageIndex,
        content_index: 0,
        delta: piece,
        logprobs: [],
      }),
    );
  frames.push(
    frame('response.output_text.done', {
      item_id: messageItem.id,
      output_index: messageIndex,
      content_index: 0,
      text,
      logprobs: [],
    }),
    frame('response.content_part.done', {
      item_id: messageItem.id,
      output_index: messageIndex,
      content_index: 0,
      part: { type: 'output_text', text, annotations: [] },
    }),
  );
  frames.push(
    frame('response.output_item.done', { output_index: messageIndex, item: messageItem }),
  );
  frames.push(
    frame(status === 'completed' ? 'response.completed' : 'response.incomplete', {
      response: final,
    }),
  );
  return { final, frames };
}
