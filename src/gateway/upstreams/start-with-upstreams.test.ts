import assert from 'node:assert/strict';
import { test } from 'node:test';
import OpenAI from 'openai';
import { createDemoUpstream } from '../demo/create-demo-upstream.js';
import { createMemoryExchangeSink } from '../exchange-store/exchange-recorder.js';
import { parseGatewayConfig } from '../gateway-config.js';
import { serveFetchHandler } from '../node/serve-gateway.js';
import { startGatewayServer } from '../node/start-gateway-server.js';

const env = {
  DISTILLGUARD_SECRET: 'secret-for-the-upstreams-test-0123456789',
  DISTILLGUARD_ADMIN_TOKEN: 'admin-token-upstreams-0123456789abcdef',
  FIRST_KEY: 'sk-first',
  SECOND_KEY: 'sk-second',
};

test("gateway --config with upstreams: each model reaches its upstream with that upstream's key", async () => {
  const demo = createDemoUpstream();
  const seen: string[] = [];
  const start = (name: string) =>
    serveFetchHandler({
      fetch(request, context) {
        seen.push(`${name}:${request.headers.get('authorization')}`);
        return demo.fetch(request, context);
      },
    });
  const first = await start('first');
  const second = await start('second');
  const config = parseGatewayConfig({
    listen: { host: '127.0.0.1', port: 0 },
    store: { kind: 'memory' },
    engine: 'none',
    upstreams: [
      { name: 'first', url: first.url, api_key_env: 'FIRST_KEY', models: ['one-*'] },
      { name: 'second', url: second.url, api_key_env: 'SECOND_KEY' },
    ],
  });
  const server = await startGatewayServer(config, {
    env,
    sink: createMemoryExchangeSink(),
    warn: () => {},
  });
  try {
    // No demo upstream is started when `upstreams` is set.
    assert.equal(server.demoUpstreamUrl, null);
    const admin = (path: string, body: unknown = null) =>
      fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.DISTILLGUARD_ADMIN_TOKEN}` },
        body: body === null ? null : JSON.stringify(body),
      });
    await admin('/admin/accounts', { account_id: 'acct_up' });
    const { api_key: apiKey } = (await (await admin('/admin/accounts/acct_up/keys')).json()) as {
      api_key: string;
    };
    const openai = new OpenAI({ apiKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
    for (const model of ['one-small', 'two-large'])
      await openai.chat.completions.create({
        model,
        max_tokens: 3,
        messages: [{ role: 'user', content: 'hi' }],
      });
    assert.deepEqual(seen, ['first:Bearer sk-first', 'second:Bearer sk-second']);
  } finally {
    await server.close();
    await first.close(0);
    await second.close(0);
  }
});
