import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DEFAULT_IDENTITY } from '../../gateway/identity/index.js';
import { type Harness, startHarness } from '../../gateway/test-harness.js';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
let directory = '';
let harness: Harness;

/** Runs the CLI in a child process (asynchronously: the gateway answers from this one). */
function runKeys(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [MAIN, 'keys', ...args], {
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'distillguard-keys-cli-'));
  harness = await startHarness({
    accounts: [],
    gatewayOptions: { identity: { ...DEFAULT_IDENTITY, mode: 'imported' } },
  });
});
after(async () => {
  await harness.close();
  await rm(directory, { recursive: true, force: true });
});

test('keys import: a gzipped JSON Lines file in batches, JSON summary', async () => {
  const file = join(directory, 'keys.jsonl.gz');
  const lines = ['sk-cli-key-0001', 'sk-cli-key-0002', 'sk-cli-key-0003'].map((key) =>
    JSON.stringify({ account_id: 'acct_cli', key }),
  );
  await writeFile(file, gzipSync(lines.join('\n')));
  const run = await runKeys(['import', file, '--gateway', harness.url, '--batch', '2', '--json'], {
    DISTILLGUARD_ADMIN_TOKEN: 'admin-token',
  });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), {
    created: 3,
    unchanged: 0,
    revoked: 0,
    total: 3,
    batches: 2,
  });
  assert.equal(harness.gateway.directory.listKeys('acct_cli').length, 3);
});

test('keys import: no admin token, or a bad line: exit 2 with a coded one-line error', async () => {
  const file = join(directory, 'bad.jsonl');
  await writeFile(
    file,
    `${JSON.stringify({ account_id: 'x', key: 'sk-cli-key-0009' })}\nnot json\n`,
  );
  const missing = await runKeys(['import', file, '--gateway', harness.url], {
    DISTILLGUARD_ADMIN_TOKEN: '',
  });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /^error \[admin_token_missing\]/);
  const bad = await runKeys(['import', file, '--gateway', harness.url], {
    DISTILLGUARD_ADMIN_TOKEN: 'admin-token',
  });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^error \[key_import_invalid\]: .*line 2: malformed_json/);
  assert.ok(!bad.stderr.includes('sk-cli'));
});
