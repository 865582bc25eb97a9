import type { Command } from 'commander';
import { analyze } from '../../analyze/index.js';
import { loadPeerIndicatorMatcher } from '../../intel/index.js';
import { createRejectionSummary } from '../../log/index.js';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { createProgress } from '../../shared/progress.js';

interface AnalyzeCommandOptions {
  accounts?: string;
  ipAsn?: string;
  out: string;
  peerIntel?: string;
  communityKeyFile?: string;
  json?: boolean;
  workers?: string;
}

/** `distillguard analyze <files…> [--accounts <file>] [--ip-asn <file>] --out <dir> [--json] [--workers <n>]`. */
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
    .option(
      '--peer-intel <dir>',
      "peers' indicators imported by `distillguard intel import --into`",
    )
    .option('--community-key-file <file>', 'sharing community key for keyed peer indicators')
    .option('--json', 'print the summary as JSON')
    .option(
      '--workers <n>',
      'worker threads for parsing and prompt analysis: auto (default: cores - 1, at most 3, the main thread helping) or 0 for one thread; same verdicts',
    )
    .action(async (files: string[], options: AnalyzeCommandOptions) => {
      const peerIndicators = options.peerIntel
        ? await loadPeerIndicatorMatcher({
            directory: options.peerIntel,
            communityKeyFile: options.communityKeyFile,
            // A replay of history keeps indicators that have expired since: their validity is
            // judged against the logs' time, which precedes today. The live gateway drops them.
            now: new Date(0),
          })
        : undefined;
      if (options.peerIntel && !peerIndicators) {
        throw new DistillguardError(
          'peer_intel_empty',
          `${options.peerIntel} holds no imported intelligence: run \`distillguard intel import <bundle|url> --into ${options.peerIntel}\` first`,
        );
      }
      const progress = createProgress({
        label: 'analyze',
        unit: ' exchanges',
        enabled: !options.json && process.stderr.isTTY === true,
      });
      const rejections = createRejectionSummary(20);
      const workers =
        options.workers === undefined || options.workers === 'auto'
          ? 'auto'
          : Number(options.workers);
      if (workers !== 'auto' && (!Number.isInteger(workers) || workers < 0 || workers > 64)) {
        throw new DistillguardError(
          'invalid_option',
          `--workers must be auto or an integer from 0 to 64, got ${options.workers}`,
        );
      }
      const summary = await analyze({
        inputs: files,
        out: options.out,
        ...(options.accounts ? { accounts: options.accounts } : {}),
        ...(options.ipAsn ? { ipAsn: options.ipAsn } : {}),
        ...(peerIndicators ? { detector: { peerIndicators } } : {}),
        workers,
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
