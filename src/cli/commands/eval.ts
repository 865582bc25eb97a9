import type { Command } from 'commander';
import {
  type EvaluationReport,
  evaluate,
  type FlaggedVerdict,
  formatEvaluation,
  loadTruth,
  loadVerdicts,
  parseExchangeStamp,
  runClosedLoop,
} from '../../evaluate/index.js';
import { readJsonLines } from '../../log/index.js';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { createProgress, formatCount } from '../../shared/progress.js';

interface EvalOptions {
  truth?: string;
  verdicts?: string;
  exchanges?: string;
  closedLoop?: boolean;
  scenario?: string;
  seed?: string;
  scale?: string;
  enforce?: string;
  flag?: string;
  corpora?: string;
  json?: boolean;
}

/** `distillguard eval`: scores verdicts against ground truth, or runs the closed loop. */
export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description(
      'Score verdicts against ground truth (recall, false positives per customer group, leakage, time to detect, campaign ARI) or run the closed loop under enforcement.',
    )
    .option('--truth <dir|file>', 'a `simulate --out` directory (or its truth.jsonl)')
    .option('--verdicts <file>', 'verdicts.jsonl written by `analyze`')
    .option(
      '--exchanges <file>',
      'exchange log for leakage and time to detect (default: the one beside the truth)',
    )
    .option('--closed-loop', 'simulate, detect and enforce in one loop instead of scoring files')
    .option(
      '--scenario <name|file>',
      'scenario (closed loop), and whose targets to check (default seed-scale)',
    )
    .option('--seed <n>', 'closed loop: simulation seed', '1')
    .option('--scale <f>', 'closed loop: multiply population sizes', '1')
    .option('--enforce <mode>', 'closed loop: suspend | none', 'suspend')
    .option(
      '--corpora <dir>',
      'closed loop: prompt corpora directory (default: built-in prompt generator)',
    )
    .option('--flag <labels>', 'verdicts that count as a flag: attack | attack,suspect', 'attack')
    .option('--json', 'print the report as JSON (for scripts)')
    .addHelpText(
      'after',
      '\nExit status is 0 whether or not targets are met (read --json); 2 on bad input.\n' +
        'Examples:\n  distillguard eval --truth runs/qs --verdicts out/verdicts.jsonl\n' +
        '  distillguard eval --closed-loop --scenario quickstart --seed 2 --json',
    )
    .action(async (options: EvalOptions) => {
      const flaggedVerdicts = parseFlag(options.flag ?? 'attack');
      const report = options.closedLoop
        ? await closedLoop(options, flaggedVerdicts)
        : await replay(options, flaggedVerdicts);
      process.stdout.write(
        options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatEvaluation(report)}\n`,
      );
    });
}

async function replay(
  options: EvalOptions,
  flaggedVerdicts: FlaggedVerdict[],
): Promise<EvaluationReport> {
  if (options.truth === undefined || options.verdicts === undefined) {
    throw new DistillguardError(
      'eval_usage',
      'pass --truth <simulate output dir> and --verdicts <verdicts.jsonl>, or --closed-loop --scenario <name>',
    );
  }
  const { truth, truthExchanges, exchangesPath } = await loadTruth(options.truth);
  const verdicts = await loadVerdicts(options.verdicts);
  const logPath = options.exchanges ?? exchangesPath;
  const rejections: string[] = [];
  let rejected = 0;
  const progress = createProgress({ label: 'eval', unit: ' exchanges' });
  const report = await evaluate({
    truth,
    truthExchanges,
    verdicts,
    exchanges:
      logPath === null
        ? null
        : readJsonLines(logPath, parseExchangeStamp, {
            onReject: ({ file, line, reason }) => {
              rejected++;
              if (rejections.length < 20) rejections.push(`${file}:${line}: ${reason}`);
            },
          }),
    flaggedVerdicts,
    ...(options.scenario === undefined ? {} : { scenario: options.scenario }),
    onProgress: (exchanges) => progress.update(exchanges),
  });
  progress.finish();
  if (logPath === null) {
    process.stderr.write(
      'note: no exchange log beside the truth: leakage and time to detect not measured\n',
    );
  }
  for (const rejection of rejections) process.stderr.write(`${rejection}\n`);
  if (rejected > rejections.length) {
    process.stderr.write(`… ${formatCount(rejected - rejections.length)} more rejected lines\n`);
  }
  return report;
}

async function closedLoop(options: EvalOptions, flaggedVerdicts: FlaggedVerdict[]) {
  if (options.scenario === undefined) {
    throw new DistillguardError(
      'eval_usage',
      '--closed-loop needs --scenario <name|file> (e.g. quickstart)',
    );
  }
  const seed = Number(options.seed ?? '1');
  const scale = Number(options.scale ?? '1');
  if (!Number.isSafeInteger(seed)) {
    throw new DistillguardError('eval_usage', `--seed must be an integer, got ${options.seed}`);
  }
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new DistillguardError(
      'eval_usage',
      `--scale must be a positive number, got ${options.scale}`,
    );
  }
  const enforce = options.enforce ?? 'suspend';
  if (enforce !== 'suspend' && enforce !== 'none') {
    throw new DistillguardError('eval_usage', `--enforce must be suspend or none, got ${enforce}`);
  }
  const progress = createProgress({ label: 'closed loop', unit: ' events' });
  const report = await runClosedLoop({
    scenario: options.scenario,
    seed,
    scale,
    enforce,
    flaggedVerdicts,
    ...(options.corpora === undefined ? {} : { corpora: options.corpora }),
    onProgress: (events) => progress.update(events),
  });
  progress.finish();
  return report;
}

function parseFlag(value: string): FlaggedVerdict[] {
  const labels = value.split(',').map((label) => label.trim());
  if (labels.length === 0 || labels.some((label) => label !== 'attack' && label !== 'suspect')) {
    throw new DistillguardError(
      'eval_usage',
      `--flag must be attack or attack,suspect, got ${value}`,
    );
  }
  return [...new Set(labels)] as FlaggedVerdict[];
}
