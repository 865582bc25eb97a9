import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEventQueue } from './event-queue.js';
import { createRandom } from './random.js';

describe('createEventQueue', () => {
  it('pops in time order, ties in insertion order', () => {
    const queue = createEventQueue<string>();
    queue.push(5, 'late');
    queue.push(1, 'first');
    queue.push(3, 'tie-a');
    queue.push(3, 'tie-b');
    const popped: string[] = [];
    for (let item = queue.pop(); item; item = queue.pop()) popped.push(item);
    assert.deepEqual(popped, ['first', 'tie-a', 'tie-b', 'late']);
    assert.equal(queue.size, 0);
  });

  it('sorts many random times', () => {
    const random = createRandom(2);
    const queue = createEventQueue<number>();
    const times = Array.from({ length: 5000 }, () => random.int(1000));
    for (const time of times) queue.push(time, time);
    const out: number[] = [];
    for (let item = queue.pop(); item !== undefined; item = queue.pop()) {
      assert.equal(item, queue.lastTime);
      out.push(queue.lastTime);
    }
    assert.deepEqual(
      out,
      [...times].sort((a, b) => a - b),
    );
  });
});
