import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hmacLanesFor, LANE_MAX_COUNT, LANE_WARMUP_CONTEXTS } from './hmac-lanes.js';

// Seeds through the lanes are compared with contextSeed in context-hasher.test.ts (seedMany).
const header = Int32Array.from([0x64697374, 0x696c6c67, 0x75617264, 0x2d776d2d, 0x76310304]);

test('contexts that do not fit one block are refused', () => {
  for (const count of [0, LANE_MAX_COUNT + 1, 255]) {
    assert.throws(() => hmacLanesFor(header, count, Infinity), RangeError);
  }
});

test('one module per header and count, shared by every key', () => {
  const lanes = hmacLanesFor(header, 4, Infinity);
  assert.ok(lanes, 'Node 20 runs WebAssembly SIMD');
  assert.equal(hmacLanesFor(Int32Array.from(header), 4, 1), lanes);
  assert.notEqual(hmacLanesFor(header, 3, Infinity), lanes);
});

test('built once a header has been asked for enough contexts (short jobs stay without)', () => {
  const other = Int32Array.from(header);
  other[4] = 0x76311007; // tag 0x10, 7 ids: no other test asks for it
  assert.equal(hmacLanesFor(other, 7, LANE_WARMUP_CONTEXTS - 10), null);
  assert.equal(hmacLanesFor(other, 7, 9), null);
  assert.ok(hmacLanesFor(other, 7, 1));
});
