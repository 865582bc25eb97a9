// Reproduces the efficacy table: simulate → analyze → eval for each row, one line of figures each.
// `node scripts/quality-matrix.mjs [--out runs/matrix] [row-filter]`, e.g. `… seed-scale`.
// Rows are the README's; seed 1 is the tuning seed, 2 and 3 the reported ones.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const ROWS = [
  ['quickstart', 1, 1],
  ['quickstart', 1, 2],
  ['quickstart', 1, 3],
  ['adaptive', 0.3, 2],
  ['adaptive', 0.3, 3],
  ['low-and-slow', 0.005, 2],
  ['low-and-slow', 0.005, 3],
  ['seed-scale', 0.02, 1],
  ['seed-scale', 0.02, 2],
  ['seed-scale', 0.02, 3],
];

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const root = outAt >= 0 ? args[outAt + 1] : 'runs/matrix';
// Without `--out`, outAt is -1: `outAt + 1` would drop the first argument (the filter) too.
const filter = args.filter(
  (_, position) => outAt < 0 || (position !== outAt && position !== outAt + 1),
)[0];
const cli = join('dist', 'src', 'cli', 'main.js');

const run = (command) => {
  const result = spawnSync(process.execPath, [cli, ...command], { encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 2) {
    throw new Error(`${command.join(' ')} failed (${result.status}): ${result.stderr}`);
  }
  return result.stdout;
};

const percent = (rate) => `${(rate * 100).toFixed(2)}%`;
const minutes = (ms) => (ms === null || ms === undefined ? '—' : `${Math.round(ms / 60_000)} min`);

for (const [scenario, scale, seed] of ROWS) {
  const name = `${scenario}-${scale}-${seed}`;
  if (filter && !name.includes(filter)) continue;
  const truth = join(root, name);
  const out = `${truth}-out`;
  mkdirSync(root, { recursive: true });
  if (!existsSync(join(truth, 'truth.jsonl'))) {
    run([
      'simulate',
      '--scenario',
      scenario,
      '--seed',
      `${seed}`,
      '--scale',
      `${scale}`,
      '--out',
      truth,
    ]);
  }
  const inputs = [join(truth, 'exchanges.jsonl.gz'), '--accounts', join(truth, 'accounts.jsonl')];
  if (existsSync(join(truth, 'ip-asn.jsonl'))) inputs.push('--ip-asn', join(truth, 'ip-asn.jsonl'));
  run(['analyze', ...inputs, '--out', out, '--json']);
  const report = JSON.parse(
    run(['eval', '--truth', truth, '--verdicts', join(out, 'verdicts.jsonl'), '--json']),
  );
  const worst = [...report.falsePositivesByGroup].sort(
    (a, b) => b.falsePositives.rate - a.falsePositives.rate,
  )[0];
  console.log(
    [
      name.padEnd(26),
      `recall ${percent(report.recall.rate)}`,
      `fp ${report.falsePositives.count}/${report.falsePositives.total}`,
      `worst ${worst ? `${worst.group} ${percent(worst.falsePositives.rate)}` : '—'}`,
      `leak ${percent(report.leakage.rate)}`,
      `ttd ${minutes(report.timeToDetect?.medianCampaignMs)}`,
      `ari ${report.campaignAri?.toFixed?.(3) ?? report.campaignAri}`,
    ].join('  '),
  );
}
