import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DistillguardError } from '../shared/distillguard-error.js';
import { loadGatewayConfig, parseGatewayConfig } from './gateway-config.js';
import { DEFAULT_LADDER_POLICY } from './ladder.js';
import { policyFromConfig } from './start-gateway-server.js';

test('an empty config means the embedded defaults: demo upstream, memory state, DuckDB store', () => {
  const config = parseGatewayConfig({});
  assert.deepEqual(config.upstream, {
    demo: true,
    port: 0,
    token_delay_ms: 0,
    max_tokens_cap: 2048,
  });
  assert.deepEqual(config.state, { kind: 'memory' });
  assert.deepEqual(config.store, { kind: 'duckdb', path: 'gateway.duckdb' });
  assert.deepEqual(policyFromConfig(config.policy), DEFAULT_LADDER_POLICY);
});

const invalid = [
  { name: 'unknown field', value: { listne: {} }, path: '(root)' },
  { name: 'bad port', value: { listen: { port: 70000 } }, path: 'listen.port' },
  { name: 'bad upstream url', value: { upstream: { url: 'not a url' } }, path: 'upstream.url' },
  { name: 'unknown state kind', value: { state: { kind: 'etcd' } }, path: 'state.kind' },
  {
    name: 'negative bucket',
    value: {
      policy: {
        limits: {
          allow: {
            requests: { capacity: -1, refill_per_second: 1 },
            output_tokens: { capacity: 1, refill_per_second: 1 },
          },
        },
      },
    },
    path: 'policy.limits.allow.requests.capacity',
  },
];
for (const { name, value, path } of invalid) {
  test(`config error names its path: ${name}`, () => {
    assert.throws(
      () => parseGatewayConfig(value),
      (error: unknown) => {
        assert.ok(DistillguardError.is(error));
        assert.equal(error.code, 'gateway_config_invalid');
        assert.equal(error.details.path, path);
        return true;
      },
    );
  });
}

test('YAML and JSON files load; policy overrides map onto the ladder', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'distillguard-config-'));
  try {
    const yamlPath = join(directory, 'gateway.yaml');
    await writeFile(
      yamlPath,
      'upstream:\n  url: http://127.0.0.1:9000\n  api_key_env: UPSTREAM_KEY\nstate:\n  kind: redis\npolicy:\n  degrade:\n    max_output_tokens: 64\n    reasoning: summarise\n',
    );
    const config = await loadGatewayConfig(yamlPath);
    assert.equal(config.state.kind === 'redis' ? config.state.url : '', 'redis://127.0.0.1:6379');
    assert.deepEqual(policyFromConfig(config.policy).degrade, {
      maxOutputTokens: 64,
      reasoning: 'summarise',
    });
    const jsonPath = join(directory, 'gateway.json');
    await writeFile(jsonPath, '{"listen": {"port": 8089}}');
    assert.equal((await loadGatewayConfig(jsonPath)).listen.port, 8089);
    await writeFile(jsonPath, '{"listen": ');
    await assert.rejects(loadGatewayConfig(jsonPath), /is not valid JSON/);
    await assert.rejects(
      loadGatewayConfig(join(directory, 'missing.yaml')),
      /check the --config path/,
    );
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
