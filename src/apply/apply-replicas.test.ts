import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from 'redis';
import { buildTraffic } from '../detect/testing/build-traffic.js';
import { parseGatewayConfig } from '../gateway/gateway-config.js';
import { type GatewayServer, startGatewayServer } from '../gateway/node/start-gateway-server.js';
import type { AccountRecord } from '../log/exchange.js';
import type { ApplyVerdictsReport } from './apply-verdicts.js';

// Two gateway replicas sharing the machine's Redis (.ci/run starts it; without it this FAILS).
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const ADMIN_TOKEN = randomBytes(24).toString('hex');

describe('distillguard apply to two replicas on one Redis', () => {
  const prefix = `distillguard-apply-${randomUUID()}:`;
  let directory = '';
  const replicas: GatewayServer[] = [];
  const keys = new Map<string, string>();
  const admin = (replica: GatewayServer, path: string, init: RequestInit = {}) =>
    fetch(`${replica.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    });
  const provision = async (replica: GatewayServer, account: AccountRecord) => {
    await admin(replica, '/admin/accounts', { method: 'POST', body: JSON.stringify(account) });
    const key = (await (
      await admin(replica, `/admin/accounts/${account.account_id}/keys`, { method: 'POST' })
    ).json()) as { api_key: string };
    keys.set(`${replica.url} ${account.account_id}`, key.api_key);
  };
  const ask = (replica: GatewayServer, accountId: string, ip: string) =>
    fetch(`${replica.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${keys.get(`${replica.url} ${accountId}`)}`,
        'content-type': 'application/json',
        'x-forwarded-for': ip,
      },
      body: JSON.stringify({
        model: 'demo',
        max_tokens: 4,
        messages: [{ role: 'user', content: 'Which houseplants survive in low light?' }],
      }),
    });

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'distillguard-apply-replicas-'));
    const traffic = buildTraffic();
    const lines = (records: unknown[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
    await writeFile(join(directory, 'exchanges.jsonl'), lines(traffic.exchanges));
    await writeFile(join(directory, 'accounts.jsonl'), lines(traffic.accounts));
    await run(process.execPath, [
      CLI,
      'analyze',
      join(directory, 'exchanges.jsonl'),
      '--accounts',
      join(directory, 'accounts.jsonl'),
      '--out',
      join(directory, 'out'),
      '--json',
    ]);
    for (let index = 0; index < 2; index += 1) {
      const replica = await startGatewayServer(
        parseGatewayConfig({
          listen: { host: '127.0.0.1', port: 0 },
          upstream: { demo: true, max_tokens_cap: 4 },
          store: { kind: 'memory' },
          state: { kind: 'redis', url: redisUrl, prefix },
          trusted_proxies: ['127.0.0.1', '::1'],
        }),
        {
          env: {
            DISTILLGUARD_ADMIN_TOKEN: ADMIN_TOKEN,
            DISTILLGUARD_SECRET: 'replica-secret-0123456789',
          },
          warn: () => {},
        },
      );
      replicas.push(replica);
      for (const account of traffic.accounts.filter((a) => a.account_id === 'attack-2'))
        await provision(replica, account);
      await provision(replica, {
        account_id: 'regrown-2',
        created_at: new Date().toISOString(),
        payment_fingerprint: 'pay-attack-1',
      });
    }
  });
  after(async () => {
    for (const replica of replicas) await replica.close();
    const redis = createClient({ url: redisUrl, socket: { reconnectStrategy: false } });
    redis.on('error', () => {});
    await redis.connect().catch(() => {});
    if (redis.isOpen) {
      for await (const found of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 }))
        if (found.length > 0) await redis.del(found);
      await redis.close();
    }
    await rm(directory, { recursive: true, force: true });
  });

  test('the second replica finds the decisions in place, loads the campaigns, and enforces both', async () => {
    const [a, b] = replicas as [GatewayServer, GatewayServer];
    const { stdout } = await run(
      process.execPath,
      [
        CLI,
        'apply',
        '--gateway',
        a.url,
        '--gateway',
        b.url,
        join(directory, 'out', 'verdicts.jsonl'),
        join(directory, 'out', 'campaigns.json'),
        '--json',
      ],
      { env: { ...process.env, DISTILLGUARD_ADMIN_TOKEN: ADMIN_TOKEN } },
    );
    const report = JSON.parse(stdout) as ApplyVerdictsReport;
    assert.deepEqual(
      report.gateways.map(({ changed, counts }) => [changed, counts.unchanged]),
      [
        [17, 0],
        [0, 9],
      ],
      'A writes 9 decisions and 8 memberships into Redis; B finds them all in place',
    );
    for (const replica of [a, b]) {
      const member = await ask(replica, 'attack-2', '45.76.12.12');
      assert.equal(member.headers.get('x-distillguard-reason'), 'account_suspended');
      const regrown = await ask(replica, 'regrown-2', '45.76.12.230');
      assert.equal(regrown.status, 403, `regrown account refused at ${replica.url}`);
      assert.equal(regrown.headers.get('x-distillguard-reason'), 'campaign_suspended');
    }
  });
});
