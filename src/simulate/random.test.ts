import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRandom } from './random.js';

describe('createRandom', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const draw = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 8 }, () => random.next());
    };
    assert.deepEqual(draw(7), draw(7));
    assert.notDeepEqual(draw(7), draw(8));
  });

  it('keeps draws in range and roughly uniform', () => {
    const random = createRandom(1);
    const counts = [0, 0, 0, 0];
    for (let index = 0; index < 40_000; index++) {
      const value = random.next();
      assert.ok(value >= 0 && value < 1);
      counts[random.int(4)] = (counts[random.int(4)] ?? 0) + 1;
    }
    for (const count of counts) assert.ok(Math.abs(count - 10_000) < 600, `bucket ${count}`);
  });

  it('draws weighted indexes in proportion and exponential variates with the asked mean', () => {
    const random = createRandom(3);
    let heavy = 0;
    let sum = 0;
    for (let index = 0; index < 20_000; index++) {
      if (random.weighted([1, 3]) === 1) heavy += 1;
      sum += random.exponential(5);
    }
    assert.ok(Math.abs(heavy / 20_000 - 0.75) < 0.02);
    assert.ok(Math.abs(sum / 20_000 - 5) < 0.2);
  });

  it('forks independent, reproducible streams', () => {
    const a = createRandom(5).fork('pools');
    const b = createRandom(5).fork('pools');
    const c = createRandom(5).fork('traffic');
    assert.equal(a.hex(16), b.hex(16));
    assert.notEqual(createRandom(5).fork('pools').hex(16), c.hex(16));
  });
});
