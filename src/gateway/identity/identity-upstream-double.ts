import type { FetchHandler } from '../node/serve-gateway.js';

// The upstream double of the identity tests: an OpenAI- and Anthropic-shaped upstream that
// records the headers of every request it receives and answers with its own request ids, a 429
// with Retry-After for model `busy`, and a 401 that echoes the key for `REJECTED_KEY`.

export const REJECTED_KEY = 'sk-upstream-rejects-this-one-0001';
export const MODEL = 'double-model';

export interface Seen {
  path: string;
  headers: Record<string, string>;
}

export function createUpstreamDouble(): FetchHandler & { seen: Seen[] } {
  const seen: Seen[] = [];
  return {
    seen,
    async fetch(request, context) {
      const url = new URL(request.url);
      const headers = Object.fromEntries(request.headers);
      seen.push({ path: url.pathname, headers });
      const n = seen.length;
      const key = headers['x-api-key'] ?? headers.authorization?.replace(/^Bearer /, '');
      const anthropic = url.pathname === '/v1/messages';
      const ids = anthropic ? { 'request-id': `req_up_${n}` } : { 'x-request-id': `up_${n}` };
      if (key === REJECTED_KEY)
        return Response.json(
          anthropic
            ? {
                type: 'error',
                error: { type: 'authentication_error', message: `invalid x-api-key ${key}` },
              }
            : {
                error: {
                  message: `Incorrect API key provided: ${key}`,
                  type: 'invalid_request_error',
                  param: null,
                  code: 'invalid_api_key',
                },
              },
          { status: 401, headers: ids },
        );
      if (url.pathname === '/v1/models')
        return Response.json({ object: 'list', data: [{ id: MODEL, object: 'model' }] });
      // The node adapter passes the body it read in the context, not in the Request.
      const body = JSON.parse(context.body?.toString() ?? '{}') as {
        model?: string;
        stream?: boolean;
      };
      if (body.model === 'busy')
        return Response.json(
          { error: { message: 'Slow down.', type: 'rate_limit_error', param: null, code: null } },
          { status: 429, headers: { ...ids, 'retry-after': '7', 'retry-after-ms': '7000' } },
        );
      if (anthropic)
        return Response.json(
          {
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            model: MODEL,
            content: [{ type: 'text', text: 'hello' }],
            stop_reason: 'end_turn',
            stop_sequence: null,
            usage: { input_tokens: 3, output_tokens: 1 },
          },
          { headers: ids },
        );
      const chunk = (delta: object, finish: string | null) => ({
        id: 'chatcmpl_1',
        object: 'chat.completion.chunk',
        created: 1,
        model: MODEL,
        choices: [{ index: 0, delta, finish_reason: finish }],
      });
      if (body.stream)
        return new Response(
          `data: ${JSON.stringify(chunk({ role: 'assistant', content: 'hello' }, null))}\n\ndata: ${JSON.stringify(chunk({}, 'stop'))}\n\ndata: [DONE]\n\n`,
          { headers: { ...ids, 'content-type': 'text/event-stream' } },
        );
      return Response.json(
        {
          id: 'chatcmpl_1',
          object: 'chat.completion',
          created: 1,
          model: MODEL,
          choices: [
            { index: 0, message: { role: 'assistant', content: 'hello' }, finish_reason: 'stop' },
          ],
          usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
        },
        { headers: ids },
      );
    },
  };
}
