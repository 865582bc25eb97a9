import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildTraffic } from '../detect/testing/build-traffic.js';
import type { Verdict } from '../detect/verdict.js';
import type { AuditEntry } from '../gateway/enforcement-state/enforcement-state.js';
import { createMemoryExchangeSink } from '../gateway/exchange-store/exchange-recorder.js';
import { parseGatewayConfig } from '../gateway/gateway-config.js';
import { type GatewayServer, startGatewayServer } from '../gateway/node/start-gateway-server.js';
import type { AccountRecord } from '../log/exchange.js';
import type { ApplyVerdictsReport } from './apply-verdicts.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const ADMIN_TOKEN = randomBytes(24).toString('hex');

/** The built CLI in a child process, as an operator runs it (the token only in the environment). */
async function cli(args: string[], token = ADMIN_TOKEN) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, DISTILLGUARD_ADMIN_TOKEN: token },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('distillguard apply: verdicts from analyze onto a running gateway', () => {
  let directory = '';
  let server: GatewayServer;
  let verdicts: Verdict[] = [];
  const sink = createMemoryExchangeSink();
  /** The record of the last request an account sent (written after its response). */
  const lastRecord = async (accountId: string) => {
    for (let waited = 0; waited < 5_000; waited += 20) {
      const found = sink.exchanges.filter((exchange) => exchange.account_id === accountId).at(-1);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.fail(`no record for ${accountId}`);
  };
  const keys = new Map<string, string>();
  const admin = async (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    });
  const provision = async (account: AccountRecord) => {
    assert.equal(
      (await admin('/admin/accounts', { method: 'POST', body: JSON.stringify(account) })).status,
      201,
    );
    const key = (await (
      await admin(`/admin/accounts/${account.account_id}/keys`, { method: 'POST' })
    ).json()) as { api_key: string };
    keys.set(account.account_id, key.api_key);
  };
  const ask = (accountId: string, ip: string) =>
    fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${keys.get(accountId)}`,
        'content-type': 'application/json',
        'x-forwarded-for': ip,
      },
      body: JSON.stringify({
        model: 'demo',
        max_tokens: 4,
        messages: [{ role: 'user', content: 'Suggest three names for a grey cat.' }],
      }),
    });
  const apply = (...extra: string[]) =>
    cli([
      'apply',
      '--gateway',
      server.url,
      join(directory, 'out', 'verdicts.jsonl'),
      join(directory, 'out', 'campaigns.json'),
      '--actor',
      'ops-test',
      ...extra,
    ]);

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'distillguard-apply-'));
    const traffic = buildTraffic();
    const lines = (records: unknown[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
    await writeFile(join(directory, 'exchanges.jsonl'), lines(traffic.exchanges));
    await writeFile(join(directory, 'accounts.jsonl'), lines(traffic.accounts));
    const analyzed = await cli([
      'analyze',
      join(directory, 'exchanges.jsonl'),
      '--accounts',
      join(directory, 'accounts.jsonl'),
      '--out',
      join(directory, 'out'),
      '--json',
    ]);
    assert.equal(analyzed.code, 0, analyzed.stderr);
    verdicts = (await readFile(join(directory, 'out', 'verdicts.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Verdict);
    server = await startGatewayServer(
      parseGatewayConfig({
        listen: { host: '127.0.0.1', port: 0 },
        upstream: { demo: true, max_tokens_cap: 4 },
        store: { kind: 'memory' },
        trusted_proxies: ['127.0.0.1', '::1'],
      }),
      {
        env: { DISTILLGUARD_ADMIN_TOKEN: ADMIN_TOKEN, DISTILLGUARD_SECRET: 'apply-test-secret' },
        warn: () => {},
        sink,
      },
    );
    for (const account of traffic.accounts.filter((a) => /^(attack-\d|chat-0)$/.test(a.account_id)))
      await provision(account);
  });
  after(async () => {
    await server?.close();
    await rm(directory, { recursive: true, force: true });
  });

  test('the analyze run flagged the campaign (the input this test depends on)', () => {
    const attacks = verdicts.filter((verdict) => verdict.verdict === 'attack');
    assert.equal(attacks.length, 8);
    assert.ok(attacks.every((verdict) => verdict.campaign_id === 'campaign-0001'));
  });

  test('a dry run reports what would change and changes nothing', async () => {
    const dry = await apply('--dry-run', '--json');
    assert.equal(dry.code, 0, dry.stderr);
    const report = JSON.parse(dry.stdout) as ApplyVerdictsReport;
    const [result] = report.gateways;
    assert.equal(result?.dry_run, true);
    assert.equal(result?.counts.set, 9, '8 attack accounts and their campaign');
    assert.equal(result?.counts.memberships_set, 8);
    const detail = (await (await admin('/admin/accounts/attack-0')).json()) as {
      decisions: { account: unknown; campaign_id: unknown };
    };
    assert.equal(detail.decisions.account, null);
    assert.equal(detail.decisions.campaign_id, null);
    assert.equal((await ask('attack-0', '45.76.12.10')).status, 200);
  });

  test('apply suspends the flagged accounts, audited with actor and batch id', async () => {
    const applied = await apply('--json', '--note', 'case 42');
    assert.equal(applied.code, 0, applied.stderr);
    const report = JSON.parse(applied.stdout) as ApplyVerdictsReport;
    const [result] = report.gateways;
    assert.equal(result?.changed, 17, '9 decisions and 8 memberships');
    assert.equal(result?.batch_id, report.plan.batchId);
    const refused = await ask('attack-3', '45.76.12.13');
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('x-distillguard-reason'), 'account_suspended');
    const record = await lastRecord('attack-3');
    assert.equal(record.enforcement?.source, 'applied', 'the record says who set the rung');
    assert.ok(record.enforcement?.reasons.includes('applied'));
    const detail = (await (await admin('/admin/accounts/attack-3')).json()) as {
      decisions: { campaign_id: string; account: { source: string; action: string } };
    };
    assert.equal(detail.decisions.account.source, 'applied');
    assert.equal(detail.decisions.campaign_id, 'applied:campaign-0001');
    assert.equal((await ask('chat-0', '73.0.1.20')).status, 200, 'a customer is served');
    const { entries } = (await (await admin('/admin/audit?limit=1000')).json()) as {
      entries: AuditEntry[];
    };
    const batch = entries.filter((entry) => entry.batch_id === report.plan.batchId);
    assert.equal(batch.length, 9);
    assert.ok(batch.every((entry) => entry.actor === 'ops-test' && entry.after === 'suspend'));
    assert.ok(batch.every((entry) => entry.note.startsWith('case 42')));
    assert.ok(
      batch.some(
        (entry) =>
          entry.subject.kind === 'campaign' && entry.subject.id === 'applied:campaign-0001',
      ),
    );
  });

  test('the same files applied again change nothing and say so', async () => {
    const before = ((await (await admin('/admin/audit?limit=1000')).json()) as { entries: [] })
      .entries.length;
    const again = await apply();
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing changed: every decision was already in place; 9 unchanged/);
    const afterwards = ((await (await admin('/admin/audit?limit=1000')).json()) as { entries: [] })
      .entries.length;
    assert.equal(afterwards, before, 'no audit entry for a no-op');
  });

  test('a manual decision is kept, and reported', async () => {
    const pinned = await admin('/admin/decisions/account/attack-5', {
      method: 'PUT',
      body: JSON.stringify({ action: 'allow', note: 'appeal upheld' }),
    });
    assert.equal(pinned.status, 200);
    const report = JSON.parse((await apply('--json')).stdout) as ApplyVerdictsReport;
    assert.equal(report.gateways[0]?.changed, 0);
    assert.equal(report.gateways[0]?.counts.manual_kept, 1);
    assert.deepEqual(report.gateways[0]?.items[0]?.subject, { kind: 'account', id: 'attack-5' });
    assert.equal((await ask('attack-5', '45.76.12.15')).status, 200);
  });

  test("a regrown account inherits the campaign's suspension on its first request", async () => {
    await provision({
      account_id: 'regrown-1',
      created_at: new Date().toISOString(),
      payment_fingerprint: 'pay-attack-1',
      email_domain: 'another-domain.example',
    });
    const refused = await ask('regrown-1', '45.76.12.201');
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('x-distillguard-reason'), 'campaign_suspended');
    const detail = (await (await admin('/admin/accounts/regrown-1')).json()) as {
      decisions: { campaign_id: string; account: unknown; campaign: { source: string } };
    };
    assert.equal(detail.decisions.campaign_id, 'applied:campaign-0001');
    assert.equal(detail.decisions.account, null, 'inherited from the campaign, nothing of its own');
    assert.equal(detail.decisions.campaign.source, 'applied');
    const record = await lastRecord('regrown-1');
    assert.ok(record.enforcement?.reasons.includes('fleet_campaign_indicators'));
    // The same card elsewhere, or the same /24 without it, is one evidence family: served.
    await provision({ account_id: 'new-customer', created_at: new Date().toISOString() });
    assert.equal((await ask('new-customer', '45.76.12.202')).status, 200);
  });

  test('a wrong token is refused, and no output repeats a token', async () => {
    const wrong = randomBytes(24).toString('hex');
    const succeeded = await apply('--json');
    assert.equal(succeeded.code, 0);
    const failed = await cli(
      [
        'apply',
        '--gateway',
        server.url,
        join(directory, 'out', 'verdicts.jsonl'),
        join(directory, 'out', 'campaigns.json'),
      ],
      wrong,
    );
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, /error \[apply_unauthorised\]/);
    for (const output of [failed.stdout, failed.stderr, succeeded.stdout, succeeded.stderr]) {
      assert.ok(!output.includes(wrong) && !output.includes(ADMIN_TOKEN));
    }
    const missing = await cli(['apply', '--gateway', server.url, 'v.jsonl', 'c.json'], '');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /error \[apply_token_missing\]: set DISTILLGUARD_ADMIN_TOKEN/);
  });

  test('the bulk route refuses a malformed batch with a code', async () => {
    const cases = [
      { body: 'not json', message: /not JSON/ },
      {
        body: JSON.stringify({ accounts: [{ account_id: 'x', action: 'vaporise' }] }),
        message: /accounts\.0/,
      },
      { body: JSON.stringify({ decisions: [] }), message: /decisions|Unrecognized/ },
    ];
    for (const { body, message } of cases) {
      const response = await admin('/admin/decisions/batch', { method: 'POST', body });
      assert.equal(response.status, 400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(error.code, 'invalid_decision_batch');
      assert.match(error.message, message);
    }
  });
});
