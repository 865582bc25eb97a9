import type { ExchangeResponse } from '../log/exchange.js';
import type { FinishExchange } from './create-exchange-tracker.js';
import type { StreamedResponse } from './gateway-reply.js';
import type { ResponseWatermark } from './gateway-watermark.js';
import type { LadderOutcome } from './ladder.js';
import type { ProxiedEndpoint } from './shape-completion.js';
import { createStreamShaper } from './stream-shaper/create-stream-shaper.js';
import type { UpstreamResponse } from './upstream-client.js';
import { upstreamFailure } from './upstream-failure.js';

/**
 * An upstream SSE answer relayed chunk by chunk through the stream shaper (token count,
 * reasoning, budget cut, watermark). The exchange is finished exactly once: at the stream's end,
 * at a budget cut, on an upstream failure (the shaper writes a dialect-correct error event), or
 * when the adapter cancels because the client went away.
 */
export function streamReply({
  upstreamResponse,
  endpoint,
  outcome,
  headers,
  charge,
  finish,
  marking,
}: {
  upstreamResponse: UpstreamResponse;
  endpoint: ProxiedEndpoint;
  outcome: LadderOutcome;
  headers: Record<string, string>;
  charge: (response: ExchangeResponse) => void;
  finish: FinishExchange;
  marking: ResponseWatermark | null;
}): StreamedResponse {
  const shaper = createStreamShaper({
    endpoint,
    reasoning: outcome.reasoning,
    outputTokenBudget: outcome.outputTokenBudget,
    createWatermarkStage: marking?.createStage,
  });
  const iterator = upstreamResponse.body[Symbol.asyncIterator]();
  const decoder = new TextDecoder();
  let ended = false;
  const done = (reason: string, stopReason?: string) => {
    if (ended) return;
    ended = true;
    const response = shaper.response();
    if (stopReason) response.stop_reason = stopReason;
    charge(response);
    finish(200, response, reason);
  };
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] = 'no-cache';
  return {
    status: 200,
    headers,
    async read() {
      if (ended) return null;
      try {
        for (;;) {
          const next = await iterator.next();
          if (ended) return null;
          if (next.done) {
            const tail = shaper.push(`${decoder.decode()}\n\n`);
            done('ok');
            return tail || null;
          }
          const out = shaper.push(decoder.decode(next.value, { stream: true }));
          if (shaper.finished) {
            // A cut stream is abandoned; a finished one is read to its end, which keeps the
            // upstream connection alive for the next request.
            if (shaper.cut || !upstreamResponse.drain) upstreamResponse.cancel();
            else upstreamResponse.drain();
            done(shaper.cut ? 'token_budget_spent' : 'ok');
            return out || null;
          }
          if (out) return out;
        }
      } catch (error) {
        if (ended) return null;
        const failure = upstreamFailure(error);
        const tail = shaper.fail(failure.message);
        done(failure.code);
        return tail;
      }
    },
    cancel() {
      if (ended) return;
      upstreamResponse.cancel();
      done('client_aborted', 'client_aborted');
    },
  };
}
