// docs/deploy.md as a test: its gateway.yaml, its commands and its health checks, each a separate
// process, against the machine's Redis and Postgres and a private NATS (.ci/run provides the
// binaries; a missing one fails this test). What the test changes in the config is listed in
// the doc's "As tested" section.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { createClient } from 'redis';
import { parse, stringify } from 'yaml';
import { type NatsServerProcess, startNatsServer } from '../fleet/testing/nats-server-process.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/src/cli/main.js');
const postgresUrl = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The fenced block of docs/deploy.md whose first line is `# gateway.yaml`. */
async function documentedGatewayConfig(): Promise<Record<string, unknown>> {
  const page = await readFile(join(root, 'docs/deploy.md'), 'utf8');
  const block = /```yaml\n(# gateway\.yaml\n[\s\S]*?)```/.exec(page)?.[1];
  assert.ok(block, 'docs/deploy.md has a ```yaml block starting with "# gateway.yaml"');
  return parse(block) as Record<string, unknown>;
}

/** Reads lines of a child's stream until one matches. */
function waitForLine(stream: NodeJS.ReadableStream, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stream });
    const seen: string[] = [];
    lines.on('line', (line) => {
      seen.push(line);
      const found = pattern.exec(line);
      if (found) {
        lines.removeAllListeners('line');
        resolve(found);
      }
    });
    lines.on('close', () => reject(new Error(`no line matched ${pattern}:\n${seen.join('\n')}`)));
  });
}

describe('docs/deploy.md: the fleet layout, as separate processes, with its health checks', () => {
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12);
  const schema = `dg_deploy_${suffix}`;
  const prefix = `distillguard-deploy-${suffix}:`;
  const names = {
    stream: `DG_DEPLOY_${suffix}`,
    subject: `distillguard.deploy.${suffix}`,
    bucket: `dg-deploy-${suffix}`,
  };
  const adminToken = randomBytes(24).toString('hex');
  let directory = '';
  let nats: NatsServerProcess;
  let detector: ChildProcess;
  let gateway: ChildProcess;
  let gatewayUrl = '';
  let detectorOut = '';
  let documented: Record<string, unknown> = {};
  const env = () => ({
    ...process.env,
    DISTILLGUARD_SECRET: randomBytes(32).toString('hex'),
    DISTILLGUARD_ADMIN_TOKEN: adminToken,
    DISTILLGUARD_INDICATOR_KEY: `deploy-test-indicators-${suffix}`,
  });
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${gatewayUrl}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    });

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'distillguard-deploy-'));
    documented = await documentedGatewayConfig();
    nats = await startNatsServer(join(directory, 'nats'), { monitor: true });
    const fleet = documented.fleet as Record<string, unknown>;
    const state = documented.state as Record<string, unknown>;
    const controlPlane = documented.control_plane as Record<string, unknown>;
    const config = {
      ...documented,
      listen: { host: '127.0.0.1', port: 0 },
      upstream: { demo: true, max_tokens_cap: 8 },
      trusted_proxies: ['127.0.0.1', '::1'],
      state: { ...state, url: redisUrl, prefix },
      control_plane: { ...controlPlane, url: postgresUrl, schema },
      store: { kind: 'duckdb', path: join(directory, 'gateway.duckdb') },
      fleet: { ...fleet, nats: nats.url, ...names },
    };
    await writeFile(join(directory, 'gateway.yaml'), stringify(config));
    const shared = env();
    detector = spawn(
      process.execPath,
      [
        cli,
        'detect',
        '--nats',
        nats.url,
        '--checkpoint',
        join(directory, 'detect.json'),
        '--indicator-key-env',
        'DISTILLGUARD_INDICATOR_KEY',
        '--stream',
        names.stream,
        '--subject',
        names.subject,
        '--bucket',
        names.bucket,
        '--json',
      ],
      { env: shared, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    detector.stdout?.on('data', (chunk: Buffer) => {
      detectorOut += chunk.toString();
    });
    gateway = spawn(
      process.execPath,
      [cli, 'gateway', '--config', join(directory, 'gateway.yaml'), '--workers', '1'],
      { env: shared, stdio: ['ignore', 'inherit', 'pipe'] },
    );
    const [, url] = await waitForLine(
      gateway.stderr as NodeJS.ReadableStream,
      /gateway listening on (http:\/\/\S+)/,
    );
    gatewayUrl = url ?? '';
    gateway.stderr?.resume();
  });

  after(async () => {
    for (const child of [gateway, detector])
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await nats?.stop();
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect().catch(() => {});
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await client.end().catch(() => {});
    const redis = createClient({ url: redisUrl, socket: { reconnectStrategy: false } });
    redis.on('error', () => {});
    await redis.connect().catch(() => {});
    if (redis.isOpen) {
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 }))
        if (keys.length > 0) await redis.del(keys);
      await redis.close();
    }
    await rm(directory, { recursive: true, force: true });
  });

  test('the documented config is the fleet layout: Redis state, Postgres control plane, NATS', () => {
    assert.equal((documented.state as { kind: string }).kind, 'redis');
    assert.equal((documented.control_plane as { kind: string }).kind, 'postgres');
    assert.equal(typeof (documented.fleet as { nats: string }).nats, 'string');
  });

  test('the services answer their documented health checks', async () => {
    const redis = await run('redis-cli', ['-h', '127.0.0.1', '-p', '6379', 'ping']);
    assert.equal(redis.stdout.trim(), 'PONG');
    await run('pg_isready', ['-h', '127.0.0.1', '-p', '5432']);
    const health = await fetch(`http://127.0.0.1:${nats.monitorPort}/healthz?js-enabled-only=true`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
  });

  test('the gateway answers /healthz and /readyz with every check ok', async () => {
    const live = await fetch(`${gatewayUrl}/healthz`);
    assert.deepEqual([live.status, await live.json()], [200, { status: 'ok' }]);
    const ready = await fetch(`${gatewayUrl}/readyz`);
    const body = (await ready.json()) as {
      ready: boolean;
      checks: Record<string, { ok: boolean }>;
    };
    assert.equal(ready.status, 200);
    assert.equal(body.ready, true);
    for (const check of ['store', 'state', 'upstream'])
      assert.equal(body.checks[check]?.ok, true, `${check} ok`);
  });

  test('traffic reaches the detector and its decisions reach the gateway; SIGTERM stops both cleanly', async () => {
    const accounts = ['acct_deploy_a', 'acct_deploy_b', 'acct_deploy_c'];
    const keys = new Map<string, string>();
    const ask = async (accountId: string, index: number) => {
      const response = await fetch(`${gatewayUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${keys.get(accountId)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          model: 'demo',
          max_tokens: 4,
          messages: [{ role: 'user', content: `deployment check ${index}` }],
        }),
      });
      assert.equal(response.status, 200);
      await response.text();
    };
    for (const accountId of accounts) {
      const created = await admin('/admin/accounts', {
        method: 'POST',
        body: JSON.stringify({ account_id: accountId }),
      });
      assert.equal(created.status, 201);
      const key = (await (
        await admin(`/admin/accounts/${accountId}/keys`, { method: 'POST' })
      ).json()) as { api_key: string };
      keys.set(accountId, key.api_key);
      for (let index = 0; index < 4; index += 1) await ask(accountId, index);
    }
    // The detector holds records for its reorder window (5 s of event time, which moves only
    // with records): a request 5 s later releases them. Decisions then go to the KV bucket,
    // which the gateway watches.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    await ask('acct_deploy_a', 99);
    const deadline = Date.now() + 60_000;
    let decided = 0;
    while (Date.now() < deadline) {
      const metrics = await (await admin('/metrics')).text();
      decided = Number(/fleet_decisions_accounts\S*\s+(\d+)/.exec(metrics)?.[1] ?? 0);
      if (decided >= accounts.length) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.ok(decided >= accounts.length, `decisions for ${decided} accounts reached the gateway`);

    detector.kill('SIGTERM');
    const [detectorCode] = (await once(detector, 'exit')) as [number];
    assert.equal(detectorCode, 0);
    const stats = JSON.parse(detectorOut) as { applied: number; decisionsPublished: number };
    assert.ok(stats.applied >= accounts.length * 4, `applied ${stats.applied}`);
    assert.ok(stats.decisionsPublished >= accounts.length);
    assert.ok((await stat(join(directory, 'detect.json'))).size > 0, 'checkpoint written');

    gateway.kill('SIGTERM');
    const [gatewayCode] = (await once(gateway, 'exit')) as [number];
    assert.equal(gatewayCode, 0);
  });
});
