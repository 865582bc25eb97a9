import {
  AckPolicy,
  DeliverPolicy,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
  StorageType,
} from '@nats-io/jetstream';
import { headers, type MsgHdrs, type NatsConnection } from '@nats-io/transport-node';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import { serialiseExchange } from '../log/serialise-exchange.js';
import {
  accountsBatchId,
  type BusConsumer,
  type BusMessage,
  batchId,
  type ConsumerStart,
  type ExchangeBus,
  type PublisherStamp,
  watermarkId,
} from './exchange-bus.js';

export interface JetStreamExchangeBusOptions {
  /** A connection from `connectNats` (it is not closed by the bus). */
  connection: NatsConnection;
  /** Default `DISTILLGUARD_EXCHANGES`. */
  stream?: string;
  /** Default `distillguard.exchanges`. */
  subject?: string;
  /** `file` (default: survives a NATS restart) or `memory` (tests). */
  storage?: 'file' | 'memory';
  /**
   * How long the stream remembers a batch id to drop a re-published copy (default 30 min). It
   * must exceed the longest time a gateway may hold and retry a batch (`Nats-Msg-Id`).
   */
  duplicateWindowMs?: number;
}

const NANOS_PER_MS = 1_000_000;
/** Bytes a consumer asks for per pull (see `consume` below). */
const PULL_BYTES = 16 * 2 ** 20;
const encoder = new TextEncoder();
const PUBLISHER_HEADER = 'Distillguard-Publisher';
const WATERMARK_HEADER = 'Distillguard-Watermark';

async function consumerAckFloor(
  manager: JetStreamManager,
  stream: string,
  name: string,
): Promise<number> {
  try {
    return (await manager.consumers.info(stream, name)).ack_floor.stream_seq;
  } catch {
    return 0;
  }
}

/**
 * The exchange bus on NATS JetStream: one stream, one message per batch (a JSON array of
 * records), deduplicated by `batchId` through `Nats-Msg-Id` and the stream's duplicate window, durable pull consumers with ack-all. The
 * stream is created when missing (limits retention: the detector's replay-based restart needs
 * the stream from sequence 1, see docs/fleet.md).
 *
 * @example
 * const connection = await connectNats({ servers: '127.0.0.1:4222' });
 * const bus = await openJetStreamExchangeBus({ connection });
 */
export async function openJetStreamExchangeBus({
  connection,
  stream = 'DISTILLGUARD_EXCHANGES',
  subject = 'distillguard.exchanges',
  storage = 'file',
  duplicateWindowMs = 30 * 60_000,
}: JetStreamExchangeBusOptions): Promise<ExchangeBus> {
  const manager = await jetstreamManager(connection);
  const client = jetstream(connection);
  try {
    await manager.streams.info(stream);
  } catch {
    await manager.streams.add({
      name: stream,
      subjects: [subject],
      storage: storage === 'file' ? StorageType.File : StorageType.Memory,
      duplicate_window: duplicateWindowMs * NANOS_PER_MS,
    });
  }

  const openConsumer = async (name: string, start: ConsumerStart): Promise<BusConsumer> => {
    const from = start === 'resume' ? (await consumerAckFloor(manager, stream, name)) + 1 : start;
    // A durable's start cannot be changed in place: the caller's position is the truth, so the
    // consumer is recreated there.
    await manager.consumers.delete(stream, name).catch(() => false);
    await manager.consumers.add(stream, {
      durable_name: name,
      ack_policy: AckPolicy.All,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: Math.max(1, from),
      // Acks come once per applied batch; a redelivery would only be skipped by sequence.
      ack_wait: 60 * 60_000 * NANOS_PER_MS,
      max_ack_pending: -1,
    });
    const consumer = await client.consumers.get(stream, name);
    // Bounded by bytes, not messages: 1,024 batches of 256 records (~400 KB each) overran the
    // server's 64 MiB pending limit for the connection, which then dropped deliveries (Slow
    // Consumer) and the reader stalled until the ack wait. 16 MiB stays well inside it.
    const messages = await consumer.consume({ max_bytes: PULL_BYTES });
    const queue: JsMsg[] = [];
    let wake = null as (() => void) | null;
    let ended = false;
    void (async () => {
      try {
        for await (const message of messages) {
          queue.push(message);
          wake?.();
        }
      } finally {
        ended = true;
        wake?.();
      }
    })();
    const toBusMessage = (message: JsMsg): BusMessage => {
      // A JSON array: a batch of exchanges; `{ accounts: [...] }`: account records (version 3);
      // `{ watermark: {...} }`: a heartbeat (version 4). A batch's stamp rides in headers, so a
      // version-3 reader still reads the batch.
      const body = message.json<
        Exchange[] | { accounts?: AccountRecord[]; watermark?: PublisherStamp }
      >();
      const ack = async () => {
        await message.ackAck();
      };
      if (Array.isArray(body)) {
        const publisher = message.headers?.get(PUBLISHER_HEADER);
        const watermarkMs = Number(message.headers?.get(WATERMARK_HEADER));
        return publisher && Number.isFinite(watermarkMs)
          ? { sequence: message.seq, exchanges: body, stamp: { publisher, watermarkMs }, ack }
          : { sequence: message.seq, exchanges: body, ack };
      }
      if (body.watermark)
        return { sequence: message.seq, exchanges: [], stamp: body.watermark, ack };
      return { sequence: message.seq, exchanges: [], accounts: body.accounts ?? [], ack };
    };
    const take = (max: number) => queue.splice(0, max).map(toBusMessage);
    return {
      name,
      async next(max, waitMs) {
        if (queue.length === 0 && !ended) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, waitMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
        }
        return take(max);
      },
      async close() {
        await messages.close();
      },
    };
  };

  return {
    version: 4,
    async publish(exchanges, stamp) {
      // Each record on its own (never throws: one that cannot be serialised, e.g. a body nested
      // ~6,000 deep, goes truncated), so one hostile request can never wedge the batch's retries.
      const body = `[${exchanges.map((exchange) => serialiseExchange(exchange).line).join(',')}]`;
      let stampHeaders: MsgHdrs | undefined;
      if (stamp) {
        stampHeaders = headers();
        stampHeaders.set(PUBLISHER_HEADER, stamp.publisher);
        stampHeaders.set(WATERMARK_HEADER, String(stamp.watermarkMs));
      }
      const ack = await client.publish(subject, encoder.encode(body), {
        msgID: batchId(exchanges),
        ...(stampHeaders ? { headers: stampHeaders } : {}),
      });
      return { sequence: ack.seq, duplicate: ack.duplicate };
    },
    async publishWatermark(stamp, heartbeat) {
      const body = JSON.stringify({ watermark: stamp });
      const ack = await client.publish(subject, encoder.encode(body), {
        msgID: watermarkId(stamp.publisher, heartbeat),
      });
      return { sequence: ack.seq, duplicate: ack.duplicate };
    },
    async publishAccounts(records) {
      const body = JSON.stringify({ accounts: records });
      const ack = await client.publish(subject, encoder.encode(body), {
        msgID: accountsBatchId(records),
      });
      return { sequence: ack.seq, duplicate: ack.duplicate };
    },
    async info() {
      const { state } = await manager.streams.info(stream);
      return {
        firstSequence: state.messages === 0 ? 0 : state.first_seq,
        lastSequence: state.last_seq,
        messages: state.messages,
      };
    },
    consumer: openConsumer,
    async close() {},
  };
}
