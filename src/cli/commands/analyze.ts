import type { Command } from 'commander';
import { analyze } from '../../analyze/index.js';
import {
  createRejectionSummary,
  DEFAULT_REORDER_WINDOW_MS,
  LOG_FORMATS,
  type LogFormat,
} from '../../log/index.js';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { parseDuration } from '../../shared/parse-duration.js';
import { createProgress } from '../../shared/progress.js';

interface AnalyzeCommandOptions {
  accounts?: string;
  ipAsn?: string;
  out: string;
  peerIntel?: string;
  communityKeyFile?: string;
  json?: boolean;
  workers?: string;
  reorderWindow?: string;
  onDisorder?: string;
  format?: string;
  model?: string;
}

/** `distillguard analyze <files…> [--accounts <file>] [--ip-asn <file>] --out <dir> [--json] [--workers <n>]`. */
export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description(
      'Find distillation campaigns in exchange logs (log v1 JSONL, .gz, Parquet; LiteLLM, Portkey, Helicone, Langfuse, OpenTelemetry, Glasswally logs; the gateway DuckDB store): verdicts, campaigns, report',
    )
    .argument('<files...>', 'exchange log files, in any order: merged by time')
    .option(
      '--format <name>',
      `input format: ${LOG_FORMATS.join(', ')} (default auto: sniffed per file)`,
    )
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
      'worker threads for parsing and prompt analysis: auto (default: cores - 1, at most 3, the main thread helping; none below 4 MiB of input) or 0 for one thread; same verdicts',
    )
    // issue 16 (input order): the two options below and their use.
    .option(
      '--reorder-window <duration>',
      `how far back in time a file may step and still be streamed (e.g. 5s, 500ms); default ${DEFAULT_REORDER_WINDOW_MS / 1000}s`,
    )
    .option(
      '--on-disorder <sort|refuse>',
      'beyond the window: sort the input in a temp directory (default) or stop with log_out_of_order',
    )
    .option(
      '--model <on|off>',
      'the fitted model as one more evidence path (default off; env DISTILLGUARD_MODEL)',
    )
    .action(async (files: string[], options: AnalyzeCommandOptions) => {
      const model = options.model ?? process.env.DISTILLGUARD_MODEL ?? 'off';
      if (model !== 'on' && model !== 'off') {
        throw new DistillguardError('invalid_option', `--model must be on or off, got ${model}`);
      }
      const reorderWindow = parseDuration(
        options.reorderWindow ?? `${DEFAULT_REORDER_WINDOW_MS}ms`,
      );
      if (!reorderWindow.success) {
        throw new DistillguardError('invalid_option', `--reorder-window: ${reorderWindow.error}`);
      }
      const format = (options.format ?? 'auto') as LogFormat;
      if (!LOG_FORMATS.includes(format)) {
        throw new DistillguardError(
          'invalid_option',
          `--format must be one of ${LOG_FORMATS.join(', ')}, got ${options.format}`,
        );
      }
      const onDisorder = options.onDisorder ?? 'sort';
      if (onDisorder !== 'sort' && onDisorder !== 'refuse') {
        throw new DistillguardError(
          'invalid_option',
          `--on-disorder must be sort or refuse, got ${onDisorder}`,
        );
      }
      const peerIndicators = options.peerIntel
        ? // Loaded only when asked for: the intel module brings undici, DuckDB, ajv and yaml (~0.5
          // CPU-s of module loading on every run otherwise).
          await (await import('../../intel/index.js')).loadPeerIndicatorMatcher({
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
        format,
        out: options.out,
        ...(options.accounts ? { accounts: options.accounts } : {}),
        ...(options.ipAsn ? { ipAsn: options.ipAsn } : {}),
        detector: {
          ...(peerIndicators ? { peerIndicators } : {}),
          ...(model === 'on' ? { model: {} } : {}),
        },
        workers,
        reorderWindowMs: reorderWindow.value,
        onDisorder,
        onProgress: (exchanges) => progress.update(exchanges),
        onReject: (rejection) => rejections.add(rejection),
      }).finally(() => {
        progress.finish();
        // Also when nothing could be read (no_exchanges): the examples say why.
        if (rejections.total > 0) process.stderr.write(`${rejections.format()}\n`);
      });
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
          `duplicate exchanges dropped: ${summary.duplicateExchanges}${summary.sorted ? ' (input sorted by time first)' : ''}`,
          `wrote ${summary.outputs.verdicts}, ${summary.outputs.campaigns}, ${summary.outputs.report}`,
        ].join('\n') + '\n',
      );
    });
}
