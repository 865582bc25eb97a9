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

const ids = (exchanges: readonly { exchange: Exchange }[]) =>
  exchanges.map((message) => message.exchange.id);

/** Reads exactly `count` records (a bus may hand them over in several batches), or fails. */
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

    test('records get sequences 1, 2, 3 … in publish order; info reports them', async () => {
      const bus = await fresh();
      assert.deepEqual(await bus.info(), { firstSequence: 0, lastSequence: 0, messages: 0 });
      const results = await bus.publish(['a', 'b', 'c'].map((id) => sampleExchange(id)));
      assert.deepEqual(results, [
        { sequence: 1, duplicate: false },
        { sequence: 2, duplicate: false },
        { sequence: 3, duplicate: false },
      ]);
      assert.deepEqual(await bus.info(), { firstSequence: 1, lastSequence: 3, messages: 3 });
    });

    test('an exchange id already in the stream is not appended again (retries are safe)', async () => {
      const bus = await fresh();
      await bus.publish([sampleExchange('a'), sampleExchange('b')]);
      const retried = await bus.publish([sampleExchange('b'), sampleExchange('c')]);
      assert.deepEqual(retried, [
        { sequence: 2, duplicate: true },
        { sequence: 3, duplicate: false },
      ]);
      assert.equal((await bus.info()).messages, 3);
      const consumer = await bus.consumer('reader', 1);
      assert.deepEqual(ids(await read(consumer, 3)), ['a', 'b', 'c']);
      assert.deepEqual(await consumer.next(10, 1_000), []);
      await consumer.close();
    });

    test('a consumer reads from its start sequence in order, then waits for new records', async () => {
      const bus = await fresh();
      await bus.publish(['a', 'b', 'c', 'd'].map((id) => sampleExchange(id)));
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
        live.map((message) => [message.sequence, message.exchange]),
        [[5, sampleExchange('e')]],
      );
      await consumer.close();
    });

    test("'resume' starts after the acknowledged floor; a number moves the consumer there", async () => {
      const bus = await fresh();
      await bus.publish(['a', 'b', 'c', 'd', 'e'].map((id) => sampleExchange(id)));
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

    test('consumers are independent', async () => {
      const bus = await fresh();
      await bus.publish(['a', 'b'].map((id) => sampleExchange(id)));
      const one = await bus.consumer('one', 1);
      const two = await bus.consumer('two', 2);
      assert.deepEqual(ids(await read(one, 2)), ['a', 'b']);
      assert.deepEqual(ids(await read(two, 1)), ['b']);
      await one.close();
      await two.close();
    });
  });
}
