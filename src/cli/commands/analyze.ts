import type { Command } from 'commander';
import { analyze } from '../../detect/index.js';
import { createRejectionSummary } from '../../log/index.js';
import { createProgress } from '../../shared/progress.js';

interface AnalyzeCommandOptions {
  accounts?: string;
  ipAsn?: string;
  out: string;
  json?: boolean;
}

/** `distillguard analyze <files…> [--accounts <file>] [--ip-asn <file>] --out <dir> [--json]`. */
export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description(
      'Find distillation campaigns in exchange logs (JSONL, .gz, Parquet): verdicts, campaigns, report',
    )
    .argument('<files...>', 'exchange log files, in time order')
    .option('--accounts <file>', 'account records (accounts.jsonl)')
    .option('--ip-asn <file>', 'IP→ASN table (JSONL rows { prefix, asn, asn_org, kind? })')
    .requiredOption('--out <dir>', 'output directory (verdicts.jsonl, campaigns.json, report.html)')
    .option('--json', 'print the summary as JSON')
    .action(async (files: string[], options: AnalyzeCommandOptions) => {
      const progress = createProgress({
        label: 'analyze',
        unit: ' exchanges',
        enabled: !options.json && process.stderr.isTTY === true,
      });
      const rejections = createRejectionSummary(20);
      const summary = await analyze({
        inputs: files,
        out: options.out,
        ...(options.accounts ? { accounts: options.accounts } : {}),
        ...(options.ipAsn ? { ipAsn: options.ipAsn } : {}),
        onProgress: (exchanges) => progress.update(exchanges),
        onReject: (rejection) => rejections.add(rejection),
      });
      progress.finish();
      if (rejections.total > 0) process.stderr.write(`${rejections.format()}\n`);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        return;
      }
      const rate =
        summary.elapsedMs > 0 ? Math.round((summary.exchanges * 1000) / summary.elapsedMs) : 0;
      process.stdout.write(
        [
          `analysed ${summary.exchanges} exchanges from ${summary.accounts} accounts in ${(summary.elapsedMs / 1000).toFixed(1)} s (${rate}/s)`,
          `verdicts: ${summary.verdicts.attack} attack, ${summary.verdicts.suspect} suspect, ${summary.verdicts.clean} clean`,
          `campaigns: ${summary.campaigns}`,
          `rejected lines: ${summary.rejectedLines}`,
          `wrote ${summary.outputs.verdicts}, ${summary.outputs.campaigns}, ${summary.outputs.report}`,
        ].join('\n') + '\n',
      );
    });
}
