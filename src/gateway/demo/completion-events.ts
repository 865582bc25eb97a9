import { randomUUID } from 'node:crypto';

/** What a legacy completion answer is built from (the demo's answer plan). */
export interface CompletionPlan {
  modelName: string;
  tokens: string[];
  stopReason: 'length' | 'stop';
  inputTokens: number;
  outputTokens: number;
}

const frame = (data: unknown) =>
  `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

/**
 * The OpenAI legacy completions answer (`text_completion`), whole and as the SSE frames a
 * streamed answer sends (one per token, then `finish_reason`, then `[DONE]`).
 */
export function completionEvents(plan: CompletionPlan): { final: unknown; frames: string[] } {
  const id = `cmpl-${randomUUID()}`;
  const created = Math.floor(Date.now() / 1000);
  const base = { id, object: 'text_completion', created, model: plan.modelName };
  const usage = {
    prompt_tokens: plan.inputTokens,
    completion_tokens: plan.outputTokens,
    total_tokens: plan.inputTokens + plan.outputTokens,
  };
  const final = {
    ...base,
    choices: [
      { index: 0, text: plan.tokens.join(''), logprobs: null, finish_reason: plan.stopReason },
    ],
    usage,
  };
  const frames = plan.tokens.map((piece) =>
    frame({ ...base, choices: [{ index: 0, text: piece, logprobs: null, finish_reason: null }] }),
  );
  frames.push(
    frame({
      ...base,
      choices: [{ index: 0, text: '', logprobs: null, finish_reason: plan.stopReason }],
      usage,
    }),
  );
  frames.push(frame('[DONE]'));
  return { final, frames };
}
