import { createHash } from 'node:crypto';
import type { AccountRecord, Exchange } from '../log/exchange.js';

/** Where one batch landed in the stream. */
export interface PublishResult {
  /** The stream sequence of the batch (of its first copy when `duplicate`). */
  sequence: number;
  /** True when a batch with the same id was already in the stream (not appended again). */
  duplicate: boolean;
}

/**
 * A batch's dedup id: a hash of its exchange ids in order. A retried batch carries the same
 * records, so the same id (the publisher never re-slices a failed batch).
 */
export function batchId(exchanges: readonly Exchange[]): string {
  const hash = createHash('sha256');
  for (const exchange of exchanges) hash.update(exchange.id).update('\n');
  return hash.digest('base64url').slice(0, 32);
}

/**
 * An account-record message's dedup id: a hash of the records' JSON, so the same sign-up
 * published by every gateway of a fleet (each loads the accounts) lands once.
 */
export function accountsBatchId(records: readonly AccountRecord[]): string {
  const hash = createHash('sha256').update('accounts\n');
  for (const record of records) hash.update(JSON.stringify(record)).update('\n');
  return `a-${hash.digest('base64url').slice(0, 30)}`;
}

/**
 * Who published a message and its watermark (version 4): nothing with an event time older than
 * `watermarkMs` will come from `publisher` after this message (docs/fleet.md, Ordering).
 */
export interface PublisherStamp {
  publisher: string;
  watermarkMs: number;
}

/** A heartbeat's dedup id: one per publisher and heartbeat number (a retry carries the same). */
export function watermarkId(publisher: string, heartbeat: number): string {
  return `w-${publisher}-${heartbeat}`;
}

/** One batch read from the stream (a gateway's publish: one stream message). */
export interface BusMessage {
  /** The stream sequence: 1, 2, 3 … in append order, the position a checkpoint names. */
  sequence: number;
  /** The batch's records, in the order they were published ([] in an account-record message). */
  exchanges: Exchange[];
  /** Account records (sign-ups, changed payment methods): set only in an account-record message. */
  accounts?: AccountRecord[];
  /** The publisher's stamp (version 4): on a batch from a version-4 gateway, and on a heartbeat. */
  stamp?: PublisherStamp;
  /**
   * Acknowledges this record and every earlier one of its consumer (ack-all); resolves once the
   * bus has recorded it.
   */
  ack(): Promise<void>;
}

/** A durable, named reader of the stream. */
export interface BusConsumer {
  readonly name: string;
  /**
   * The next batches in sequence order, at most `max`; waits up to `waitMs` for the first one and
   * returns `[]` when none came. A batch is delivered once per consumer position.
   */
  next(max: number, waitMs: number): Promise<BusMessage[]>;
  /** Stops reading; the durable position (its acknowledged floor) stays on the bus. */
  close(): Promise<void>;
}

/** Where a durable consumer starts: a stream sequence, or just after its last acknowledged record. */
export type ConsumerStart = number | 'resume';

export interface StreamInfo {
  /** The oldest batch still held (1 while nothing was ever removed; 0 when empty). */
  firstSequence: number;
  /** The newest batch (0 when empty). */
  lastSequence: number;
  /** Batches held. */
  messages: number;
}

/**
 * The fleet's exchange stream, version 4 (version 3 plus publisher stamps on batches and
 * heartbeat messages that carry only a stamp; a version-4 reader reads version-3 messages as
 * unstamped): gateways append batches of exchange records (one stream
 * message per batch: a message per record cost a JetStream ack per record, 141 µs of gateway CPU
 * each), the detector reads them with a durable consumer. In-process by default (one gateway), NATS JetStream for a fleet.
 * Every implementation passes the one conformance suite (`exchange-bus.case.ts`).
 *
 * @example
 * const bus = createInProcessExchangeBus();
 * await bus.publish([exchange]);
 * const consumer = await bus.consumer('detector', 1);
 * const [message] = await consumer.next(100, 1_000); // message.exchanges: [exchange]
 */
export interface ExchangeBus {
  readonly version: 4;
  /**
   * Appends the records in order as one batch, with the publisher's stamp when given. A batch
   * whose `batchId` is already in the stream (within the duplicate window) is not appended again:
   * retrying a batch is always safe.
   */
  publish(exchanges: readonly Exchange[], stamp?: PublisherStamp): Promise<PublishResult>;
  /**
   * Appends a heartbeat (version 4): a message with no records, only the stamp, deduplicated by
   * `watermarkId(publisher, heartbeat)`.
   */
  publishWatermark(stamp: PublisherStamp, heartbeat: number): Promise<PublishResult>;
  /**
   * Appends account records as one message (version 3), deduplicated by `accountsBatchId`: the
   * identity evidence `analyze --accounts` reads, in stream order with the exchanges.
   */
  publishAccounts(records: readonly AccountRecord[]): Promise<PublishResult>;
  info(): Promise<StreamInfo>;
  /**
   * Opens the durable consumer `name` at `start` (an existing one is moved there: the caller's
   * checkpoint is the truth), or, with `'resume'`, just after its acknowledged floor.
   */
  consumer(name: string, start: ConsumerStart): Promise<BusConsumer>;
  close(): Promise<void>;
}
