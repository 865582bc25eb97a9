import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { createProgress } from '../../shared/progress.js';
import {
  BUILT_IN_SCENARIOS,
  EXCHANGE_GZIP_LEVEL,
  formatSummary,
  loadScenario,
  simulateToDirectory,
} from '../../simulate/index.js';

interface SimulateOptions {
  scenario: string;
  out: string;
  seed: string;
  corpora?: string | boolean;
  scale: string;
  gzipLevel: string;
  json?: boolean;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description(
      'Generate realistic API traffic with ground truth: customers (incl. hard negatives) and attack campaigns.',
    )
    .requiredOption(
      '--scenario <name|file>',
      `built-in (${BUILT_IN_SCENARIOS.join(', ')}) or a .json/.yaml file`,
    )
    .requiredOption('--out <dir>', 'output directory')
    .option('--seed <n>', 'PRNG seed (1 for tuning, 2 and 3 for reporting)', '1')
    .option(
      '--corpora <dir>',
      'draw prompts from the corpora in <dir> (default: ../shared/corpora when present)',
    )
    .option('--no-corpora', 'use the built-in prompt generator')
    .option('--scale <f>', 'multiply population sizes and volumes (e.g. 0.1)', '1')
    .option(
      '--gzip-level <n>',
      'gzip level of exchanges.jsonl.gz, 1 (fastest) to 9 (smallest)',
      String(EXCHANGE_GZIP_LEVEL),
    )
    .option('--json', 'print the summary as JSON')
    .action(async (options: SimulateOptions) => {
      const seed = Number(options.seed);
      const scale = Number(options.scale);
      if (!Number.isInteger(seed)) {
        throw new DistillguardError(
          'invalid_option',
          `--seed must be an integer, got "${options.seed}"`,
        );
      }
      if (!(scale > 0) || !Number.isFinite(scale)) {
        throw new DistillguardError(
          'invalid_option',
          `--scale must be a positive number, got "${options.scale}"`,
        );
      }
      const gzipLevel = Number(options.gzipLevel);
      if (!Number.isInteger(gzipLevel) || gzipLevel < 1 || gzipLevel > 9) {
        throw new DistillguardError(
          'invalid_option',
          `--gzip-level must be an integer from 1 to 9, got "${options.gzipLevel}"`,
        );
      }
      let corpora: string | null = null;
      if (typeof options.corpora === 'string') corpora = resolve(options.corpora);
      else if (options.corpora !== false) {
        const fallback = resolve('../shared/corpora');
        corpora = existsSync(fallback) ? fallback : null;
      }
      const scenario = await loadScenario(options.scenario);
      const progress = createProgress({
        label: `simulate ${scenario.name}`,
        unit: ' exch',
        enabled: !options.json && process.stderr.isTTY === true,
      });
      const startMs = Date.parse(scenario.start);
      const summary = await simulateToDirectory(scenario, {
        out: options.out,
        seed,
        corpora,
        scale,
        gzipLevel,
        onProgress: (exchanges, at) =>
          progress.update(
            exchanges,
            `day ${((at - startMs) / 86_400_000).toFixed(1)}/${scenario.days}`,
          ),
      });
      progress.finish();
      if (options.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else process.stdout.write(`${formatSummary(summary)}\n\nwrote ${resolve(options.out)}\n`);
    });
}
