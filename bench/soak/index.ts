// Soak: a real gateway process (DuckDB store, demo upstream, detection engine) under mixed good,
// bad and faulty traffic for `--minutes` (default 10), then SIGTERM. Reports the gateway
// process's RSS over time, requests by kind, and records in the store against requests the
// gateway accepted on its proxied routes (issue 16: nothing lost, memory bounded).
//
//   node dist/bench/soak/index.js --minutes 2

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const flag = process.argv.indexOf('--minutes');
const minutes = Number(flag >= 0 ? process.argv[flag + 1] : (process.env.SOAK_MINUTES ?? 10));
const concurrency = Number(process.env.SOAK_CONCURRENCY ?? 8);
const entry = fileURLToPath(new URL('../../src/gateway/index.js', import.meta.url));
const ADMIN = 'soak-admin-token-0123456789abcdefghij';

const childScript = (databasePath: string) => `
import { parseGatewayConfig, startGatewayServer } from ${JSON.stringify(entry)};
const config = parseGatewayConfig({
  listen: { port: 0 },
  upstream: { demo: true, token_delay_ms: 1 },
  store: { kind: 'duckdb', path: ${JSON.stringify(databasePath)} },
  control_plane: { kind: 'memory' },
  limits: { per_ip: null },
});
const server = await startGatewayServer(config, {
  env: { DISTILLGUARD_SECRET: 'soak-secret-0123456789abcdef', DISTILLGUARD_ADMIN_TOKEN: ${JSON.stringify(ADMIN)} },
  warn: () => {},
});
const keys = [];
for (let index = 0; index < 20; index += 1) {
  const id = 'acct_soak_' + index;
  server.gateway.provisionAccount({ account_id: id, created_at: '2026-01-01T00:00:00.000Z' });
  keys.push(server.gateway.createApiKey(id).apiKey);
}
process.once('SIGTERM', () => server.close().then(() => process.exit(0)));
console.log(JSON.stringify({ url: server.url, keys }));
`;

const rssMiB = (pid: number) => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
};

const raw = (url: string, bytes: string) =>
  new Promise<void>((resolve) => {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname, () => socket.end(bytes));
    socket.setTimeout(2_000, () => socket.destroy());
    socket.on('data', () => {});
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });

const directory = await mkdtemp(join(tmpdir(), 'distillguard-soak-'));
const databasePath = join(directory, 'gateway.duckdb');
const child = spawn(process.execPath, ['--input-type=module', '-e', childScript(databasePath)], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
const { url, keys } = JSON.parse(line) as { url: string; keys: string[] };
const pid = child.pid as number;
const counts: Record<string, number> = {};
const statuses: Record<string, number> = {};
const count = (kind: string, status: number) => {
  counts[kind] = (counts[kind] ?? 0) + 1;
  const label = `${Math.floor(status / 100)}xx`;
  statuses[label] = (statuses[label] ?? 0) + 1;
};
const question = (index: number) =>
  JSON.stringify({
    model: 'demo',
    max_tokens: 16,
    stream: index % 3 === 0,
    messages: [{ role: 'user', content: `soak question ${index % 500}` }],
  });
const post = async (kind: string, body: string, headers: Record<string, string>) => {
  try {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    await response.arrayBuffer();
    count(kind, response.status);
  } catch {
    count(`${kind}_failed`, 0);
  }
};

const deadline = Date.now() + minutes * 60_000;
let sent = 0;
const rss: number[] = [rssMiB(pid)];
const started = Date.now();
const sampler = setInterval(() => {
  rss.push(rssMiB(pid));
  console.log(
    `t=${Math.round((Date.now() - started) / 1000)}s requests=${sent} gateway RSS=${rss.at(-1)?.toFixed(0)} MiB`,
  );
}, 30_000);
const worker = async () => {
  while (Date.now() < deadline) {
    const index = sent++;
    const key = keys[index % keys.length] as string;
    const roll = index % 20;
    if (roll < 14) await post('good', question(index), { authorization: `Bearer ${key}` });
    else if (roll === 14)
      await post('bad_key', question(index), { authorization: 'Bearer dg-wrong' });
    else if (roll === 15)
      await post('malformed_json', '{"model":', { authorization: `Bearer ${key}` });
    else if (roll === 16)
      await post(
        'deep_nesting',
        `{"model":"m","messages":${'['.repeat(6_000)}${']'.repeat(6_000)}}`,
        {},
      );
    else if (roll === 17)
      await post(
        'large_unauthenticated',
        JSON.stringify({ model: 'm', pad: 'x'.repeat(1 << 20) }),
        {},
      );
    else if (roll === 18) {
      const response = await fetch(`${url}/v1/chat/completions`).catch(() => null);
      await response?.arrayBuffer();
      count('wrong_method', response?.status ?? 0);
    } else {
      await raw(url, 'GET http://x/admin/accounts HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n');
      count('raw_garbage', 400);
    }
  }
};
await Promise.all(Array.from({ length: concurrency }, worker));
clearInterval(sampler);
const health = (await (
  await fetch(`${url}/admin/health`, { headers: { authorization: `Bearer ${ADMIN}` } })
).json()) as { accepted: number; exchanges_dropped: number };
rss.push(rssMiB(pid));
child.kill('SIGTERM');
await once(child, 'exit');
const instance = await DuckDBInstance.create(databasePath);
const connection = await instance.connect();
const reader = await connection.runAndReadAll(
  "SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE json_extract_string(record, '$.truncated.reason') IS NOT NULL)::INTEGER AS truncated FROM exchanges",
);
const stored = reader.getRowObjects()[0] as { n: number; truncated: number };
connection.closeSync();
instance.closeSync();
await rm(directory, { recursive: true, force: true });
console.log(
  JSON.stringify(
    {
      minutes,
      concurrency,
      requests: sent,
      by_kind: counts,
      by_status: statuses,
      gateway_rss_mib: {
        start: Math.round(rss[0] ?? 0),
        peak: Math.round(Math.max(...rss)),
        end: Math.round(rss.at(-1) ?? 0),
      },
      accepted: health.accepted,
      records_stored: stored.n,
      records_truncated: stored.truncated,
      records_dropped: health.exchanges_dropped,
      lost: health.accepted - stored.n,
    },
    null,
    2,
  ),
);
if (stored.n !== health.accepted) process.exitCode = 1;
