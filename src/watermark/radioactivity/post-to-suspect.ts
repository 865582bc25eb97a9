import { DistillguardError } from '../../shared/distillguard-error.js';

export interface SuspectRequestOptions {
  /** The full endpoint URL (may carry credentials). */
  endpoint: string;
  /** The endpoint as errors may show it: no user, password or query. */
  shown: string;
  /** Bearer token; never logged. */
  apiKey?: string | undefined;
  fetch: typeof globalThis.fetch;
  /** Extra tries after a transport failure (reset, refused); HTTP errors never retry. */
  retries: number;
}

/**
 * POSTs a JSON body to a suspect model's endpoint. Audit requests only read (answers or
 * log-probabilities), so a transport failure such as a reset keep-alive socket is retried with a
 * short backoff: a long audit should not die on one blip. Throws `suspect_unreachable` when every
 * try failed; an HTTP error status is returned as is, for the caller to explain.
 */
export async function postToSuspect(
  { endpoint, shown, apiKey, fetch, retries }: SuspectRequestOptions,
  body: unknown,
): Promise<Response> {
  const init: RequestInit = {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    },
    body: JSON.stringify(body),
  };
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fetch(endpoint, init);
    } catch (error) {
      if (attempt < retries) {
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        continue;
      }
      throw new DistillguardError(
        'suspect_unreachable',
        `cannot reach the suspect at ${shown}: ${(error as Error).message.replaceAll(endpoint, shown)}; check --suspect`,
        { endpoint: shown },
      );
    }
  }
}
