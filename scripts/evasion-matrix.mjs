// Reproduces the evasion matrix (issue 15, docs/simulator.md#evasion-matrix): for each cell,
// simulate → analyze → eval, one line of figures each.
// `node scripts/evasion-matrix.mjs [--out runs/evasion] [--seed 2] [--scale 0.07] [cell-filter]`
// Seed 1 is the tuning seed; seeds 2 and 3 are the reported ones. At scale 0.07 a cell holds
// ~115k exchanges and ~1,700 accounts (analyze well under a minute on one core).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const CELLS = [
  'baseline',
  'no-network',
  'no-identity',
  'no-wording',
  'human-timing',
  'human-volume',
  'no-network+no-identity',
];

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = args[at + 1];
  args.splice(at, 2);
  return value;
};
const root = option('--out', 'runs/evasion');
const seed = Number(option('--seed', '2'));
const scale = Number(option('--scale', '0.07'));
const filter = args[0];
const cli = join('dist', 'src', 'cli', 'main.js');

const run = (command) => {
  const result = spawnSync(process.execPath, [cli, ...command], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0 && result.status !== 2) {
    throw new Error(`${command.join(' ')} failed (${result.status}): ${result.stderr}`);
  }
  return result.stdout;
};

const percent = (rate) => `${(rate * 100).toFixed(1)}%`;
const minutes = (ms) => (ms === null || ms === undefined ? '—' : `${Math.round(ms / 60_000)} min`);

console.log(`evasion matrix, seed ${seed}${seed === 1 ? ' (tuning seed)' : ''}, scale ${scale}`);
// `red-team`, `red-team-b` (and its `-mono` / `-sold` variants) and `red-team-c`
// (docs/simulator.md#red-team-campaigns) run only when named: the seven cells stay as they were.
const RED_TEAM_CELLS = [
  'red-team',
  'red-team-b',
  'red-team-b-mono',
  'red-team-b-sold',
  'red-team-c',
];
const RED_TEAM_B_GROUPS = ['enterprise_rollout', 'veteran_eval', 'course_org'];
const HANDOVER_GROUPS = [...RED_TEAM_B_GROUPS, 'veteran_move', 'sdk_fleet'];
/** The honest groups each named cell adds (printed even when clean). */
const CELL_GROUPS = {
  'red-team-b': RED_TEAM_B_GROUPS,
  'red-team-b-mono': HANDOVER_GROUPS,
  'red-team-b-sold': HANDOVER_GROUPS,
  'red-team-c': ['honest_aggregator', 'byok_chat', 'book_writer', 'eval_lab'],
};
const redTeam = RED_TEAM_CELLS.includes(filter);
for (const cell of redTeam ? [filter] : CELLS) {
  if (filter && !cell.includes(filter)) continue;
  const name = `${cell.replace('+', '-and-')}-${scale}-${seed}`;
  const truth = join(root, name);
  const out = `${truth}-out`;
  mkdirSync(root, { recursive: true });
  if (!existsSync(join(truth, 'truth.jsonl'))) {
    run([
      'simulate',
      '--scenario',
      `evasion:${cell}`,
      '--seed',
      `${seed}`,
      '--scale',
      `${scale}`,
      '--no-corpora',
      '--out',
      truth,
    ]);
  }
  const started = Date.now();
  const inputs = [join(truth, 'exchanges.jsonl.gz'), '--accounts', join(truth, 'accounts.jsonl')];
  if (existsSync(join(truth, 'ip-asn.jsonl'))) inputs.push('--ip-asn', join(truth, 'ip-asn.jsonl'));
  run(['analyze', ...inputs, '--out', out, '--json']);
  const seconds = (Date.now() - started) / 1000;
  const report = JSON.parse(
    run(['eval', '--truth', truth, '--verdicts', join(out, 'verdicts.jsonl'), '--json']),
  );
  const worst = [...report.falsePositivesByGroup].sort(
    (a, b) => b.falsePositives.rate - a.falsePositives.rate,
  )[0];
  const campaigns = (report.campaigns ?? report.byCampaign ?? [])
    .map((row) =>
      redTeam
        ? `${row.campaignId}:${percent(row.recall?.rate ?? 0)} (${row.recall?.count}/${row.recall?.total}, leak ${row.leakage ? percent(row.leakage.rate) : '—'}, ttd ${minutes(row.timeToDetectMs)})`
        : `${row.campaignId ?? row.campaign}:${percent(row.recall?.rate ?? 0)}`,
    )
    .join(' ');
  console.log(
    [
      cell.padEnd(24),
      `recall ${percent(report.recall.rate)}`,
      `fp ${report.falsePositives.count}/${report.falsePositives.total}`,
      `worst ${worst ? `${worst.group} ${percent(worst.falsePositives.rate)}` : '—'}`,
      `leak ${percent(report.leakage.rate)}`,
      `ttd ${minutes(report.timeToDetect?.medianCampaignMs)}`,
      `ari ${report.campaignAri?.toFixed?.(3) ?? report.campaignAri}`,
      `(${seconds.toFixed(0)} s)`,
    ].join('  '),
  );
  if (campaigns) console.log(`  ${campaigns}`.replaceAll(') ', ')\n  ')); // one per line for red-team
  if (CELL_GROUPS[cell]) {
    // Stolen keys and used aggregators are `mixed` (honest traffic goes on beside the harvest):
    // flagged ones are neither hit nor FP.
    const { count, total } = report.mixedFlagged;
    const mixed = cell.startsWith('red-team-b') ? 'stolen keys' : 'aggregators';
    console.log(`  ${mixed} (mixed) flagged: ${count}/${total}`);
    const groups = report.falsePositivesByGroup
      .filter((row) => row.falsePositives.count > 0 || CELL_GROUPS[cell].includes(row.group))
      .map((row) => `${row.group} ${row.falsePositives.count}/${row.falsePositives.total}`);
    console.log(`  customer FP by group: ${groups.join(', ')}`);
  }
}
