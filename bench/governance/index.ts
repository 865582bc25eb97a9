// What detection loses under each data-governance option of the exchange store, and under the
// evidence a foreign log format lacks: the same simulated log, transformed as the store (or the
// format) would keep it, analysed and scored against its ground truth. Not a timing benchmark:
// it reports recall, false positives, leakage and time to detect per variant.
//
//   npm run build && node dist/bench/governance/index.js [data dir, default /work/ref/data/qs2]
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/analyze/index.js';
import {
  type BodiesPolicy,
  createExchangeGovernor,
} from '../../src/gateway/exchange-store/governance/index.js';
import {
  createJsonLinesWriter,
  type Exchange,
  readExchanges,
  UNKNOWN_IP,
} from '../../src/log/index.js';

const data = process.argv[2] ?? '/work/ref/data/qs2';
const only = process.env.GOVERNANCE_VARIANTS?.split(',');
const bodies = (overrides: Partial<BodiesPolicy>): BodiesPolicy => ({
  sample_rate: 1,
  sample_by: 'exchange',
  redact: [],
  redact_patterns: [],
  ...overrides,
});
const govern = (policy: BodiesPolicy) => createExchangeGovernor(policy);
const withoutFeatures = (transform: (exchange: Exchange) => Exchange) => (exchange: Exchange) => {
  const governed = transform(exchange);
  const { x_prompt_features: _features, ...request } = governed.request;
  return { ...governed, request };
};
const dropAll = govern(bodies({ sample_rate: 0 }));

const variants: [string, (exchange: Exchange) => Exchange][] = [
  ['kept (baseline)', (exchange) => exchange],
  [
    'redact email, api_key, card_number, phone',
    govern(bodies({ redact: ['email', 'api_key', 'card_number', 'phone'] })),
  ],
  ['sample 10% by exchange', govern(bodies({ sample_rate: 0.1 }))],
  ['sample 10% by account', govern(bodies({ sample_rate: 0.1, sample_by: 'account' }))],
  ['bodies dropped (fingerprints kept)', dropAll],
  [
    'sample 10% by exchange, no fingerprints',
    withoutFeatures(govern(bodies({ sample_rate: 0.1 }))),
  ],
  [
    'sample 10% by account, no fingerprints',
    withoutFeatures(govern(bodies({ sample_rate: 0.1, sample_by: 'account' }))),
  ],
  ['bodies dropped, no fingerprints', withoutFeatures(dropAll)],
  ['no client IP (ip unknown)', (exchange) => ({ ...exchange, ip: UNKNOWN_IP })],
  [
    'no client IP, no TLS/header/user-agent',
    ({ tls_fingerprint: _t, header_order: _h, user_agent: _u, ...exchange }) => ({
      ...exchange,
      ip: UNKNOWN_IP,
    }),
  ],
  [
    'no client IP, no client fingerprints, no bodies',
    ({ tls_fingerprint: _t, header_order: _h, user_agent: _u, ...exchange }) =>
      withoutFeatures(dropAll)({ ...exchange, ip: UNKNOWN_IP }),
  ],
];

const directory = await mkdtemp(join(tmpdir(), 'distillguard-governance-'));
const rows: string[][] = [];
try {
  for (const [name, transform] of variants) {
    if (only && !only.some((part) => name.includes(part))) continue;
    const log = join(directory, 'exchanges.jsonl.gz');
    const writer = await createJsonLinesWriter(log);
    for await (const exchange of readExchanges([join(data, 'exchanges.jsonl.gz')])) {
      await writer.write(transform(exchange));
    }
    await writer.close();
    const out = join(directory, 'out');
    await analyze({
      inputs: [log],
      accounts: join(data, 'accounts.jsonl'),
      ipAsn: join(data, 'ip-asn.jsonl'),
      out,
      workers: 'auto',
    });
    const evaluation = spawnSync(
      process.execPath,
      [
        'dist/src/cli/main.js',
        'eval',
        '--truth',
        data,
        '--verdicts',
        join(out, 'verdicts.jsonl'),
        '--json',
      ],
      { encoding: 'utf8', maxBuffer: 64 << 20 },
    );
    const report = JSON.parse(evaluation.stdout) as {
      recall: { count: number; total: number };
      falsePositives: { count: number; total: number };
      leakage: { rate: number };
      timeToDetect: { medianCampaignMs: number | null };
      campaignAri: number;
    };
    rows.push([
      name,
      `${report.recall.count}/${report.recall.total}`,
      `${report.falsePositives.count}/${report.falsePositives.total}`,
      `${(report.leakage.rate * 100).toFixed(2)}%`,
      report.timeToDetect.medianCampaignMs === null
        ? '—'
        : `${Math.round(report.timeToDetect.medianCampaignMs / 1000)} s`,
      report.campaignAri.toFixed(3),
    ]);
    console.log(`| ${rows.at(-1)?.join(' | ')} |`);
  }
} finally {
  await rm(directory, { recursive: true, force: true });
}
console.log(`\n${data}`);
console.log('| variant | recall | false positives | leakage | median TTD | ARI |');
console.log('|---|---|---|---|---|---|');
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
