import type { AccountRecord, Exchange } from '../log/exchange.js';
import {
  accountsBatchId,
  type BusConsumer,
  type BusMessage,
  batchId,
  type ConsumerStart,
  type ExchangeBus,
  type PublisherStamp,
  type PublishResult,
  watermarkId,
} from './exchange-bus.js';

export interface InProcessExchangeBusOptions {
  /** Batches kept; past it the oldest go (and their ids leave the duplicate set). Default 1,000,000. */
  maxMessages?: number;
}

/**
 * The exchange bus inside one process (`--workers N`, tests): an array of batches with a
 * duplicate set of batch ids and named ack floors. Nothing survives the process.
 */
export function createInProcessExchangeBus({
  maxMessages = 1_000_000,
}: InProcessExchangeBusOptions = {}): ExchangeBus {
  const records: {
    id: string;
    exchanges: Exchange[];
    accounts?: AccountRecord[];
    stamp?: PublisherStamp;
  }[] = [];
  /** Sequence of records[0]. */
  let firstSequence = 1;
  const sequenceOfId = new Map<string, number>();
  const ackFloors = new Map<string, number>();
  let wake: Array<() => void> = [];
  let closed = false;

  const lastSequence = () => firstSequence + records.length - 1;
  const notify = () => {
    const waiting = wake;
    wake = [];
    for (const resolve of waiting) resolve();
  };

  const append = (
    id: string,
    message: { exchanges: Exchange[]; accounts?: AccountRecord[]; stamp?: PublisherStamp },
  ): PublishResult => {
    const known = sequenceOfId.get(id);
    if (known !== undefined) return { sequence: known, duplicate: true };
    records.push({ id, ...message });
    const sequence = lastSequence();
    sequenceOfId.set(id, sequence);
    while (records.length > maxMessages) {
      const dropped = records.shift() as { id: string };
      sequenceOfId.delete(dropped.id);
      firstSequence += 1;
    }
    notify();
    return { sequence, duplicate: false };
  };

  return {
    version: 4,
    publish: async (exchanges, stamp) =>
      append(batchId(exchanges), {
        exchanges: [...exchanges],
        ...(stamp ? { stamp: { ...stamp } } : {}),
      }),
    publishWatermark: async (stamp, heartbeat) =>
      append(watermarkId(stamp.publisher, heartbeat), { exchanges: [], stamp: { ...stamp } }),
    publishAccounts: async (accounts) =>
      append(accountsBatchId(accounts), { exchanges: [], accounts: [...accounts] }),
    async info() {
      const empty = records.length === 0;
      return {
        firstSequence: empty ? 0 : firstSequence,
        lastSequence: empty && firstSequence === 1 ? 0 : lastSequence(),
        messages: records.length,
      };
    },
    async consumer(name: string, start: ConsumerStart): Promise<BusConsumer> {
      let position = start === 'resume' ? (ackFloors.get(name) ?? 0) + 1 : start;
      let open = true;
      const messageAt = (sequence: number): BusMessage => ({
        sequence,
        ...(records[sequence - firstSequence] as {
          exchanges: Exchange[];
          accounts?: AccountRecord[];
          stamp?: PublisherStamp;
        }),
        ack: async () => {
          if (sequence > (ackFloors.get(name) ?? 0)) ackFloors.set(name, sequence);
        },
      });
      const take = (max: number): BusMessage[] => {
        position = Math.max(position, firstSequence);
        const messages: BusMessage[] = [];
        while (messages.length < max && position <= lastSequence()) {
          messages.push(messageAt(position));
          position += 1;
        }
        return messages;
      };
      return {
        name,
        async next(max, waitMs) {
          const ready = take(max);
          if (ready.length > 0 || !open || closed) return ready;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, waitMs);
            wake.push(() => {
              clearTimeout(timer);
              resolve();
            });
          });
          return open ? take(max) : [];
        },
        async close() {
          open = false;
        },
      };
    },
    async close() {
      closed = true;
      notify();
    },
  };
}
