import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { createSeededRandom, loadDefaultLanguageModel } from '../../language-model/index.js';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { createProgress } from '../../shared/progress.js';
import {
  AUDIT_PROMPTS,
  loadWatermarkKeys,
  type OpenRadioactivityReport,
  type RadioactivityReport,
  runOpenRadioactivityAudit,
  runRadioactivityAudit,
  type SchemeSettings,
  schemeFromSettings,
} from '../../watermark/index.js';

interface RadioactivityOptions extends SchemeSettings {
  suspect: string[];
  mode: string;
  texts?: string;
  keys: string;
  model: string;
  apiKeyEnv: string;
  prompts?: string;
  samples: string;
  maxTokens: string;
  alpha: string;
  seed: string;
  out?: string;
  json?: boolean;
}

/** `distillguard radioactivity`: was a suspect model trained on our watermarked outputs? */
export function registerRadioactivityCommand(program: Command): void {
  program
    .command('radioactivity')
    .description(
      'Audit suspect models (OpenAI-compatible endpoints) for watermark radioactivity: exact p-values, accounts named.',
    )
    .requiredOption('--suspect <url...>', 'base URL(s) of OpenAI-compatible APIs (…/v1)')
    .requiredOption(
      '--keys <file>',
      'key file (YAML/JSON; secrets from the file or the environment)',
    )
    .option(
      '--mode <mode>',
      'closed: prompt the suspect and score its answers; open: read texts through its /v1/completions prompt logprobs (echo, logprobs 1, max_tokens 0)',
      'closed',
    )
    .option(
      '--texts <file>',
      'open mode: neutral texts to read, one per line (default: unwatermarked answers of the built-in model to the prompts)',
    )
    .option('--model <name>', 'model name sent to the suspect', 'default')
    .option(
      '--api-key-env <variable>',
      'environment variable holding the suspect API key',
      'DISTILLGUARD_SUSPECT_API_KEY',
    )
    .option('--prompts <file>', 'audit prompts, one per line (default: built-in)')
    .option('--samples <n>', 'generations (open mode: default texts) per prompt', '8')
    .option('--max-tokens <n>', 'max tokens per generation', '256')
    .option(
      '--scheme <name>',
      'token scheme served: green-list (default), exponential, none',
      'green-list',
    )
    .option('--gamma <γ>', 'green-list: green fraction')
    .option('--delta <δ>', 'green-list: bias')
    .option('--context-width <h>', 'tokens of context hashed into the seed')
    .option('--self-hash', 'green-list: the candidate token is hashed too')
    .option('--alpha <a>', 'family-wise error rate over keys', '1e-6')
    .option('--seed <n>', 'seed of the reference generations', '1')
    .option('--out <file>', 'write the JSON evidence bundle here')
    .option('--json', 'print the evidence bundle(s) as JSON')
    .action(async (options: RadioactivityOptions) => {
      const keys = loadWatermarkKeys(options.keys);
      const scheme = schemeFromSettings(options);
      const prompts = options.prompts ? readLines(options.prompts) : AUDIT_PROMPTS;
      if (prompts.length === 0) {
        throw new DistillguardError('invalid_option', `${options.prompts} holds no prompt`);
      }
      const samplesPerPrompt = integer(options.samples, '--samples');
      const apiKey = process.env[options.apiKeyEnv];
      const reports: (RadioactivityReport | OpenRadioactivityReport)[] = [];
      if (options.mode !== 'closed' && options.mode !== 'open') {
        throw new DistillguardError(
          'invalid_option',
          `--mode must be closed or open, got "${options.mode}"`,
        );
      }
      if (options.mode === 'open') {
        if (!scheme) {
          throw new DistillguardError(
            'invalid_option',
            'open mode reads token predictions: pass a token --scheme (green-list or exponential)',
          );
        }
        const texts = options.texts ? readLines(options.texts) : undefined;
        if (texts?.length === 0) {
          throw new DistillguardError('invalid_option', `${options.texts} holds no text`);
        }
        for (const url of options.suspect) {
          const total = texts?.length ?? prompts.length * samplesPerPrompt;
          const progress = createProgress({
            label: `radioactivity (open) ${url}`,
            total,
            unit: ' texts',
            enabled: !options.json && process.stderr.isTTY === true,
          });
          const report = await runOpenRadioactivityAudit({
            url,
            model: options.model,
            ...(apiKey ? { apiKey } : {}),
            keys,
            scheme,
            referenceModel: loadDefaultLanguageModel(),
            ...(texts ? { texts } : {}),
            prompts,
            samplesPerPrompt,
            maxTokens: integer(options.maxTokens, '--max-tokens'),
            alpha: Number(options.alpha),
            random: createSeededRandom(integer(options.seed, '--seed')),
            onText: (done) => progress.update(done),
          });
          progress.finish();
          reports.push(report);
          if (!options.json) printReport(report);
        }
      }
      for (const url of options.mode === 'closed' ? options.suspect : []) {
        const progress = createProgress({
          label: `radioactivity ${url}`,
          total: prompts.length * samplesPerPrompt,
          unit: ' gen',
          enabled: !options.json && process.stderr.isTTY === true,
        });
        const report = await runRadioactivityAudit({
          url,
          model: options.model,
          ...(apiKey ? { apiKey } : {}),
          keys,
          ...(scheme ? { scheme } : {}),
          referenceModel: loadDefaultLanguageModel(),
          prompts,
          samplesPerPrompt,
          maxTokens: integer(options.maxTokens, '--max-tokens'),
          alpha: Number(options.alpha),
          random: createSeededRandom(integer(options.seed, '--seed')),
          onResponse: (done) => progress.update(done),
        });
        progress.finish();
        reports.push(report);
        if (!options.json) printReport(report);
      }
      const bundle = reports.length === 1 ? reports[0] : reports;
      if (options.out) writeFileSync(options.out, `${JSON.stringify(bundle, null, 2)}\n`);
      if (options.json) process.stdout.write(`${JSON.stringify(bundle, null, 2)}\n`);
    });
}

function readLines(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function printReport(report: RadioactivityReport | OpenRadioactivityReport): void {
  const open = 'mode' in report;
  const lines = [
    open
      ? `suspect ${report.suspect}: ${report.texts} texts read (open mode)`
      : `suspect ${report.suspect}: ${report.generations} generations`,
  ];
  for (const evidence of open ? [report.token] : [report.token, report.text]) {
    if (!evidence) continue;
    const best = evidence.keys[0];
    lines.push(
      `  ${evidence.watermark}: ${evidence.scoredPairs} pairs scored of ${evidence.distinctPairs}; ` +
        (best
          ? `best ${best.key} p=${best.pValue.toExponential(2)} (Holm ${best.adjustedPValue.toExponential(2)})`
          : 'no key'),
    );
  }
  lines.push(
    report.detected.length === 0
      ? '  verdict: no evidence of training on watermarked outputs'
      : `  verdict: trained on outputs served to ${report.detected.join(', ')}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

function integer(value: string, option: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) {
    throw new DistillguardError(
      'invalid_option',
      `${option} must be an integer ≥ 0, got "${value}"`,
    );
  }
  return parsed;
}
