import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { createMemoryExchangeSink } from '../exchange-store/exchange-recorder.js';
import { parseGatewayConfig } from '../gateway-config.js';
import { startGatewayServer } from './start-gateway-server.js';

const env = {
  DISTILLGUARD_SECRET: 'hung-upstream-secret-0123456789',
  DISTILLGUARD_ADMIN_TOKEN: 'admin-token-hung-0123456789abcdefgh',
};

// An upstream that accepts connections and never answers.
const startHungUpstream = async () => {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      server.close();
    },
  };
};

for (const { name, drainGraceMs, expected } of [
  // Default grace (the upstream timeouts + 5 s): every client gets its 504, nothing is reset.
  { name: 'default grace', drainGraceMs: undefined, expected: 504 },
  // A grace shorter than the upstream timeout cuts the responses, but never their records.
  { name: 'grace shorter than the upstream timeout', drainGraceMs: 200, expected: 0 },
])
  test(`drain with a hung upstream (${name}): records == requests`, async () => {
    const upstream = await startHungUpstream();
    const sink = createMemoryExchangeSink();
    const server = await startGatewayServer(
      parseGatewayConfig({
        listen: { port: 0 },
        observability: { logs: { level: 'silent' } },
        upstream: { url: upstream.url, headers_timeout_ms: 800, body_timeout_ms: 800 },
        store: { kind: 'memory' },
        control_plane: { kind: 'memory' },
        engine: 'none',
        ...(drainGraceMs ? { server: { drain_grace_ms: drainGraceMs } } : {}),
      }),
      { env, sink, warn: () => {} },
    );
    try {
      server.gateway.provisionAccount({
        account_id: 'acct',
        created_at: '2026-01-01T00:00:00.000Z',
      });
      const { apiKey } = server.gateway.createApiKey('acct');
      const requests = 5;
      const answers = Array.from({ length: requests }, () =>
        fetch(`${server.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
        }).then(
          (response) => response.status,
          () => 0,
        ),
      );
      for (let waited = 0; server.gateway.inFlight < requests && waited < 2_000; waited += 10)
        await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(server.gateway.inFlight, requests);
      await server.close();
      assert.deepEqual(await Promise.all(answers), new Array(requests).fill(expected));
      assert.equal(sink.exchanges.length, requests);
      assert.deepEqual(
        sink.exchanges.map((each) => each.status),
        new Array(requests).fill(expected === 504 ? 504 : 499),
      );
    } finally {
      await server.close();
      upstream.close();
    }
  });
