import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { Agent, fetch as undiciFetch } from 'undici';

const entry = fileURLToPath(new URL('../index.js', import.meta.url));

// The child is a real gateway process on the embedded DuckDB store, with slow demo streams so
// requests are in flight when SIGTERM arrives.
const childScript = (databasePath: string) => `
import { parseGatewayConfig, startGatewayServer } from ${JSON.stringify(entry)};
const config = parseGatewayConfig({
  listen: { port: 0 },
  upstream: { demo: true, token_delay_ms: 15 },
  store: { kind: 'duckdb', path: ${JSON.stringify(databasePath)} },
  engine: 'none',
});
const server = await startGatewayServer(config, {
  env: { DISTILLGUARD_SECRET: 'drain-test-secret-0123456789', DISTILLGUARD_ADMIN_TOKEN: 'admin-token-drain-0123456789abcdef' },
  warn: () => {},
});
server.gateway.provisionAccount({ account_id: 'acct_drain', created_at: '2026-01-01T00:00:00.000Z' });
const { apiKey } = server.gateway.createApiKey('acct_drain');
process.once('SIGTERM', () => server.close().then(() => process.exit(0)));
console.log(JSON.stringify({ url: server.url, apiKey }));
`;

test('SIGTERM drains: in-flight streams finish and every accepted request is in DuckDB', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'distillguard-drain-'));
  const databasePath = join(directory, 'gateway.duckdb');
  const child = spawn(process.execPath, ['--input-type=module', '-e', childScript(databasePath)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const { url, apiKey } = JSON.parse(line) as { url: string; apiKey: string };
    const requests = 16;
    const responses = await Promise.all(
      Array.from({ length: requests }, (_, index) =>
        fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          body: JSON.stringify({
            model: 'demo',
            stream: index % 2 === 0,
            max_tokens: 12,
            messages: [{ role: 'user', content: `question ${index}` }],
          }),
        }),
      ),
    );
    child.kill('SIGTERM');
    const bodies = await Promise.all(responses.map((response) => response.text()));
    assert.deepEqual(
      responses.map((response) => response.status),
      new Array(requests).fill(200),
    );
    for (const [index, body] of bodies.entries()) {
      if (index % 2 === 0)
        assert.ok(body.trimEnd().endsWith('data: [DONE]'), `stream ${index} complete`);
      else assert.equal((JSON.parse(body) as { object: string }).object, 'chat.completion');
    }
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0);
    const instance = await DuckDBInstance.create(databasePath);
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(
      'SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids FROM exchanges',
    );
    assert.deepEqual(reader.getRowObjects()[0], { n: requests, ids: requests });
    connection.closeSync();
    instance.closeSync();
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
  }
});

// The same guarantee with two cluster workers: the primary owns the DuckDB file, the workers send
// it their records, and a key made through one worker's admin API authenticates on both.
const clusterScript = (databasePath: string, accountsPath: string) => `
import { parseGatewayConfig, startGatewayCluster } from ${JSON.stringify(entry)};
const config = parseGatewayConfig({
  listen: { port: 0 },
  upstream: { demo: true, token_delay_ms: 15 },
  store: { kind: 'duckdb', path: ${JSON.stringify(databasePath)} },
  engine: 'none',
  accounts_file: ${JSON.stringify(accountsPath)},
});
const gatewayCluster = await startGatewayCluster(config, {
  workers: 2,
  env: { ...process.env, DISTILLGUARD_SECRET: 'drain-test-secret-0123456789', DISTILLGUARD_ADMIN_TOKEN: 'admin-token-drain-0123456789abcdef' },
  warn: () => {},
});
process.once('SIGTERM', () => gatewayCluster.close().then(() => process.exit(0)));
console.log(JSON.stringify({ url: gatewayCluster.url }));
`;

test('cluster mode: SIGTERM drains every worker and every accepted request (a poison one too) is in DuckDB', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'distillguard-drain-cluster-'));
  const databasePath = join(directory, 'gateway.duckdb');
  const accountsPath = join(directory, 'accounts.jsonl');
  await writeFile(
    accountsPath,
    `${JSON.stringify({ account_id: 'acct_drain', created_at: '2026-01-01T00:00:00.000Z' })}\n`,
  );
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', clusterScript(databasePath, accountsPath)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const { url } = JSON.parse(line) as { url: string };
    const created = await fetch(`${url}/admin/accounts/acct_drain/keys`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer admin-token-drain-0123456789abcdef',
        'content-type': 'application/json',
      },
      body: '{}',
    });
    assert.equal(created.status, 201);
    const { api_key: apiKey } = (await created.json()) as { api_key: string };
    // The key reaches the other worker through the primary (a message away).
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Issue 16's probe: a body nested 6,000 deep (unauthenticated) must not block the records
    // behind it, through the worker → primary IPC either.
    const deep = await undiciFetch(`${url}/v1/chat/completions`, {
      dispatcher: new Agent(),
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"model":"m","messages":${'['.repeat(6_000)}${']'.repeat(6_000)}}`,
    });
    assert.equal(deep.status, 401);
    const requests = 24;
    const responses = await Promise.all(
      Array.from({ length: requests }, (_, index) =>
        // A connection each, so the primary deals them out to both workers.
        undiciFetch(`${url}/v1/chat/completions`, {
          dispatcher: new Agent(),
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          body: JSON.stringify({
            model: 'demo',
            stream: index % 2 === 0,
            max_tokens: 12,
            messages: [{ role: 'user', content: `question ${index}` }],
          }),
        }),
      ),
    );
    child.kill('SIGTERM');
    const bodies = await Promise.all(responses.map((response) => response.text()));
    assert.deepEqual(
      responses.map((response) => response.status),
      new Array(requests).fill(200),
    );
    for (const [index, body] of bodies.entries()) {
      if (index % 2 === 0)
        assert.ok(body.trimEnd().endsWith('data: [DONE]'), `stream ${index} complete`);
      else assert.equal((JSON.parse(body) as { object: string }).object, 'chat.completion');
    }
    const [code] = (await once(child, 'exit')) as [number];
    assert.equal(code, 0);
    const instance = await DuckDBInstance.create(databasePath);
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(
      'SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids FROM exchanges',
    );
    assert.deepEqual(reader.getRowObjects()[0], { n: requests + 1, ids: requests + 1 });
    connection.closeSync();
    instance.closeSync();
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(directory, { recursive: true, force: true });
  }
});
