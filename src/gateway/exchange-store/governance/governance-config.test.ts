import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DistillguardError } from '../../../shared/distillguard-error.js';
import { parseGatewayConfig } from '../../gateway-config.js';

test('store governance keys parse, with defaults for what is left out', () => {
  const config = parseGatewayConfig({
    store: {
      kind: 'jsonl',
      path: 'x.jsonl',
      retention_days: 14,
      bodies: { sample_rate: 0.25, redact: ['email'] },
    },
  });
  assert.deepEqual(config.store, {
    kind: 'jsonl',
    path: 'x.jsonl',
    retention_days: 14,
    bodies: { sample_rate: 0.25, sample_by: 'exchange', redact: ['email'], redact_patterns: [] },
  });
});

const invalid: [string, unknown, string][] = [
  ['negative retention', { kind: 'duckdb', path: 'g', retention_days: -1 }, 'store.retention_days'],
  [
    'rate above 1',
    { kind: 'duckdb', path: 'g', bodies: { sample_rate: 1.5 } },
    'store.bodies.sample_rate',
  ],
  [
    'unknown sampling unit',
    { kind: 'duckdb', path: 'g', bodies: { sample_by: 'key' } },
    'store.bodies.sample_by',
  ],
  [
    'unknown built-in',
    { kind: 'duckdb', path: 'g', bodies: { redact: ['ssn'] } },
    'store.bodies.redact.0',
  ],
  [
    'invalid pattern',
    { kind: 'duckdb', path: 'g', bodies: { redact_patterns: [{ name: 'x', pattern: '(' }] } },
    'store.bodies.redact_patterns.0.pattern',
  ],
  ['retention on the memory store', { kind: 'memory', retention_days: 3 }, '(root)'],
];

for (const [name, store, path] of invalid) {
  test(`rejected with its path: ${name}`, () => {
    assert.throws(
      () => parseGatewayConfig({ store }),
      (error: unknown) =>
        DistillguardError.is(error) &&
        error.code === 'gateway_config_invalid' &&
        (path === '(root)' || error.details.path === path),
    );
  });
}
