import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { buildTraffic } from '../detect/testing/build-traffic.js';
import type { CampaignsFile, Verdict } from '../detect/verdict.js';
import type { LineRejection } from '../log/index.js';
import { analyze } from './analyze.js';

test('analyze: bad lines are named file:line and the rest is analysed', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'analyze-'));
  const traffic = buildTraffic();
  const lines = traffic.exchanges.map((exchange) => JSON.stringify(exchange));
  lines.splice(10, 0, '{"id": "broken", "ts": ');
  lines.splice(20, 0, JSON.stringify({ id: 'no-account', ts: '2026-02-02T00:00:00.000Z' }));
  const input = join(directory, 'exchanges.jsonl.gz');
  await writeFile(input, gzipSync(`${lines.join('\n')}\n`));
  const accounts = join(directory, 'accounts.jsonl');
  await writeFile(
    accounts,
    `${traffic.accounts.map((record) => JSON.stringify(record)).join('\n')}\n`,
  );
  const rejections: LineRejection[] = [];
  const out = join(directory, 'out');
  const summary = await analyze({
    inputs: [input],
    accounts,
    out,
    onReject: (rejection) => rejections.push(rejection),
    now: () => new Date('2026-02-03T00:00:00.000Z'),
  });
  assert.deepEqual(
    rejections.map((rejection) => `${rejection.file}:${rejection.line}`),
    [`${input}:11`, `${input}:21`],
  );
  assert.equal(summary.rejectedLines, 2);
  assert.equal(summary.exchanges, traffic.exchanges.length);
  const verdicts = (await readFile(summary.outputs.verdicts, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Verdict);
  assert.equal(
    verdicts.length,
    new Set([...traffic.accounts.map((record) => record.account_id)]).size,
  );
  const flagged = verdicts
    .filter((verdict) => verdict.verdict === 'attack')
    .map((verdict) => verdict.account_id);
  assert.deepEqual(flagged.sort(), [...traffic.attackAccounts].sort());
  const campaigns = JSON.parse(await readFile(summary.outputs.campaigns, 'utf8')) as CampaignsFile;
  assert.equal(campaigns.generated_at, '2026-02-03T00:00:00.000Z');
  assert.equal(campaigns.campaigns.length, 1);
  const html = await readFile(summary.outputs.report, 'utf8');
  assert.match(html, /<html/i);
  assert.ok(html.includes(campaigns.campaigns[0]?.campaign_id ?? 'missing'));
});
