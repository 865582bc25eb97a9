import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Exchange } from '../log/exchange.js';
import type { BusConsumer, BusMessage, ExchangeBus } from './exchange-bus.js';

/** A minimal valid log-v1 exchange. */
export function sampleExchange(id: string, ts = '2026-02-02T00:00:00.000Z'): Exchange {
  return {
    id,
    ts,
    account_id: `acct-${id}`,
    ip: '203.0.113.7',
    endpoint: 'chat.completions',
    model: 'm-1',
    request: { messages: [{ role: 'user', content: `question ${id}` }] },
    response: { input_tokens: 3, output_tokens: 5, stop_reason: 'stop' },
    status: 200,
  };
}

const ids = (messages: readonly BusMessage[]) =>
  messages.flatMap((message) => message.exchanges.map((exchange) => exchange.id));

/** Publishes each id as its own one-record batch. */
async function publishEach(bus: ExchangeBus, names: string[]): Promise<void> {
  for (const name of names) await bus.publish([sampleExchange(name)]);
}

/** Reads exactly `count` batches (a bus may hand them over in several reads), or fails. */
async function read(consumer: BusConsumer, count: number): Promise<BusMessage[]> {
  const messages: BusMessage[] = [];
  while (messages.length < count) {
    const batch = await consumer.next(count - messages.length, 2_000);
    assert.ok(batch.length > 0, `only ${messages.length} of ${count} records came`);
    messages.push(...batch);
  }
  return messages;
}

/**
 * The one conformance suite every `ExchangeBus` implementation passes. `create` returns a bus
 * over a fresh, empty stream each time.
 */
export function runExchangeBusConformance(name: string, create: () => Promise<ExchangeBus>): void {
  describe(`ExchangeBus conformance: ${name}`, () => {
    const opened: ExchangeBus[] = [];
    const fresh = async () => {
      const bus = await create();
      opened.push(bus);
      return bus;
    };
    after(async () => {
      for (const bus of opened) await bus.close();
    });

    test('batches get sequences 1, 2, 3 … in publish order; info reports them', async () => {
      const bus = await fresh();
      assert.deepEqual(await bus.info(), { firstSequence: 0, lastSequence: 0, messages: 0 });
      assert.deepEqual(await bus.publish([sampleExchange('a'), sampleExchange('b')]), {
        sequence: 1,
        duplicate: false,
      });
      assert.deepEqual(await bus.publish([sampleExchange('c')]), { sequence: 2, duplicate: false });
      assert.deepEqual(await bus.info(), { firstSequence: 1, lastSequence: 2, messages: 2 });
      const consumer = await bus.consumer('reader', 1);
      const [first] = await read(consumer, 1);
      assert.deepEqual(first?.exchanges, [sampleExchange('a'), sampleExchange('b')]);
      await consumer.close();
    });

    test('a batch already in the stream is not appended again (retries are safe)', async () => {
      const bus = await fresh();
      await bus.publish([sampleExchange('a'), sampleExchange('b')]);
      const retried = await bus.publish([sampleExchange('a'), sampleExchange('b')]);
      assert.deepEqual(retried, { sequence: 1, duplicate: true });
      assert.deepEqual(await bus.publish([sampleExchange('b'), sampleExchange('c')]), {
        sequence: 2,
        duplicate: false,
      });
      assert.equal((await bus.info()).messages, 2);
      const consumer = await bus.consumer('reader', 1);
      assert.deepEqual(ids(await read(consumer, 2)), ['a', 'b', 'b', 'c']);
      assert.deepEqual(await consumer.next(10, 1_000), []);
      await consumer.close();
    });

    test('a consumer reads from its start sequence in order, then waits for new records', async () => {
      const bus = await fresh();
      await publishEach(bus, ['a', 'b', 'c', 'd']);
      const consumer = await bus.consumer('reader', 2);
      const first = await read(consumer, 2);
      assert.deepEqual(
        first.map((message) => message.sequence),
        [2, 3],
      );
      assert.deepEqual(ids(await read(consumer, 1)), ['d']);
      assert.deepEqual(await consumer.next(10, 1_000), []);
      const waiting = consumer.next(10, 5_000);
      await bus.publish([sampleExchange('e')]);
      const live = await waiting;
      assert.deepEqual(
        live.map((message) => [message.sequence, message.exchanges]),
        [[5, [sampleExchange('e')]]],
      );
      await consumer.close();
    });

    test("'resume' starts after the acknowledged floor; a number moves the consumer there", async () => {
      const bus = await fresh();
      await publishEach(bus, ['a', 'b', 'c', 'd', 'e']);
      const reader = await bus.consumer('reader', 1);
      const firstFour = await read(reader, 4);
      await firstFour[2]?.ack();
      await reader.close();
      const resumed = await bus.consumer('reader', 'resume');
      assert.deepEqual(ids(await read(resumed, 2)), ['d', 'e']);
      await resumed.close();
      const moved = await bus.consumer('reader', 2);
      assert.deepEqual(ids(await read(moved, 4)), ['b', 'c', 'd', 'e']);
      await moved.close();
      const fromStart = await bus.consumer('never-acked', 'resume');
      assert.deepEqual(ids(await read(fromStart, 1)), ['a']);
      await fromStart.close();
    });

    test('account records travel in stream order with the exchanges, once per identical record', async () => {
      const bus = await fresh();
      const signup = {
        account_id: 'acct-new',
        created_at: '2026-02-02T00:00:00.000Z',
        payment_fingerprint: 'card-1',
      };
      await bus.publish([sampleExchange('a')]);
      assert.deepEqual(await bus.publishAccounts([signup]), { sequence: 2, duplicate: false });
      // The same sign-up from another gateway lands once; a changed record is new.
      assert.deepEqual(await bus.publishAccounts([{ ...signup }]), {
        sequence: 2,
        duplicate: true,
      });
      const changed = { ...signup, payment_fingerprint: 'card-2' };
      assert.deepEqual(await bus.publishAccounts([changed]), { sequence: 3, duplicate: false });
      await bus.publish([sampleExchange('b')]);
      const consumer = await bus.consumer('reader', 1);
      const messages = await read(consumer, 4);
      assert.deepEqual(
        messages.map((message) => [
          message.sequence,
          message.exchanges.map((exchange) => exchange.id),
          message.accounts ?? null,
        ]),
        [
          [1, ['a'], null],
          [2, [], [signup]],
          [3, [], [changed]],
          [4, ['b'], null],
        ],
      );
      await consumer.close();
    });

    test('consumers are independent', async () => {
      const bus = await fresh();
      await publishEach(bus, ['a', 'b']);
      const one = await bus.consumer('one', 1);
      const two = await bus.consumer('two', 2);
      assert.deepEqual(ids(await read(one, 2)), ['a', 'b']);
      assert.deepEqual(ids(await read(two, 1)), ['b']);
      await one.close();
      await two.close();
    });
  });
}
