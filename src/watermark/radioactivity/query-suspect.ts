import { DistillguardError } from '../../shared/distillguard-error.js';
import { postToSuspect } from './post-to-suspect.js';
import { withoutCredentials } from './without-credentials.js';

export interface SuspectOptions {
  /** Base URL of an OpenAI-compatible API (`http://host/v1`) or its `/chat/completions` URL. */
  url: string;
  model?: string;
  /** Bearer token for the suspect endpoint; read from the environment by the CLI, never logged. */
  apiKey?: string;
  maxTokens?: number;
  temperature?: number;
  /** Parallel requests (default 4). */
  concurrency?: number;
  fetch?: typeof globalThis.fetch;
  /** Extra tries after a transport failure (reset, refused); default 2. HTTP errors never retry. */
  retries?: number;
  onResponse?: (done: number) => void;
}

/**
 * Prompts a closed suspect model through its OpenAI-compatible Chat Completions endpoint and
 * returns the generated texts in prompt order.
 */
export async function querySuspect(
  prompts: readonly string[],
  {
    url,
    model = 'suspect',
    apiKey,
    maxTokens = 256,
    temperature = 1,
    concurrency = 4,
    fetch = globalThis.fetch,
    retries = 2,
    onResponse,
  }: SuspectOptions,
): Promise<string[]> {
  const endpoint = url.endsWith('/chat/completions')
    ? url
    : `${url.replace(/\/+$/, '')}/chat/completions`;
  // Errors name the endpoint without the credentials a URL may carry.
  const shown = withoutCredentials(endpoint);
  const texts = new Array<string>(prompts.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < prompts.length) {
      const index = next;
      next += 1;
      texts[index] = await complete(prompts[index]!);
      done += 1;
      onResponse?.(done);
    }
  };
  const complete = async (prompt: string): Promise<string> => {
    const response = await postToSuspect(
      { endpoint, shown, apiKey, fetch, retries },
      { model, messages: [{ role: 'user', content: prompt }], max_tokens: maxTokens, temperature },
    );
    if (!response.ok) {
      throw new DistillguardError(
        'suspect_error',
        `the suspect answered HTTP ${response.status}; check --suspect, --model and the API key variable`,
        { endpoint: shown, status: response.status },
      );
    }
    const body: unknown = await response.json().catch(() => undefined);
    const content = readContent(body);
    if (content === undefined) {
      throw new DistillguardError(
        'suspect_invalid_response',
        `the suspect's answer has no choices[0].message.content; is ${shown} OpenAI-compatible?`,
        { endpoint: shown },
      );
    }
    return content;
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return texts;
}

function readContent(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const choices = (body as { choices?: unknown }).choices;
  if (!Array.isArray(choices)) return undefined;
  const first: unknown = choices[0];
  if (typeof first !== 'object' || first === null) return undefined;
  const message = (first as { message?: unknown }).message;
  if (typeof message !== 'object' || message === null) return undefined;
  const content = (message as { content?: unknown }).content;
  return typeof content === 'string' ? content : undefined;
}
