import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTimestamp } from './format-timestamp.js';
import { createRandom } from './random.js';

describe('formatTimestamp', () => {
  it('matches Date#toISOString for integer milliseconds', () => {
    const random = createRandom(9);
    const cases = [0, 999, 1_000, 86_399_999, 86_400_000, Date.parse('2026-02-02T23:59:59.999Z')];
    for (let index = 0; index < 2000; index++)
      cases.push(Date.parse('2026-01-01T00:00:00Z') + random.int(400 * 86_400_000));
    for (const ms of cases) assert.equal(formatTimestamp(ms), new Date(ms).toISOString());
  });
});
