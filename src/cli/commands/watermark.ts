import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createSeededRandom, loadDefaultLanguageModel } from '../../language-model/index.js';
import { DistillguardError } from '../../shared/distillguard-error.js';
import {
  createTextWatermarkStage,
  createWatermarkHook,
  deriveAccountKey,
  detectTokenWatermark,
  detectWatermarksInFile,
  loadWatermarkKeys,
  MASTER_KEY_VARIABLE,
  readMasterKey,
  type SchemeSettings,
  schemeFromSettings,
  type WatermarkKey,
} from '../../watermark/index.js';

interface DetectOptions extends SchemeSettings {
  keys: string;
  text: boolean;
  window: string;
  alpha: string;
  json?: boolean;
}

interface KeyChoice {
  account?: string;
  epoch: string;
}

const SCHEME_HELP = 'token scheme: green-list (default), exponential, or none (text level only)';

/** `distillguard watermark detect|embed|generate`: thin adapters over src/watermark. */
export function registerWatermarkCommand(program: Command): void {
  const watermark = program
    .command('watermark')
    .description('Keyed watermarks on served text: detect them, embed them, demo them.');

  watermark
    .command('detect <file>')
    .description(
      'Test texts (.txt, or .jsonl[.gz] of exchanges / {text} / {token_ids}) for the watermarks of many keys.',
    )
    .requiredOption(
      '--keys <file>',
      'key file (YAML/JSON; secrets from the file or the environment)',
    )
    .option('--scheme <name>', SCHEME_HELP, 'green-list')
    .option('--gamma <γ>', 'green-list: green fraction')
    .option('--delta <δ>', 'green-list: bias (not needed to detect; kept for symmetry)')
    .option('--context-width <h>', 'tokens of context hashed into the seed')
    .option('--self-hash', 'green-list: the candidate token is hashed too')
    .option('--no-text', 'skip the text-level (lexical) watermark')
    .option('--window <n>', 'window size in scored tokens for mixed text (0 = whole text)', '200')
    .option('--alpha <a>', 'family-wise error rate per record', '1e-6')
    .option('--json', 'print the full report as JSON')
    .action(async (file: string, options: DetectOptions) => {
      const keys = loadWatermarkKeys(options.keys);
      const scheme = schemeFromSettings(options);
      const report = await detectWatermarksInFile(file, {
        keys,
        ...(scheme ? { scheme } : {}),
        tokenizer: loadDefaultLanguageModel(),
        text: options.text,
        alpha: positiveNumber(options.alpha, '--alpha'),
        windowSize: positiveNumber(options.window, '--window', true),
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      const flagged = report.results.filter((result) => result.detected.length > 0);
      process.stdout.write(
        `${report.records} record(s), ${report.keysTested} key(s), levels ${report.levels.join('+')}, ` +
          `Holm-Bonferroni per record at alpha ${report.alpha}\n`,
      );
      for (const result of flagged.slice(0, 50)) {
        const best = result.best!;
        process.stdout.write(
          `  ${result.id}: ${result.detected.join(', ')} (${best.level}, ${best.scored} scored, p=${best.pValue.toExponential(2)})\n`,
        );
      }
      if (flagged.length > 50)
        process.stdout.write(`  … ${flagged.length - 50} more (use --json)\n`);
      const counts = Object.entries(report.detectedCounts);
      process.stdout.write(
        counts.length === 0
          ? 'no watermark detected\n'
          : `detected: ${counts.map(([name, count]) => `${name} (${count})`).join(', ')}\n`,
      );
    });

  watermark
    .command('embed [file]')
    .description(
      `Apply the text-level watermark to a text file or stdin (master key from $${MASTER_KEY_VARIABLE}).`,
    )
    .option('--account <id>', 'use the account key derived from the master key')
    .option('--epoch <n>', 'key epoch of the account key', '0')
    .option('--out <file>', 'write here instead of stdout')
    .option('--json', 'print the substitution statistics as JSON on stderr')
    .action((file: string | undefined, options: KeyChoice & { out?: string; json?: boolean }) => {
      const key = chooseKey(options);
      const stage = createTextWatermarkStage({ key });
      const input = readFileSync(file ?? 0, 'utf8');
      const output = stage.push(input) + stage.flush();
      if (options.out) writeFileSync(options.out, output);
      else process.stdout.write(output);
      const stats = stage.stats();
      process.stderr.write(
        options.json
          ? `${JSON.stringify(stats)}\n`
          : `${stats.substitutions} substitution(s) in ${stats.words} words (rate ${(100 * stats.substitutionRate).toFixed(2)}%)\n`,
      );
    });

  watermark
    .command('generate')
    .description('Demo: the built-in model writes a token-watermarked answer, then detects it.')
    .option('--prompt <text>', 'prompt', 'How do I bake bread?')
    .option('--tokens <n>', 'tokens to generate', '200')
    .option('--seed <n>', 'sampling seed', '1')
    .option('--account <id>', 'use the account key derived from the master key')
    .option('--epoch <n>', 'key epoch of the account key', '0')
    .option('--scheme <name>', 'green-list (default) or exponential', 'green-list')
    .option('--gamma <γ>', 'green-list: green fraction')
    .option('--delta <δ>', 'green-list: bias')
    .option('--context-width <h>', 'tokens of context hashed into the seed')
    .option('--self-hash', 'green-list: the candidate token is hashed too')
    .option('--json', 'print text and detection as JSON')
    .action(
      (
        options: KeyChoice &
          SchemeSettings & { prompt: string; tokens: string; seed: string; json?: boolean },
      ) => {
        const scheme = schemeFromSettings(options);
        if (!scheme) {
          throw new DistillguardError('invalid_option', 'generate needs a token scheme, not none');
        }
        const key = chooseKey(options);
        const model = loadDefaultLanguageModel();
        const ids = [
          ...model.generate({
            prompt: options.prompt,
            maxTokens: positiveNumber(options.tokens, '--tokens'),
            random: createSeededRandom(positiveNumber(options.seed, '--seed', true)),
            logitsHook: createWatermarkHook(scheme, key),
          }),
        ];
        const detection = detectTokenWatermark(ids, scheme, key);
        const text = model.decode(ids);
        if (options.json) {
          process.stdout.write(
            `${JSON.stringify({ key: key.name, scheme, text, detection }, null, 2)}\n`,
          );
          return;
        }
        process.stdout.write(
          `${text}\n\n[${key.name}] ${detection.scored} scored tokens, p=${detection.pValue.toExponential(2)}\n`,
        );
      },
    );
}

function chooseKey({ account, epoch }: KeyChoice): WatermarkKey {
  const master = readMasterKey();
  return account === undefined
    ? master
    : deriveAccountKey(master, account, positiveNumber(epoch, '--epoch', true));
}

function positiveNumber(value: string, option: string, allowZero = false): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || (!allowZero && parsed === 0)) {
    throw new DistillguardError(
      'invalid_option',
      `${option} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${value}"`,
    );
  }
  return parsed;
}
