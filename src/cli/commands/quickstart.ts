import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { analyze } from '../../analyze/index.js';
import {
  evaluate,
  formatEvaluation,
  loadTruth,
  loadVerdicts,
  parseExchangeStamp,
} from '../../evaluate/index.js';
import { readJsonLines } from '../../log/index.js';
import { createProgress } from '../../shared/progress.js';
import { formatSummary, loadScenario, simulateToDirectory } from '../../simulate/index.js';
import { runGatewayDemo } from './gateway.js';

interface QuickstartOptions {
  out: string;
  scenario: string;
  seed: string;
  corpora?: string | false;
  gateway: boolean;
  gatewayScale: string;
  json?: boolean;
}

/**
 * The README's main job on the embedded default: simulate a scenario, replay it through the
 * detection engine, score the verdicts against the ground truth, then run the same engine live in
 * the gateway (demo upstream) while simulated operators react to throttling and suspension.
 */
export function registerQuickstartCommand(program: Command): void {
  program
    .command('quickstart')
    .description('simulate the quickstart scenario, analyze it and report what was caught')
    .option('--out <dir>', 'output directory', 'runs/quickstart')
    .option('--scenario <name|file>', 'scenario to simulate', 'quickstart')
    // Seed 1 is the detector's tuning seed; the quick start reports on a seed it was not tuned on.
    .option('--seed <n>', 'simulation seed', '2')
    .option('--corpora <dir>', 'real prompt corpora (default ../shared/corpora when present)')
    .option('--no-corpora', 'use only the built-in prompt generators')
    .option('--no-gateway', 'skip the live step: replaying traffic through the gateway')
    .option('--gateway-scale <f>', 'scale of the scenario replayed through the gateway', '0.05')
    .option('--json', 'print the evaluation as JSON (skips the gateway step)')
    .action(async (options: QuickstartOptions) => {
      const out = resolve(options.out);
      const analysis = join(out, 'analysis');
      const corpora =
        options.corpora === false
          ? null
          : (options.corpora ?? (existsSync('../shared/corpora') ? '../shared/corpora' : null));
      const scenario = await loadScenario(options.scenario);
      const simulating = createProgress({ label: 'simulate', unit: ' exchanges' });
      const summary = await simulateToDirectory(scenario, {
        out,
        seed: Number(options.seed),
        corpora,
        onProgress: (exchanges) => simulating.update(exchanges),
      });
      simulating.finish();
      const analyzing = createProgress({ label: 'analyze ', unit: ' exchanges' });
      const analyzed = await analyze({
        inputs: [join(out, 'exchanges.jsonl.gz')],
        accounts: join(out, 'accounts.jsonl'),
        ipAsn: join(out, 'ip-asn.jsonl'),
        out: analysis,
        onProgress: (exchanges) => analyzing.update(exchanges),
      });
      analyzing.finish();
      const truth = await loadTruth(out);
      const report = await evaluate({
        truth: truth.truth,
        truthExchanges: truth.truthExchanges,
        verdicts: await loadVerdicts(analyzed.outputs.verdicts),
        exchanges: truth.exchangesPath
          ? readJsonLines(truth.exchangesPath, parseExchangeStamp)
          : null,
        scenario: scenario.name,
      });
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify({ simulation: summary, analysis: analyzed, evaluation: report }, null, 2)}\n`,
        );
        return;
      }
      const rate = Math.round(analyzed.exchanges / Math.max(analyzed.elapsedMs / 1000, 0.001));
      process.stdout.write(
        [
          formatSummary(summary),
          '',
          `analyzed ${analyzed.exchanges} exchanges from ${analyzed.accounts} accounts in ${(analyzed.elapsedMs / 1000).toFixed(1)} s (${rate} exchanges/s): ` +
            `${analyzed.verdicts.attack} attack, ${analyzed.verdicts.suspect} suspect, ${analyzed.campaigns} campaigns`,
          '',
          formatEvaluation(report),
          '',
          `files: ${out}/ (simulated log and truth), ${analysis}/ (verdicts.jsonl, campaigns.json)`,
          `open ${analyzed.outputs.report} in a browser for the campaign report`,
          '',
        ].join('\n'),
      );
      if (!options.gateway) return;
      process.stdout.write(
        `\nlive: the gateway scores every request with the same engine and answers with the ladder\n`,
      );
      await runGatewayDemo({
        out: join(out, 'gateway'),
        scenario: options.scenario,
        seed: options.seed,
        scale: options.gatewayScale,
      });
    });
}
