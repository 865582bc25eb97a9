import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createDetector } from '../../detect/index.js';
import { buildTraffic } from '../../detect/testing/build-traffic.js';
import type { Verdict } from '../../detect/verdict.js';
import { fixtureCommunityKey } from '../../intel/fixture-campaigns.js';
import { createStixValidator, exportCampaignBundle, importPeerIntel } from '../../intel/index.js';
import { createJsonLinesWriter } from '../../log/index.js';
import { runCli } from '../run-cli.js';

const traffic = buildTraffic();
let directory = '';

before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'distillguard-analyze-cli-'));
});
after(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function verdictsIn(out: string): Promise<Verdict[]> {
  const text = await readFile(join(out, 'verdicts.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Verdict);
}

describe('distillguard analyze --peer-intel', () => {
  test('an empty intelligence directory is a clear error, not a silent no-op', async () => {
    const empty = join(directory, 'empty-intel');
    await mkdir(empty, { recursive: true });
    const log = join(directory, 'one.jsonl');
    await writeFile(log, `${JSON.stringify(traffic.exchanges[0])}\n`);
    const code = await runCli([
      'node',
      'distillguard',
      'analyze',
      log,
      '--out',
      join(directory, 'out-empty'),
      '--peer-intel',
      empty,
      '--json',
    ]);
    assert.equal(code, 2);
  });

  test("a peer's exported campaign marks the returning attacker with peer_indicator", async () => {
    // Provider A finds the campaign and shares it as STIX, IPs in clear.
    const providerA = createDetector();
    for (const account of traffic.accounts) providerA.observeAccount(account);
    for (const exchange of traffic.exchanges) providerA.observe(exchange);
    const bundle = exportCampaignBundle(
      { generated_at: '2026-02-03T00:00:00.000Z', campaigns: providerA.campaigns() },
      { communityKey: fixtureCommunityKey(), producerName: 'Provider A', shareIps: true },
    );
    const bundlePath = join(directory, 'a.bundle.json');
    await writeFile(bundlePath, JSON.stringify(bundle));
    const into = join(directory, 'intel');
    await importPeerIntel({ from: bundlePath, into, validator: createStixValidator() });

    // Provider B sees one of those attackers come back under a new account id.
    const attacker = traffic.attackAccounts[0] ?? '';
    const log = join(directory, 'b.jsonl.gz');
    const writer = await createJsonLinesWriter(log);
    for (const exchange of traffic.exchanges) {
      if (exchange.account_id === attacker) {
        await writer.write({ ...exchange, id: `b-${exchange.id}`, account_id: 'returning-1' });
      }
    }
    await writer.close();

    const withIntel = join(directory, 'out-with');
    const withoutIntel = join(directory, 'out-without');
    const common = ['node', 'distillguard', 'analyze', log, '--json'];
    assert.equal(await runCli([...common, '--out', withIntel, '--peer-intel', into]), 0);
    assert.equal(await runCli([...common, '--out', withoutIntel]), 0);
    const flagged = (await verdictsIn(withIntel)).find((v) => v.account_id === 'returning-1');
    const unaided = (await verdictsIn(withoutIntel)).find((v) => v.account_id === 'returning-1');
    assert.ok(flagged?.reasons.some((reason) => reason.code === 'peer_indicator'));
    assert.ok(!unaided?.reasons.some((reason) => reason.code === 'peer_indicator'));
  });
});
