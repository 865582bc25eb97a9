import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { createMemoryExchangeSink } from '../exchange-store/exchange-recorder.js';
import { parseGatewayConfig } from '../gateway-config.js';
import { startGatewayServer } from '../node/start-gateway-server.js';

// From the config file to the running gateway: the `identity:` section is what the server uses.
const env = {
  DISTILLGUARD_SECRET: 'server-test-secret-0123456789',
  DISTILLGUARD_ADMIN_TOKEN: 'a'.repeat(32),
  UPSTREAM_KEY: 'sk-gateway-own',
};
const base = {
  listen: { port: 0 },
  store: { kind: 'memory' },
  control_plane: { kind: 'memory' },
  engine: 'none',
};

test('identity.mode trusted_header from the config: the header names the recorded account', async () => {
  const sink = createMemoryExchangeSink();
  const server = await startGatewayServer(
    parseGatewayConfig({
      ...base,
      trusted_proxies: ['127.0.0.1'],
      identity: {
        mode: 'trusted_header',
        trusted_header: { account_header: 'x-provider-account' },
        forward_headers: { client_ip: null },
      },
    }),
    { env, warn: () => {}, sink },
  );
  try {
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-provider-account': 'acct_cfg' },
      body: JSON.stringify({
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
        max_tokens: 2,
      }),
    });
    assert.equal(response.status, 200);
    await server.gateway.recorder.flush();
    assert.deepEqual(
      sink.exchanges.map((record) => record.account_id),
      ['acct_cfg'],
    );
    const imported = await fetch(`${server.url}/admin/keys/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.DISTILLGUARD_ADMIN_TOKEN}` },
      body: '[]',
    });
    assert.equal(imported.status, 409, 'no key import in trusted_header mode');
  } finally {
    await server.close();
  }
});

const refused = [
  {
    name: 'passthrough with an upstream key of its own',
    config: {
      upstream: { url: 'http://127.0.0.1:9', api_key_env: 'UPSTREAM_KEY' },
      identity: { mode: 'passthrough' },
    },
    path: 'upstream.api_key_env',
  },
  {
    name: 'trusted_header with no trusted proxy',
    config: {
      identity: { mode: 'trusted_header', trusted_header: { account_header: 'x-account' } },
    },
    path: 'trusted_proxies',
  },
];
for (const { name, config, path } of refused)
  test(`the start is refused: ${name}`, async () => {
    await assert.rejects(
      startGatewayServer(parseGatewayConfig({ ...base, ...config }), { env, warn: () => {} }),
      (error: unknown) =>
        DistillguardError.is(error) &&
        error.code === 'gateway_config_invalid' &&
        error.details.path === path,
    );
  });
