import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type ModelPivotInput, modelPivot } from './model-pivot.js';

const HOUR = 3600_000;
const base: ModelPivotInput = {
  account: 7,
  model: 'atlas-3',
  modelFirstMs: 100 * HOUR,
  firstUseMs: 102 * HOUR,
  exchangesOnModel: 30,
  exchangesSinceFirstUse: 60,
};

const cases: { name: string; input: Partial<ModelPivotInput>; expected: boolean }[] = [
  { name: 'half its traffic to the new model two hours after release', input: {}, expected: true },
  {
    name: 'first use three days after release',
    input: { firstUseMs: 172 * HOUR },
    expected: false,
  },
  { name: 'one request in ten (a curious try)', input: { exchangesOnModel: 6 }, expected: false },
  {
    name: 'two requests only',
    input: { exchangesOnModel: 2, exchangesSinceFirstUse: 2 },
    expected: false,
  },
  {
    name: 'used before it was first seen (clock skew)',
    input: { firstUseMs: 99 * HOUR },
    expected: false,
  },
];

for (const { name, input, expected } of cases) {
  test(`modelPivot: ${name}`, () => {
    const found = modelPivot({ ...base, ...input });
    assert.equal(found !== undefined, expected);
    if (found) {
      assert.equal(found.share, 0.5);
      assert.equal(found.hours, 2);
      assert.equal(found.model, 'atlas-3');
    }
  });
}
