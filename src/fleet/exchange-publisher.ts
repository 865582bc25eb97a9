import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import type { ExchangeBus, PublisherStamp } from './exchange-bus.js';

/** What the publisher did so far (for metrics and the drop policy's audit). */
export interface PublisherCounters {
  /** Records appended to the stream. */
  published: number;
  /** Records whose batch the stream already held (a retry whose first try had landed): not appended twice. */
  duplicates: number;
  /** Records sent again after a failed batch. */
  retried: number;
  /** Records given up: the oldest waiting ones when the buffer was full, the rest at close. */
  dropped: number;
  /** Records waiting or in flight now. */
  pending: number;
  /** Account records appended (a copy another gateway had published already is not counted). */
  accounts: number;
  /** Heartbeats (watermark-only messages) appended while quiet. */
  heartbeats: number;
}

export interface ExchangePublisherOptions {
  bus: ExchangeBus;
  /** Records per publish (default 256). */
  maxBatch?: number;
  /** A partial batch waits at most this long (default 50 ms). */
  flushIntervalMs?: number;
  /**
   * Records kept waiting while the bus is away (default 100,000, about 10 s of a busy gateway's
   * traffic). Past it the OLDEST waiting record is dropped and counted: the newest evidence is
   * what the detector can still act on; an old one would arrive past its reorder window anyway.
   */
  maxBuffered?: number;
  /** Backoff between tries of a failed batch: doubling from `initialMs` up to `maxMs`. */
  backoff?: { initialMs: number; maxMs: number };
  /** How long `close` keeps trying before it drops what is left (default 5 s). */
  closeTimeoutMs?: number;
  /** Injected for tests; default `setTimeout` (it keeps the process alive: retries are owed). */
  sleep?: (milliseconds: number) => Promise<void>;
  onError?: (error: unknown) => void;
  /**
   * This gateway's id on the stream (default host, pid and a random suffix): each batch and
   * heartbeat carries it with its watermark, which the detector's reorder window waits on.
   */
  publisherId?: string;
  /**
   * A heartbeat (a watermark-only message) goes after this much quiet (default 50 ms; 0: none,
   * batches still carry their watermark).
   */
  heartbeatMs?: number;
  /** Injected clock (ms) for watermarks; default `Date.now`. */
  now?: () => number;
}

/** Publishes a gateway's exchange records to the fleet stream, off the request path. */
export interface ExchangePublisher {
  /**
   * A request accepted at `startedMs` (its record's `ts`): until its record comes, the watermark
   * stays at or below it. Optional for a caller: without it the watermark is the clock, and a
   * record of a request longer than the quiet between heartbeats reaches the detector late.
   */
  begin(startedMs: number): void;
  /** O(1); never waits on the bus. Call it after the response has been sent. */
  record(exchange: Exchange): void;
  /**
   * An account record (sign-up, changed payment method) for the detector's identity evidence:
   * one message each, in order, retried like a batch; accounts are rare beside exchanges.
   */
  recordAccount(account: AccountRecord): void;
  /** Resolves when everything recorded so far is in the stream (retrying while the bus is away). */
  flush(): Promise<void>;
  /** Flushes for at most `closeTimeoutMs`, then drops (and counts) what is left. */
  close(): Promise<void>;
  counters(): PublisherCounters;
}

const defaultSleep = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/**
 * Batches exchange records after the responses and publishes them one batch (one stream message)
 * at a time. A failed batch is retried, unchanged, with backoff until it lands: the bus drops
 * copies by batch id, so a batch that landed before its ack was lost is never duplicated. Drop policy: see `maxBuffered`.
 *
 * @example
 * const publisher = createExchangePublisher({ bus: await openJetStreamExchangeBus({ connection }) });
 * publisher.record(exchange); // after the response
 */
export function createExchangePublisher({
  bus,
  maxBatch = 256,
  flushIntervalMs = 50,
  maxBuffered = 100_000,
  backoff = { initialMs: 100, maxMs: 5_000 },
  closeTimeoutMs = 5_000,
  sleep = defaultSleep,
  onError = (error) => process.stderr.write(`exchange publisher: ${String(error)}\n`),
  publisherId = `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`,
  heartbeatMs = 50,
  now = Date.now,
}: ExchangePublisherOptions): ExchangePublisher {
  let waiting: Exchange[] = [];
  let head = 0;
  let inFlight = 0;
  let pump: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closing = false;
  let giveUp = false;
  const counts = {
    published: 0,
    duplicates: 0,
    retried: 0,
    dropped: 0,
    accounts: 0,
    heartbeats: 0,
  };
  /** Start times (ms) of requests accepted and not yet recorded, with their counts. */
  const open = new Map<number, number>();
  let lastWatermarkMs = Number.NEGATIVE_INFINITY;
  let stamping = false;
  let lastSentMs = now();
  let heartbeat = 0;
  /**
   * Nothing older than this will be recorded from now on: the oldest open request's start, or
   * the clock. Taken before a batch is sliced, so a record that finishes meanwhile is either in
   * the batch or was open (and so not older than the stamp). Never decreases.
   */
  const stamp = (): PublisherStamp | undefined => {
    // Only a publisher told of requests (`begin`) knows what may still come: one fed records
    // alone (a replay, a test) stamps nothing, and the detector holds its records to the cap.
    if (!stamping) return undefined;
    let watermarkMs = now();
    for (const startedMs of open.keys()) if (startedMs < watermarkMs) watermarkMs = startedMs;
    if (watermarkMs > lastWatermarkMs) lastWatermarkMs = watermarkMs;
    return { publisher: publisherId, watermarkMs: lastWatermarkMs };
  };
  const close = (startedMs: number) => {
    const count = open.get(startedMs);
    if (count === undefined) return;
    if (count <= 1) open.delete(startedMs);
    else open.set(startedMs, count - 1);
  };
  /** Account records, published one message at a time after each other. */
  let accountChain: Promise<void> = Promise.resolve();
  const publishAccount = async (account: AccountRecord) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const result = await bus.publishAccounts([account]);
        if (!result.duplicate) counts.accounts += 1;
        return;
      } catch (error) {
        onError(error);
        if (giveUp) {
          counts.dropped += 1;
          return;
        }
        await sleep(Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 30)));
      }
    }
  };

  const waitingCount = () => waiting.length - head;

  const publishBatch = async (batch: Exchange[], batchStamp: PublisherStamp | undefined) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const result = await bus.publish(batch, batchStamp);
        if (result.duplicate) counts.duplicates += batch.length;
        else counts.published += batch.length;
        return;
      } catch (error) {
        onError(error);
        if (giveUp) {
          counts.dropped += batch.length;
          return;
        }
        counts.retried += batch.length;
        await sleep(Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 30)));
      }
    }
  };

  const run = async () => {
    while (waitingCount() > 0 && !giveUp) {
      const batchStamp = stamp();
      const batch = waiting.slice(head, head + maxBatch);
      head += batch.length;
      if (head > 4_096 && head * 2 > waiting.length) {
        waiting = waiting.slice(head);
        head = 0;
      }
      inFlight = batch.length;
      await publishBatch(batch, batchStamp);
      inFlight = 0;
      lastSentMs = now();
    }
  };

  /** A heartbeat when quiet: one try (the next tick sends a newer one), through the pump. */
  const beat = async () => {
    const beatStamp = stamp();
    if (!beatStamp) return;
    heartbeat += 1;
    try {
      const result = await bus.publishWatermark(beatStamp, heartbeat);
      if (!result.duplicate) counts.heartbeats += 1;
    } catch (error) {
      onError(error);
    }
    lastSentMs = now();
  };
  const ticker =
    heartbeatMs > 0
      ? setInterval(() => {
          if (closing || pump || waitingCount() > 0 || now() - lastSentMs < heartbeatMs) return;
          pump = beat().finally(() => {
            pump = null;
            if (waitingCount() > 0) void start();
          });
        }, heartbeatMs)
      : null;
  ticker?.unref();

  const start = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (!pump) {
      pump = run().finally(() => {
        pump = null;
      });
    }
    return pump;
  };

  const flush = async (): Promise<void> => {
    await accountChain;
    while (waitingCount() > 0 || pump) {
      if (giveUp) return;
      await start();
    }
  };

  return {
    begin(startedMs) {
      stamping = true;
      open.set(startedMs, (open.get(startedMs) ?? 0) + 1);
    },
    record(exchange) {
      close(Date.parse(exchange.ts));
      if (closing) {
        counts.dropped += 1;
        return;
      }
      waiting.push(exchange);
      if (waitingCount() > maxBuffered) {
        head += 1;
        counts.dropped += 1;
      }
      if (pump) return;
      if (waitingCount() >= maxBatch) void start();
      else if (!timer) {
        timer = setTimeout(() => void start(), flushIntervalMs);
        timer.unref();
      }
    },
    recordAccount(account) {
      if (closing) {
        counts.dropped += 1;
        return;
      }
      accountChain = accountChain.then(() => publishAccount(account));
    },
    flush,
    async close() {
      closing = true;
      if (ticker) clearInterval(ticker);
      let deadline: NodeJS.Timeout | undefined;
      const expired = new Promise<void>((resolve) => {
        deadline = setTimeout(resolve, closeTimeoutMs);
      });
      await Promise.race([flush(), expired]);
      clearTimeout(deadline);
      if (waitingCount() > 0 || pump) {
        giveUp = true;
        counts.dropped += waitingCount();
        head = waiting.length;
        await pump;
      }
      giveUp = true;
      await accountChain;
    },
    counters: () => ({ ...counts, pending: waitingCount() + inFlight }),
  };
}
