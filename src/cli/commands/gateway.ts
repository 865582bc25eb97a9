import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  defaultWorkerCount,
  formatReplayTally,
  type GatewayCluster,
  type GatewayConfig,
  loadGatewayConfig,
  parseGatewayConfig,
  type ReplayTally,
  replaySimulation,
  startGatewayCluster,
  startGatewayServer,
} from '../../gateway/index.js';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { createSimulation, loadScenario } from '../../simulate/index.js';
import { createWatermarkKey } from '../../watermark/index.js';

interface GatewayCommandOptions {
  config?: string;
  demo?: boolean;
  scenario: string;
  seed: string;
  scale: string;
  limit?: string;
  out: string;
  json?: boolean;
  workers?: string;
}

/** One gateway in this process, in the cluster's shape. */
async function startSingle(
  config: GatewayConfig,
): Promise<Omit<GatewayCluster, 'workers' | 'engine'>> {
  const server = await startGatewayServer(config);
  return {
    url: server.url,
    demoUpstreamUrl: server.demoUpstreamUrl,
    adminToken: server.adminToken,
    recorder: server.gateway.recorder,
    close: () => server.close(),
  };
}

/** Drains on SIGTERM/SIGINT: stop accepting, finish responses, write every record, exit. */
function drainOnSignals(server: {
  close(): Promise<void>;
  recorder: { readonly written: number };
}): Promise<void> {
  return new Promise((resolveDone) => {
    const stop = (signal: string) => {
      process.stderr.write(`gateway: ${signal} received, draining…\n`);
      void server.close().then(() => {
        process.stderr.write(
          `gateway: drained, ${server.recorder.written} exchange records written\n`,
        );
        resolveDone();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}

export function registerGatewayCommand(program: Command): void {
  program
    .command('gateway')
    .description('run the protective gateway in front of an OpenAI/Anthropic-compatible upstream')
    .option('--config <file>', 'gateway config (JSON or YAML); see docs/gateway.md')
    .option(
      '--demo',
      'start on the embedded defaults with the DEMO upstream and replay a simulated scenario through it',
    )
    .option('--scenario <name|file>', 'scenario to replay with --demo', 'quickstart')
    .option('--seed <n>', 'simulation seed for --demo', '2')
    .option('--scale <x>', 'simulation scale for --demo', '0.05')
    .option('--limit <n>', 'stop the --demo replay after this many exchanges')
    .option('--out <dir>', 'where --demo keeps its DuckDB store', 'runs/gateway-demo')
    .option('--json', 'print the --demo summary as JSON')
    .option(
      '--workers <n>',
      `worker processes on the shared port (node:cluster); 1 runs in this process (default: one per core, ${defaultWorkerCount()} here)`,
    )
    .action(async (options: GatewayCommandOptions) => {
      if (options.demo) return runGatewayDemo(options);
      if (!options.config) {
        throw new DistillguardError(
          'gateway_config_required',
          'pass --config <file> (see docs/gateway.md), or --demo for the one-command demo.',
        );
      }
      const config = await loadGatewayConfig(options.config);
      const workers =
        options.workers === undefined ? defaultWorkerCount() : Number(options.workers);
      const server =
        workers === 1 ? await startSingle(config) : await startGatewayCluster(config, { workers });
      process.stderr.write(
        `gateway listening on ${server.url}${workers === 1 ? '' : ` (${workers} workers)`}\n`,
      );
      if (server.demoUpstreamUrl)
        process.stderr.write(
          `DEMO upstream (n-gram model, not a real LLM) on ${server.demoUpstreamUrl}\n`,
        );
      if (!process.env[config.admin_token_env])
        process.stderr.write(`admin token for this run: ${server.adminToken}\n`);
      await drainOnSignals(server);
    });
}

/** Options of the one-command gateway demo (`gateway --demo`, and the last step of `quickstart`). */
export type GatewayDemoOptions = Pick<
  GatewayCommandOptions,
  'out' | 'scenario' | 'seed' | 'scale' | 'limit' | 'json'
>;

/**
 * Starts the gateway on the embedded defaults with the demo upstream and replays a simulated
 * scenario through it over HTTP with the closed loop, printing the ladder's effect per group.
 */
export async function runGatewayDemo(options: GatewayDemoOptions): Promise<void> {
  const out = resolve(options.out);
  await mkdir(out, { recursive: true });
  // Each demo starts from an empty store, so its records are exactly this replay's.
  const databasePath = join(out, 'gateway.duckdb');
  // (and keys made by an earlier demo, hashed with its random secret, are useless: start clean).
  for (const path of [databasePath, join(out, 'control-plane.duckdb')]) {
    await rm(path, { force: true });
    await rm(`${path}.wal`, { force: true });
  }
  const config = parseGatewayConfig({
    listen: { host: '127.0.0.1', port: 0 },
    upstream: { demo: true, max_tokens_cap: 8 },
    store: { kind: 'duckdb', path: databasePath },
    trusted_proxies: ['127.0.0.1', '::1'],
    // A short replay needs a quicker ladder than production to show every rung.
    policy: { escalate_after: { account: 15, campaign: 60 }, challenge_attempts: 2 },
    // The demo prints its own tally: only errors as log lines, on stderr.
    observability: { logs: { level: 'error', destination: 'stderr' }, process_metrics: false },
  });
  // The gateway runs on simulated time so the engine sees the scenario's real cadence.
  let simulatedNow = 0;
  // The demo watermarks degraded answers under a master key that lives only in this process.
  const server = await startGatewayServer(config, {
    now: () => simulatedNow,
    warn: () => {},
    watermarkMasterKey: createWatermarkKey('master', randomBytes(32)),
  });
  process.stderr.write(
    `gateway on ${server.url}, DEMO upstream (n-gram model) on ${server.demoUpstreamUrl}\n`,
  );
  const scenario = await loadScenario(options.scenario);
  const simulation = createSimulation(scenario, {
    seed: Number(options.seed),
    scale: Number(options.scale),
  });
  const live = (tally: ReplayTally) => {
    const campaigns = tally.groups
      .filter((group) => group.group !== 'customers')
      .map(
        (group) =>
          `${group.group}: ${group.refused}/${group.exchanges} refused, ${group.actions.degrade} degraded, ${group.accountsSuspended} acc. suspended`,
      );
    const customers = tally.groups.find((group) => group.group === 'customers');
    const line = `${tally.simulatedTime?.slice(0, 16) ?? ''} | ${tally.exchanges} exch | customers ${customers?.refused ?? 0}/${customers?.exchanges ?? 0} refused | ${campaigns.join(' | ')}`;
    if (process.stderr.isTTY)
      process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns ?? 200) - 1)}`);
    else process.stderr.write(`${line}\n`);
  };
  let tally: ReplayTally;
  try {
    tally = await replaySimulation({
      simulation,
      gateway: server.gateway,
      url: server.url,
      setTime: (ms) => {
        simulatedNow = Math.max(simulatedNow, ms);
      },
      ...(options.limit ? { limit: Number(options.limit) } : {}),
      ...(options.json ? {} : { onProgress: live }),
    });
  } finally {
    await server.close();
  }
  if (process.stderr.isTTY && !options.json) process.stderr.write('\n');
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...tally, store: config.store }, null, 2)}\n`);
    return;
  }
  process.stdout.write(`\n${formatReplayTally(tally)}\n\n`);
  process.stdout.write(
    `${tally.exchanges} exchanges replayed through the gateway (${tally.skipped} skipped); records in ${'path' in config.store ? config.store.path : 'memory'}\n`,
  );
}
