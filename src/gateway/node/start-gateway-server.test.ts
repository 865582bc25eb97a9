import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import OpenAI from 'openai';
import { createMemoryExchangeSink } from '../exchange-store/exchange-recorder.js';
import { parseGatewayConfig } from '../gateway-config.js';
import { createScriptedScorer } from '../request-scorer.js';
import { startGatewayServer } from './start-gateway-server.js';

const env = {
  DISTILLGUARD_SECRET: 'secret-for-the-restart-test-0123456789',
  DISTILLGUARD_ADMIN_TOKEN: 'admin-token-restart-0123456789abcdef',
  DISTILLGUARD_WATERMARK_KEY: 'cd'.repeat(32),
};

test('keys made through the admin API survive a restart (DuckDB control plane by default)', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'dg-gateway-restart-'));
  const config = parseGatewayConfig({
    listen: { host: '127.0.0.1', port: 0 },
    observability: { logs: { level: 'silent' } },
    store: { kind: 'duckdb', path: join(directory, 'gateway.duckdb') },
    engine: 'none',
  });
  const scorer = createScriptedScorer({ acct_kept: { score: 0.6, verdict: 'attack' } });
  try {
    const first = await startGatewayServer(config, { env, scorer, warn: () => {} });
    const admin = (path: string) =>
      fetch(`${first.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.DISTILLGUARD_ADMIN_TOKEN}` },
        body: path === '/admin/accounts' ? JSON.stringify({ account_id: 'acct_kept' }) : null,
      });
    assert.equal((await admin('/admin/accounts')).status, 201);
    const { api_key: apiKey } = (await (await admin('/admin/accounts/acct_kept/keys')).json()) as {
      api_key: string;
    };
    await first.close();
    await stat(join(directory, 'control-plane.duckdb'));

    const sink = createMemoryExchangeSink();
    const second = await startGatewayServer(config, { env, scorer, sink, warn: () => {} });
    try {
      const completion = await new OpenAI({
        apiKey,
        baseURL: `${second.url}/v1`,
        maxRetries: 0,
      }).chat.completions.create({
        model: 'demo',
        max_tokens: 4,
        messages: [{ role: 'user', content: 'hi' }],
      });
      assert.ok(completion.choices.length > 0);
      await second.gateway.recorder.flush();
      // The master key in the environment turns the degrade step's watermark on by default.
      assert.equal(sink.exchanges[0]?.account_id, 'acct_kept');
      assert.equal(sink.exchanges[0]?.watermark?.level, 'text');
    } finally {
      await second.close();
    }
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
