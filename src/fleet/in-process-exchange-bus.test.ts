import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExchangeBusConformance, sampleExchange } from './exchange-bus.case.js';
import { createInProcessExchangeBus } from './in-process-exchange-bus.js';

runExchangeBusConformance('in-process', async () => createInProcessExchangeBus());

test('in-process bus: past maxMessages the oldest batches go and the first sequence moves', async () => {
  const bus = createInProcessExchangeBus({ maxMessages: 2 });
  for (const id of ['a', 'b', 'c']) await bus.publish([sampleExchange(id)]);
  assert.deepEqual(await bus.info(), { firstSequence: 2, lastSequence: 3, messages: 2 });
  const consumer = await bus.consumer('reader', 1);
  assert.deepEqual(
    (await consumer.next(10, 10)).map((message) => message.sequence),
    [2, 3],
  );
});
