// Held-out figures for the fitted model (docs/detection.md#fitted-model): each log analysed with
// the hand-set rules alone (`--model off`) and with the model as one more evidence path
// (`--model on`), scored by `eval`. Run after `npm run build`:
//   nice -n 10 node scripts/model-report.mjs [--cache /tmp/dg-model] [--seeds 2,3] [filter]
// Logs (simulated once, cached): quickstart at scale 0.2, seed-scale at 0.02, and the evasion cells at 0.03 — the
// two cells the model never saw (human-volume, no-network+no-identity) and two it was trained
// on (other seeds), and seed-scale at 0.02. Seeds 2 and 3 were never used for training.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = args[at + 1];
  args.splice(at, 2);
  return value;
};
const cache = option('--cache', '/tmp/dg-model');
const seeds = option('--seeds', '2,3').split(',').map(Number);
const models = option('--models', 'off,on').split(',');
// `--reuse`: keep an earlier run's verdicts of the same build (e.g. the rules alone, while the model is refitted).
const reuse = args.includes('--reuse');
if (reuse) args.splice(args.indexOf('--reuse'), 1);
const filter = args[0];
const cli = join('dist', 'src', 'cli', 'main.js');

const LOGS = [
  ['evasion:human-volume', 0.03, 'held-out cell'],
  ['evasion:no-network+no-identity', 0.03, 'held-out cell'],
  ['evasion:baseline', 0.03, 'trained cell'],
  ['evasion:no-identity', 0.03, 'trained cell'],
  ['quickstart', 0.2, 'trained scenario'],
  ['seed-scale', 0.02, 'trained scenario'],
];

const run = (command, env = {}) => {
  const result = spawnSync(process.execPath, [cli, ...command], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, ...env },
  });
  if (result.status !== 0)
    throw new Error(`${command.join(' ')} (${result.status}): ${result.stderr}`);
  return result.stdout;
};
const percent = (rate) => `${(rate * 100).toFixed(1)}%`;
const minutes = (ms) => (ms === null || ms === undefined ? '—' : `${Math.round(ms / 60_000)} min`);
const name = (scenario, scale, seed) =>
  `${scenario.replace(':', '-').replace('+', '-and-')}-${scale}-${seed}`;

console.log(`fitted model, held-out seeds ${seeds.join(', ')}: rules alone vs rules + model`);
for (const seed of seeds) {
  for (const [scenario, scale, kind] of LOGS) {
    if (filter && !scenario.includes(filter)) continue;
    const truth = join(cache, name(scenario, scale, seed));
    if (!existsSync(join(truth, 'truth.jsonl'))) {
      mkdirSync(cache, { recursive: true });
      run([
        'simulate',
        '--scenario',
        scenario,
        '--seed',
        `${seed}`,
        '--scale',
        `${scale}`,
        '--no-corpora',
        '--out',
        truth,
      ]);
    }
    console.log(`${scenario} seed ${seed} scale ${scale} (${kind})`);
    for (const model of models) {
      const out = `${truth}-model-${model}`;
      const inputs = [
        join(truth, 'exchanges.jsonl.gz'),
        '--accounts',
        join(truth, 'accounts.jsonl'),
      ];
      if (existsSync(join(truth, 'ip-asn.jsonl')))
        inputs.push('--ip-asn', join(truth, 'ip-asn.jsonl'));
      if (!reuse || !existsSync(join(out, 'verdicts.jsonl')))
        run(['analyze', ...inputs, '--out', out, '--workers', '0', '--model', model]);
      const report = JSON.parse(
        run(['eval', '--truth', truth, '--verdicts', join(out, 'verdicts.jsonl'), '--json']),
      );
      const groups = report.falsePositivesByGroup
        .filter((row) => row.falsePositives.count > 0)
        .map((row) => `${row.group} ${row.falsePositives.count}/${row.falsePositives.total}`)
        .join(', ');
      console.log(
        [
          `  ${model === 'off' ? 'rules       ' : 'rules+model '}`,
          `recall ${percent(report.recall.rate)} (${report.recall.count}/${report.recall.total})`,
          `fp ${report.falsePositives.count}/${report.falsePositives.total}`,
          `leak ${percent(report.leakage.rate)}`,
          `ttd ${minutes(report.timeToDetect?.medianCampaignMs)}`,
          `ari ${report.campaignAri?.toFixed?.(3) ?? report.campaignAri}`,
          groups ? `fp groups: ${groups}` : 'fp groups: none',
        ].join('  '),
      );
    }
  }
}
