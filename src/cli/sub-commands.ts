import type { Command } from 'commander';

/** One `distillguard` sub-command: its name and help line, and how to load the rest of it. */
export interface SubCommand {
  name: string;
  /** How `distillguard --help` lists it (`analyze [options] <files...>`), as commander would. */
  term: string;
  /** The line shown by `distillguard --help`; the same text the command registers itself. */
  description: string;
  /** Imports the command's module (and through it its feature) only when the command runs. */
  load(): Promise<(program: Command) => void>;
}

/**
 * The sub-commands in help order (the CLI contract: docs/cli.md). Each module is loaded
 * only when its command is asked for, so `distillguard --help` does not load DuckDB, the engine
 * or the gateway.
 */
export const SUB_COMMANDS: readonly SubCommand[] = [
  {
    name: 'quickstart',
    term: 'quickstart [options]',
    description: 'simulate the quickstart scenario, analyze it and report what was caught',
    load: async () => (await import('./commands/quickstart.js')).registerQuickstartCommand,
  },
  {
    name: 'simulate',
    term: 'simulate [options]',
    description:
      'Generate realistic API traffic with ground truth: customers (incl. hard negatives) and attack campaigns.',
    load: async () => (await import('./commands/simulate.js')).registerSimulateCommand,
  },
  {
    name: 'analyze',
    term: 'analyze [options] <files...>',
    description:
      'Find distillation campaigns in exchange logs (log v1 JSONL, .gz, Parquet; LiteLLM, Portkey, Helicone, Langfuse, OpenTelemetry, Glasswally logs; the gateway DuckDB store): verdicts, campaigns, report',
    load: async () => (await import('./commands/analyze.js')).registerAnalyzeCommand,
  },
  {
    name: 'eval',
    term: 'eval [options]',
    description:
      'Score verdicts against ground truth (recall, false positives per customer group, leakage, time to detect, campaign ARI) or run the closed loop under enforcement.',
    load: async () => (await import('./commands/eval.js')).registerEvalCommand,
  },
  {
    name: 'gateway',
    term: 'gateway [options]',
    description: 'run the protective gateway in front of an OpenAI/Anthropic-compatible upstream',
    load: async () => (await import('./commands/gateway.js')).registerGatewayCommand,
  },
  {
    name: 'keys',
    term: 'keys',
    description:
      "Import existing customer API keys (their SHA-256) into a running gateway's control plane.",
    load: async () => (await import('./commands/keys.js')).registerKeysCommand,
  },
  {
    name: 'detect',
    term: 'detect [options]',
    description:
      "Run the one detection engine over the fleet's exchange stream (NATS JetStream) and publish decisions to the gateways",
    load: async () => (await import('./commands/detect.js')).registerDetectCommand,
  },
  {
    name: 'apply',
    term: 'apply [options] <verdicts> <campaigns>',
    description:
      "Push analyze's verdicts and campaigns to running gateways as ladder decisions (idempotent, audited)",
    load: async () => (await import('./commands/apply.js')).registerApplyCommand,
  },
  {
    name: 'watermark',
    term: 'watermark',
    description: 'Keyed watermarks on served text: detect them, embed them, demo them.',
    load: async () => (await import('./commands/watermark.js')).registerWatermarkCommand,
  },
  {
    name: 'radioactivity',
    term: 'radioactivity [options]',
    description:
      'Audit suspect models (OpenAI-compatible endpoints) for watermark radioactivity: exact p-values, accounts named.',
    load: async () => (await import('./commands/radioactivity.js')).registerRadioactivityCommand,
  },
  {
    name: 'intel',
    term: 'intel',
    description:
      "share distillation indicators: STIX 2.1 bundles, a TAXII 2.1 server, import of peers' intelligence",
    load: async () => (await import('./commands/intel.js')).registerIntelCommand,
  },
];

/**
 * The sub-command an argument list asks for (`analyze …`, `help analyze`), or undefined for the
 * program itself (`--help`, `--version`, nothing). The program has no options of its own that
 * take a value, so the first non-option argument names the command.
 */
export function requestedSubCommand(args: readonly string[]): string | undefined {
  const [first, second] = args.filter((arg) => !arg.startsWith('-'));
  return first === 'help' ? second : first;
}
