import type { ClusterMessage } from '../node/cluster-message.js';

/** A cluster worker's side of a scrape. */
export interface ClusterMetricsRequester {
  /** Asks the primary for the whole process's metrics (what this worker's `/metrics` answers). */
  scrape(): Promise<string>;
  /** The primary's answer to a `metrics-request`. */
  answer(id: number, text: string | null, error?: string): void;
}

/** Builds the worker side: requests go out through `send`, answers come back to `answer`. */
export function createClusterMetricsRequester(
  send: (message: ClusterMessage) => Promise<void>,
  timeoutMs = 5_000,
): ClusterMetricsRequester {
  let nextId = 1;
  const waiting = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
  return {
    scrape() {
      const id = nextId++;
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error('the cluster primary did not answer in time'));
        }, timeoutMs);
        waiting.set(id, {
          resolve: (text) => {
            clearTimeout(timer);
            resolve(text);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        send({ type: 'metrics-request', id }).catch((error: unknown) =>
          waiting.get(id)?.reject(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
    answer(id, text, error) {
      const request = waiting.get(id);
      if (!request) return;
      waiting.delete(id);
      if (text === null) request.reject(new Error(error ?? 'the cluster scrape failed'));
      else request.resolve(text);
    },
  };
}
