import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import type { Command } from 'commander';
import { pushKeyImports } from '../../gateway/identity/index.js';
import { DistillguardError } from '../../shared/distillguard-error.js';

interface ImportOptions {
  gateway: string;
  adminTokenEnv: string;
  batch: string;
  actor: string;
  json?: boolean;
}

/** `distillguard keys import`: existing customer keys into a running gateway (docs/gateway.md). */
export function registerKeysCommand(program: Command): void {
  const keys = program
    .command('keys')
    .description(
      "Import existing customer API keys (their SHA-256) into a running gateway's control plane.",
    );
  keys
    .command('import')
    .description(
      'send a JSON Lines or JSON array file of { account_id, key_sha256 | key } to POST /admin/keys/import',
    )
    .argument('<file>', 'the export (.jsonl, .json, or either gzipped)')
    .requiredOption('--gateway <url>', 'the gateway base URL, e.g. http://gateway:8080')
    .option(
      '--admin-token-env <name>',
      'environment variable holding the admin token',
      'DISTILLGUARD_ADMIN_TOKEN',
    )
    .option('--batch <n>', 'entries per request (each is all or nothing)', '5000')
    .option('--actor <name>', 'who the audit trail names', 'cli')
    .option('--json', 'print a JSON summary')
    .action(async (file: string, options: ImportOptions) => {
      const adminToken = process.env[options.adminTokenEnv];
      if (!adminToken)
        throw new DistillguardError(
          'admin_token_missing',
          `set ${options.adminTokenEnv} to the gateway's admin token (or name another variable with --admin-token-env).`,
        );
      const batchSize = Number(options.batch);
      if (!Number.isInteger(batchSize) || batchSize < 1)
        throw new DistillguardError('invalid_option', '--batch must be a positive integer.');
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch {
        throw new DistillguardError('input_missing', `cannot read ${file}.`, { path: file });
      }
      const body = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
      const totals = await pushKeyImports({
        body,
        gateway: options.gateway,
        adminToken,
        batchSize,
        actor: options.actor,
      });
      process.stdout.write(
        options.json
          ? `${JSON.stringify(totals)}\n`
          : `keys import: ${totals.total} entries in ${totals.batches} batch(es): ${totals.created} created, ${totals.unchanged} unchanged, ${totals.revoked} revoked\n`,
      );
    });
}
