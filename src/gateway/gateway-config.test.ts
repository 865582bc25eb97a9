import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DistillguardError } from '../shared/distillguard-error.js';
import { resolveControlPlane } from './control-plane/open-control-plane.js';
import { loadGatewayConfig, parseGatewayConfig } from './gateway-config.js';
import { DEFAULT_LADDER_POLICY } from './ladder.js';
import { policyFromConfig } from './node/start-gateway-server.js';

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
    name: 'unknown control plane kind',
    value: { control_plane: { kind: 'etcd' } },
    path: 'control_plane.kind',
  },
  {
    name: 'control plane url not postgres',
    value: { control_plane: { kind: 'postgres', url: 'mysql://db' } },
    path: 'control_plane.url',
  },
  {
    name: 'control plane schema not an identifier',
    value: { control_plane: { kind: 'postgres', url: 'postgres://db/x', schema: 'a;b' } },
    path: 'control_plane.schema',
  },
  { name: 'unknown watermark mode', value: { watermark: { mode: 'on' } }, path: 'watermark.mode' },
  {
    name: 'watermark key inlined',
    value: { watermark: { master_key: 'ab'.repeat(32) } },
    path: 'watermark',
  },
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

const controlPlanes = [
  {
    name: 'default: DuckDB beside the exchange store',
    value: { store: { kind: 'duckdb', path: 'runs/gw/gateway.duckdb' } },
    expected: { kind: 'duckdb', path: join('runs/gw', 'control-plane.duckdb') },
  },
  {
    name: 'default with an in-memory exchange store: memory',
    value: { store: { kind: 'memory' } },
    expected: { kind: 'memory' },
  },
  {
    name: 'duckdb with its own path',
    value: { control_plane: { kind: 'duckdb', path: '/var/lib/dg/cp.duckdb' } },
    expected: { kind: 'duckdb', path: '/var/lib/dg/cp.duckdb' },
  },
  {
    name: 'postgres with defaults',
    value: { control_plane: { kind: 'postgres', url: 'postgres://gw@db:5432/gateway' } },
    expected: {
      kind: 'postgres',
      url: 'postgres://gw@db:5432/gateway',
      schema: 'distillguard',
      pollIntervalMs: 1000,
    },
  },
];
for (const { name, value, expected } of controlPlanes) {
  test(`control plane: ${name}`, () => {
    assert.deepEqual(resolveControlPlane(parseGatewayConfig(value)), expected);
  });
}

test('watermark section: where the key is read, never the key', () => {
  assert.deepEqual(parseGatewayConfig({}).watermark, {
    master_key_env: 'DISTILLGUARD_WATERMARK_KEY',
    rotation_days: 30,
  });
  assert.deepEqual(
    parseGatewayConfig({ watermark: { mode: 'always', master_key_file: 'wm.key' } }).watermark,
    {
      mode: 'always',
      master_key_env: 'DISTILLGUARD_WATERMARK_KEY',
      master_key_file: 'wm.key',
      rotation_days: 30,
    },
  );
});
