import type { Command } from 'commander';
import { DistillguardError } from '../../shared/distillguard-error.js';

interface DetectCommandOptions {
  nats: string;
  stream?: string;
  subject?: string;
  bucket?: string;
  checkpoint: string;
  reorderWindowMs?: string;
  checkpointEvery?: string;
  ipAsn?: string;
  indicatorKeyEnv?: string;
  once?: boolean;
  json?: boolean;
  logLevel: string;
}

const positive = (value: string | undefined, flag: string): number | undefined => {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0)
    throw new DistillguardError('option_invalid', `${flag} must be a non-negative number`);
  return number;
};

/** `distillguard detect --nats <servers> --checkpoint <file>`: the one engine for a fleet. */
export function registerDetectCommand(program: Command): void {
  program
    .command('detect')
    .description(
      "Run the one detection engine over the fleet's exchange stream (NATS JetStream) and publish decisions to the gateways",
    )
    .option('--nats <servers>', 'NATS servers', '127.0.0.1:4222')
    .option('--stream <name>', 'JetStream stream (default DISTILLGUARD_EXCHANGES)')
    .option('--subject <subject>', 'subject gateways publish to (default distillguard.exchanges)')
    .option('--bucket <name>', 'KV bucket for decisions (default distillguard-decisions)')
    .requiredOption(
      '--checkpoint <file>',
      'checkpoint file (written every few minutes and on exit)',
    )
    .option('--reorder-window-ms <ms>', 'event-time reorder window across gateways (default 5000)')
    .option('--checkpoint-every <s>', 'seconds between checkpoints (default 300)')
    .option('--ip-asn <file>', 'IP→ASN table (JSONL rows { prefix, asn, asn_org, kind? })')
    .option(
      '--indicator-key-env <name>',
      "variable holding the key campaign indicators are hashed with (as the gateways' fleet.indicator_key_env)",
    )
    .option('--once', 'stop after the records in the stream at start (catch-up, recorded streams)')
    .option('--json', 'print the final figures as JSON')
    .option(
      '--log-level <level>',
      'JSON log lines on stderr (decisions, checkpoints, progress): silent, error, warn, info, debug',
      'info',
    )
    .action(async (options: DetectCommandOptions) => {
      const reorderWindowMs = positive(options.reorderWindowMs, '--reorder-window-ms');
      const checkpointEvery = positive(options.checkpointEvery, '--checkpoint-every');
      const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
      const level = levels.find((name) => name === options.logLevel);
      if (!level)
        throw new DistillguardError(
          'option_invalid',
          `--log-level must be one of ${levels.join(', ')}`,
        );
      let indicatorKey: string | undefined;
      if (options.indicatorKeyEnv) {
        indicatorKey = process.env[options.indicatorKeyEnv];
        if (!indicatorKey)
          throw new DistillguardError(
            'detect_indicator_key_missing',
            `${options.indicatorKeyEnv} is not set (--indicator-key-env names it).`,
          );
      }
      const { serveDetect } = await import('../../fleet/index.js');
      const { createLogger } = await import('../../shared/telemetry/index.js');
      const logger = createLogger({
        name: 'distillguard-detect',
        level,
        destination: process.stderr,
      });
      const controller = new AbortController();
      const abort = () => controller.abort();
      process.once('SIGTERM', abort);
      process.once('SIGINT', abort);
      try {
        const stats = await serveDetect({
          nats: options.nats,
          checkpoint: options.checkpoint,
          signal: controller.signal,
          once: options.once === true,
          logger,
          ...(options.stream === undefined ? {} : { stream: options.stream }),
          ...(options.subject === undefined ? {} : { subject: options.subject }),
          ...(options.bucket === undefined ? {} : { bucket: options.bucket }),
          ...(options.ipAsn === undefined ? {} : { ipAsn: options.ipAsn }),
          ...(indicatorKey === undefined ? {} : { indicatorKey }),
          ...(reorderWindowMs === undefined ? {} : { reorderWindowMs }),
          ...(checkpointEvery === undefined ? {} : { checkpointEveryMs: checkpointEvery * 1000 }),
          onStats: (figures) => {
            if (!options.json && process.stderr.isTTY)
              process.stderr.write(
                `\rdetect: sequence ${figures.sequence}, ${figures.decisionsPublished} decisions, ${figures.late} late`,
              );
          },
        });
        if (options.json) process.stdout.write(`${JSON.stringify(stats)}\n`);
        else
          process.stdout.write(
            `detect: applied ${stats.applied} records (${stats.replayed} replayed from checkpoint ${stats.restoredFrom}), up to sequence ${stats.sequence}; ${stats.decisionsPublished} decisions published, ${stats.late} late\n`,
          );
      } finally {
        process.off('SIGTERM', abort);
        process.off('SIGINT', abort);
      }
    });
}
