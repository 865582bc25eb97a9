import type { UpstreamResponse } from '../upstream-client.js';

/**
 * The upstream's answer, unchanged, telling when its first body chunk arrives (time to first
 * token) and when it is read or given up (the end of the upstream's time). After the first
 * chunk the reads go straight to the upstream's iterator: nothing is added per chunk.
 */
export function timeUpstreamResponse(
  response: UpstreamResponse,
  { onFirstChunk, onEnd }: { onFirstChunk: () => void; onEnd: () => void },
): UpstreamResponse {
  const iterable = response.body;
  return {
    status: response.status,
    headers: response.headers,
    body: {
      [Symbol.asyncIterator]() {
        const iterator = iterable[Symbol.asyncIterator]();
        let first = true;
        return {
          next() {
            if (!first) return iterator.next();
            first = false;
            return iterator.next().then((next) => {
              onFirstChunk();
              return next;
            });
          },
        };
      },
    },
    text: () =>
      response.text().then((text) => {
        onEnd();
        return text;
      }),
    cancel() {
      onEnd();
      response.cancel();
    },
    ...(response.drain ? { drain: () => response.drain?.() } : {}),
  };
}
