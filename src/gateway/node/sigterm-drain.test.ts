import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { Agent, fetch as undiciFetch } from 'undici';
import { serveFetchHandler } from './serve-gateway.js';

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

const ADMIN = 'admin-token-drain-0123456789abcdef';

/** One way to run the gateway: its child script, and how a test gets an API key from it. */
interface DrainCase {
  name: string;
  script(databasePath: string, accountsPath: string): string;
  /** The API key to send with, and records written before the measured requests. */
  prepare(url: string, line: { apiKey?: string }): Promise<{ apiKey: string; extra: number }>;
  requests: number;
  /** A fresh connection per request (so the cluster primary deals them to every worker). */
  connectionEach: boolean;
}

const cases: DrainCase[] = [
  {
    name: 'one process',
    script: (databasePath) => childScript(databasePath),
    prepare: async (_url, line) => ({ apiKey: line.apiKey ?? '', extra: 0 }),
    requests: 16,
    connectionEach: false,
  },
  {
    // A key made through one worker's admin API authenticates on both.
    name: 'cluster mode, two workers (a poison request too)',
    script: clusterScript,
    async prepare(url) {
      const created = await fetch(`${url}/admin/accounts/acct_drain/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
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
      return { apiKey, extra: 1 };
    },
    requests: 24,
    connectionEach: true,
  },
];

for (const drainCase of cases) {
  test(`SIGTERM drains (${drainCase.name}): in-flight streams finish and every accepted request is in DuckDB`, async () => {
    const directory = await mkdtemp(join(tmpdir(), 'distillguard-drain-'));
    const databasePath = join(directory, 'gateway.duckdb');
    const accountsPath = join(directory, 'accounts.jsonl');
    await writeFile(
      accountsPath,
      `${JSON.stringify({ account_id: 'acct_drain', created_at: '2026-01-01T00:00:00.000Z' })}\n`,
    );
    const child = spawn(
      process.execPath,
      ['--input-type=module', '-e', drainCase.script(databasePath, accountsPath)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const [text] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const line = JSON.parse(text) as { url: string; apiKey?: string };
      const { apiKey, extra } = await drainCase.prepare(line.url, line);
      const shared = new Agent();
      const responses = await Promise.all(
        Array.from({ length: drainCase.requests }, (_, index) =>
          undiciFetch(`${line.url}/v1/chat/completions`, {
            dispatcher: drainCase.connectionEach ? new Agent() : shared,
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
        new Array(drainCase.requests).fill(200),
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
      const total = drainCase.requests + extra;
      assert.deepEqual(reader.getRowObjects()[0], { n: total, ids: total });
      connection.closeSync();
      instance.closeSync();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(directory, { recursive: true, force: true });
    }
  });
}

// The requests above all began before SIGTERM, so their headers went out before the drain did:
// `Connection: close` goes on a request that arrives *during* the drain, which only a request
// pipelined behind an in-flight one on an open connection can do (new connections are refused).
test('a request that arrives during the drain is answered with Connection: close', async () => {
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const served = await serveFetchHandler({
    async fetch(request) {
      if (new URL(request.url).pathname === '/slow') await held;
      return new Response('ok');
    },
  });
  const { port } = served.server.address() as AddressInfo;
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString();
  });
  socket.write('GET /slow HTTP/1.1\r\nhost: x\r\n\r\n');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const closing = served.close(5_000);
  socket.write('GET /next HTTP/1.1\r\nhost: x\r\n\r\n');
  await new Promise((resolve) => setTimeout(resolve, 50));
  release();
  await once(socket, 'close');
  await closing;
  const [first = '', second = ''] = received.split(/(?=HTTP\/1\.1 )/);
  assert.match(first, /^HTTP\/1\.1 200/);
  assert.doesNotMatch(
    first,
    /connection: close/i,
    'its headers were not sent yet at the drain, but it began before it',
  );
  assert.match(second, /^HTTP\/1\.1 200/);
  assert.match(second, /^connection: close\r$/im);
});
