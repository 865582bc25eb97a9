import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FeatureContext } from './account-features.js';
import { createModelFlagger } from './create-model-flagger.js';
import { FITTED_MODEL } from './fitted-model.js';

// The context is never read before the first assessment.
const context = {} as FeatureContext;

test('the shipped model is fitted on this engine’s feature list', () => {
  assert.doesNotThrow(() => createModelFlagger({ fitted: FITTED_MODEL, context }));
});

test('a model fitted on another feature list is refused with a code, never read by position', () => {
  const features = [...FITTED_MODEL.model.features].reverse();
  const fitted = { ...FITTED_MODEL, model: { ...FITTED_MODEL.model, features } };
  assert.throws(
    () => createModelFlagger({ fitted, context }),
    (error: unknown) => (error as { code?: string }).code === 'model_features_mismatch',
  );
});
