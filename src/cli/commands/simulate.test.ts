import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { registerSimulateCommand } from './simulate.js';

async function runSimulate(args: string[]): Promise<string> {
  const program = new Command('distillguard').exitOverride();
  registerSimulateCommand(program);
  const chunks: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'distillguard', 'simulate', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return chunks.join('');
}

describe('distillguard simulate', () => {
  it('writes the contract files and prints a JSON summary', async () => {
    const base = await mkdtemp(join(tmpdir(), 'distillguard-cli-'));
    const out = join(base, 'run');
    const printed = await runSimulate([
      '--scenario',
      'quickstart',
      '--out',
      out,
      '--scale',
      '0.02',
      '--no-corpora',
      '--json',
      '--seed',
      '3',
    ]);
    const summary = JSON.parse(printed) as {
      scenario: string;
      seed: number;
      promptSource: string;
      exchanges: number;
    };
    assert.equal(summary.scenario, 'quickstart');
    assert.equal(summary.seed, 3);
    assert.equal(summary.promptSource, 'built-in');
    assert.ok(summary.exchanges > 1000);
    for (const file of [
      'exchanges.jsonl.gz',
      'accounts.jsonl',
      'truth.jsonl',
      'truth-exchanges.jsonl',
      'ip-asn.jsonl',
    ]) {
      assert.ok(existsSync(join(out, file)), file);
    }
    await rm(base, { recursive: true, force: true });
  });

  const bad: [string, string[], string][] = [
    ['a non-integer seed', ['--seed', 'x'], 'invalid_option'],
    ['a zero scale', ['--scale', '0'], 'invalid_option'],
    ['a gzip level out of range', ['--gzip-level', '0'], 'invalid_option'],
    ['an unknown scenario', ['--scenario', 'nope'], 'scenario_not_found'],
  ];
  for (const [name, args, code] of bad) {
    it(`rejects ${name}`, async () => {
      const base = ['--scenario', 'quickstart', '--out', join(tmpdir(), 'unused'), '--no-corpora'];
      const merged = [...base];
      for (let index = 0; index < args.length; index += 2) {
        const at = merged.indexOf(args[index] as string);
        if (at >= 0) merged[at + 1] = args[index + 1] as string;
        else merged.push(args[index] as string, args[index + 1] as string);
      }
      await assert.rejects(runSimulate(merged), { code });
    });
  }
});
