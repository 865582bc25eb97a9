// Fits the detection engine's model (issue 15 item 4, docs/detection.md#fitted-model) and writes
// src/detect/model/fitted-model.ts. Run after `npm run build`:
//   nice -n 10 node scripts/train-model.mjs [--cache /tmp/dg-model] [--dry-run]
// For each training log (simulated once, cached under --cache): replay it through the engine
// with the model off (the hand-set rules flag as usual) and record the features of every model
// evaluation of an account the rules have not flagged — the accounts the model is there for.
// Labels from truth.jsonl (resellers, label `mixed`, are left out). Threshold: two-fold by seed
// (fit on half the training seeds, score the other half), the lowest probability at which
// out-of-fold honest accounts flagged stay ≤ 0.05 % overall and ≤ 0.5 % in every honest group
// (half the bounds). The shipped model is then fitted on all training logs.
// Held out, never read here: seeds 2 and 3, and the cells human-volume and no-network+no-identity.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../dist/src/analyze/index.js';
import { FEATURE_NAMES, probability, trainBoostedTrees } from '../dist/src/detect/model/index.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : args[at + 1];
};
const cache = option('--cache', '/tmp/dg-model');
const dryRun = args.includes('--dry-run');

export const TRAIN_SEEDS = [10, 11, 12, 13, 14, 15, 16, 17];
export const TRAIN_CELLS = ['baseline', 'no-network', 'no-identity', 'no-wording', 'human-timing'];
const SEED_SCALE_SEEDS = [10];
const MIN_EXCHANGES = 3;
// Accounts scoring below this are not evaluated (cost). Chosen on seeds 10–17: of 405,774 training
// evaluations none at or above the threshold scored below 0.155, while a quarter of all
// evaluations (mostly chat users) scored below 0.15. Training samples are taken without it.
const MIN_SCORE = 0.12;
/** Evaluations kept per account (evenly spaced): long-lived accounts do not dominate. */
const MAX_PER_ACCOUNT = 24;
const TREE_OPTIONS = { trees: 80, depth: 3, learningRate: 0.15, lambda: 1, minChildWeight: 0.5 };
const FIT_SEED = 15;

/** A log: scenario, scale, seed → cached directory name (scripts/model-report.mjs uses the same). */
export const logName = (scenario, scale, seed) =>
  `${scenario.replace(':', '-').replace('+', '-and-')}-${scale}-${seed}`;

export function simulateCached(scenario, scale, seed) {
  const directory = join(cache, logName(scenario, scale, seed));
  if (existsSync(join(directory, 'truth.jsonl'))) return directory;
  mkdirSync(cache, { recursive: true });
  const result = spawnSync(process.execPath, [
    'dist/src/cli/main.js',
    'simulate',
    '--scenario',
    scenario,
    '--seed',
    `${seed}`,
    '--scale',
    `${scale}`,
    '--no-corpora',
    '--out',
    directory,
  ]);
  if (result.status !== 0) throw new Error(`simulate ${scenario} ${seed}: ${result.stderr}`);
  return directory;
}

const trainingLogs = () => {
  const logs = [];
  for (const seed of TRAIN_SEEDS) {
    logs.push({ scenario: 'quickstart', scale: 0.2, seed });
    for (const cell of TRAIN_CELLS) logs.push({ scenario: `evasion:${cell}`, scale: 0.03, seed });
  }
  for (const seed of SEED_SCALE_SEEDS) logs.push({ scenario: 'seed-scale', scale: 0.02, seed });
  return logs;
};

/** Tap-only model: never flags (threshold 1), so verdicts are the rules' alone. */
const TAP_ONLY = {
  model: { version: 1, features: [...FEATURE_NAMES], base: 0, trees: [] },
  threshold: 1,
  minExchanges: MIN_EXCHANGES,
  trainedOn: {},
};

/** Replays a log (features cached beside it); returns per-account evaluations { label, group, rows[] }. */
export async function collect(directory) {
  const cached = join(directory, 'model-features.json');
  if (existsSync(cached)) {
    const { features, entries } = JSON.parse(readFileSync(cached, 'utf8'));
    if (features.join() === FEATURE_NAMES.join())
      return new Map(
        entries.map(([id, entry]) => [
          id,
          { ...entry, rows: entry.rows.map((row) => Float64Array.from(row)) },
        ]),
      );
  }
  const accounts = await replay(directory);
  const plain = [...accounts].map(([id, entry]) => [
    id,
    { ...entry, rows: entry.rows.map((row) => Array.from(row)) },
  ]);
  writeFileSync(cached, JSON.stringify({ features: FEATURE_NAMES, entries: plain }));
  return accounts;
}

async function replay(directory) {
  const truth = new Map();
  for (const line of readFileSync(join(directory, 'truth.jsonl'), 'utf8').split('\n')) {
    if (line) {
      const row = JSON.parse(line);
      truth.set(row.account_id, row);
    }
  }
  const accounts = new Map();
  const tap = (state, features) => {
    let entry = accounts.get(state.id);
    if (!entry) {
      const row = truth.get(state.id);
      entry = { label: row?.label, group: row?.group ?? row?.campaign_id ?? null, rows: [] };
      accounts.set(state.id, entry);
    }
    entry.rows.push(Float64Array.from(features));
  };
  const inputs = [join(directory, 'exchanges.jsonl.gz')];
  await analyze({
    inputs,
    accounts: join(directory, 'accounts.jsonl'),
    ...(existsSync(join(directory, 'ip-asn.jsonl'))
      ? { ipAsn: join(directory, 'ip-asn.jsonl') }
      : {}),
    out: join(directory, 'tap-out'),
    workers: 0,
    detector: { model: { fitted: TAP_ONLY, tap } },
  });
  return accounts;
}

const thin = (rows) => {
  if (rows.length <= MAX_PER_ACCOUNT) return rows;
  const kept = [];
  for (let i = 0; i < MAX_PER_ACCOUNT; i += 1)
    kept.push(rows[Math.floor((i * (rows.length - 1)) / (MAX_PER_ACCOUNT - 1))]);
  return kept;
};

/** Samples weighted so each account counts once; attack and honest accounts weigh the same in total. */
function dataset(parts) {
  const rows = [];
  const labels = [];
  const weights = [];
  let attack = 0;
  let honest = 0;
  for (const accounts of parts)
    for (const entry of accounts.values()) {
      if (entry.label === 'attack') attack += 1;
      else if (entry.label === 'legit') honest += 1;
    }
  for (const accounts of parts)
    for (const entry of accounts.values()) {
      if (entry.label !== 'attack' && entry.label !== 'legit') continue;
      const kept = thin(entry.rows);
      const classWeight = entry.label === 'attack' ? honest / Math.max(1, attack) : 1;
      for (const row of kept) {
        rows.push(row);
        labels.push(entry.label === 'attack' ? 1 : 0);
        weights.push(classWeight / kept.length);
      }
    }
  return { rows, labels, weights };
}

const fit = (parts) => {
  const { rows, labels, weights } = dataset(parts);
  return trainBoostedTrees({
    features: [...FEATURE_NAMES],
    rows,
    labels,
    weights,
    seed: FIT_SEED,
    ...TREE_OPTIONS,
  });
};

/** Each account's highest probability over its evaluations. */
const peaks = (model, parts) => {
  const result = [];
  for (const accounts of parts)
    for (const entry of accounts.values()) {
      if (entry.label !== 'attack' && entry.label !== 'legit') continue;
      let peak = 0;
      for (const row of entry.rows) peak = Math.max(peak, probability(model, row));
      result.push({ label: entry.label, group: entry.group, peak });
    }
  return result;
};

const OVERALL_FP = 0.0005;
const GROUP_FP = 0.005;

/** Lowest threshold keeping honest flags within the bounds; with recall of attack accounts. */
function chooseThreshold(scored) {
  const honestByGroup = new Map();
  for (const row of scored)
    if (row.label === 'legit') {
      const list = honestByGroup.get(row.group) ?? [];
      list.push(row.peak);
      honestByGroup.set(row.group, list);
    }
  const honest = scored.filter((row) => row.label === 'legit').length;
  for (let threshold = 0.5; threshold < 0.9995; threshold += 0.0005) {
    let flagged = 0;
    let worst = 0;
    for (const peaksOf of honestByGroup.values()) {
      const over = peaksOf.filter((peak) => peak >= threshold).length;
      flagged += over;
      worst = Math.max(worst, over / peaksOf.length);
    }
    if (flagged / honest <= OVERALL_FP && worst <= GROUP_FP)
      return Math.round(threshold * 1e4) / 1e4;
  }
  return 0.9995;
}

function summary(scored, threshold) {
  const attack = scored.filter((row) => row.label === 'attack');
  const honest = scored.filter((row) => row.label === 'legit');
  const caught = attack.filter((row) => row.peak >= threshold).length;
  const wrong = honest.filter((row) => row.peak >= threshold).length;
  return `attack accounts unflagged by the rules caught ${caught}/${attack.length}, honest ${wrong}/${honest.length}`;
}

async function main() {
  const logs = trainingLogs();
  const collected = [];
  for (const log of logs) {
    const directory = simulateCached(log.scenario, log.scale, log.seed);
    const started = Date.now();
    const accounts = await collect(directory);
    let samples = 0;
    for (const entry of accounts.values()) samples += entry.rows.length;
    console.log(
      `${logName(log.scenario, log.scale, log.seed)}: ${accounts.size} accounts evaluated, ${samples} evaluations (${((Date.now() - started) / 1000).toFixed(0)} s)`,
    );
    collected.push({ ...log, accounts });
  }
  const half = (seeds) =>
    collected.filter((log) => seeds.includes(log.seed)).map((l) => l.accounts);
  const first = TRAIN_SEEDS.slice(0, TRAIN_SEEDS.length / 2);
  const second = TRAIN_SEEDS.slice(TRAIN_SEEDS.length / 2);
  const outOfFold = [
    ...peaks(fit(half(first)), half(second)),
    ...peaks(fit(half(second)), half(first)),
  ];
  const threshold = chooseThreshold(outOfFold);
  console.log(`threshold ${threshold} (out of fold: ${summary(outOfFold, threshold)})`);
  const model = fit(collected.map((log) => log.accounts));
  console.log(
    `in sample: ${summary(
      peaks(
        model,
        collected.map((l) => l.accounts),
      ),
      threshold,
    )}`,
  );
  const fitted = {
    model,
    threshold,
    minExchanges: MIN_EXCHANGES,
    minScore: MIN_SCORE,
    trainedOn: {
      script: 'scripts/train-model.mjs',
      logs: logs.map((log) => `${log.scenario}@${log.scale}#${log.seed}`),
      heldOut: 'seeds 2 and 3; cells evasion:human-volume and evasion:no-network+no-identity',
      ...TREE_OPTIONS,
      seed: FIT_SEED,
      maxPerAccount: MAX_PER_ACCOUNT,
      threshold: `two-fold by seed; honest flags <= ${OVERALL_FP * 100}% overall, <= ${GROUP_FP * 100}% per group`,
    },
  };
  if (dryRun) return;
  const file = 'src/detect/model/fitted-model.ts';
  writeFileSync(
    file,
    `import type { FittedModel } from './fitted-model-type.js';\n\n` +
      `/** The shipped model, written by \`node scripts/train-model.mjs\` (do not edit by hand). */\n` +
      `export const FITTED_MODEL: FittedModel = ${JSON.stringify(fitted)};\n`,
  );
  spawnSync('npx', ['biome', 'format', '--write', file], { stdio: 'inherit' });
  console.log(`wrote ${file}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
