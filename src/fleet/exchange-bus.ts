import type { Exchange } from '../log/exchange.js';

/** Where one exchange landed in the stream. */
export interface PublishResult {
  /** The stream sequence of the record (of its first copy when `duplicate`). */
  sequence: number;
  /** True when a record with the same exchange id was already in the stream (not appended again). */
  duplicate: boolean;
}

/** One record read from the stream. */
export interface BusMessage {
  /** The stream sequence: 1, 2, 3 … in append order, the position a checkpoint names. */
  sequence: number;
  exchange: Exchange;
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
   * The next records in sequence order, at most `max`; waits up to `waitMs` for the first one and
   * returns `[]` when none came. A record is delivered once per consumer position.
   */
  next(max: number, waitMs: number): Promise<BusMessage[]>;
  /** Stops reading; the durable position (its acknowledged floor) stays on the bus. */
  close(): Promise<void>;
}

/** Where a durable consumer starts: a stream sequence, or just after its last acknowledged record. */
export type ConsumerStart = number | 'resume';

export interface StreamInfo {
  /** The oldest record still held (1 while nothing was ever removed; 0 when empty). */
  firstSequence: number;
  /** The newest record (0 when empty). */
  lastSequence: number;
  messages: number;
}

/**
 * The fleet's exchange stream, version 1: gateways append exchange records, the detector reads
 * them with a durable consumer. In-process by default (one gateway), NATS JetStream for a fleet.
 * Every implementation passes the one conformance suite (`exchange-bus.case.ts`).
 *
 * @example
 * const bus = createInProcessExchangeBus();
 * await bus.publish([exchange]);
 * const consumer = await bus.consumer('detector', 1);
 * const [message] = await consumer.next(100, 1_000);
 */
export interface ExchangeBus {
  readonly version: 1;
  /**
   * Appends the records in order. A record whose exchange id is already in the stream (within
   * the duplicate window) is not appended again: retrying a batch is always safe.
   */
  publish(exchanges: readonly Exchange[]): Promise<PublishResult[]>;
  info(): Promise<StreamInfo>;
  /**
   * Opens the durable consumer `name` at `start` (an existing one is moved there: the caller's
   * checkpoint is the truth), or, with `'resume'`, just after its acknowledged floor.
   */
  consumer(name: string, start: ConsumerStart): Promise<BusConsumer>;
  close(): Promise<void>;
}
