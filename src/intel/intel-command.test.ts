import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCli } from '../cli/run-cli.js';
import { FIXTURE_SECRETS, fixtureCampaignsFile } from './fixture-campaigns.js';
import type { StixBundle } from './stix/stix-object.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const KEY = 'community key for the CLI test, long enough';

async function cli(args: string[], environment: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [MAIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...environment },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('distillguard intel (command line)', () => {
  let directory = '';
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'distillguard-intel-cli-'));
    await writeFile(join(directory, 'campaigns.json'), JSON.stringify(fixtureCampaignsFile()));
    await writeFile(join(directory, 'community.key'), KEY);
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('exports, validates and imports a bundle; the key never reaches the output', async () => {
    const bundle = join(directory, 'bundle.json');
    const keyFile = join(directory, 'community.key');
    const campaigns = join(directory, 'campaigns.json');
    const exportArguments = [
      '--campaigns',
      campaigns,
      '--out',
      bundle,
      '--community-key-file',
      keyFile,
    ];
    // In process (spawning the whole CLI costs seconds); the failure test below spawns it once.
    assert.equal(
      await runCli([
        'node',
        'distillguard',
        'intel',
        'export',
        ...exportArguments,
        '--producer',
        'Provider A',
      ]),
      0,
    );
    const text = await readFile(bundle, 'utf8');
    for (const secret of [KEY, ...Object.values(FIXTURE_SECRETS)])
      assert.ok(!text.includes(secret));
    const indicators = (JSON.parse(text) as StixBundle).objects.filter(
      (object) => object.type === 'indicator',
    );
    assert.equal(indicators.length, 13);
    assert.equal(await runCli(['node', 'distillguard', 'intel', 'validate', bundle]), 0);
    const into = join(directory, 'store');
    assert.equal(
      await runCli(['node', 'distillguard', 'intel', 'import', bundle, '--into', into]),
      0,
    );
    const [stored = ''] = await readdir(into);
    assert.match(stored, /^provider-a--.*\.json$/);
  });

  it('fails with a code and a way to fix it', async () => {
    const out = join(directory, 'x.json');
    const campaigns = join(directory, 'campaigns.json');
    const withoutKey = [
      'node',
      'distillguard',
      'intel',
      'export',
      '--campaigns',
      campaigns,
      '--out',
      out,
    ];
    assert.equal(await runCli(withoutKey), 2);
    await assert.rejects(readFile(out), 'nothing written without a key');
    await writeFile(
      join(directory, 'bad.json'),
      JSON.stringify({ type: 'bundle', id: 'bundle--1', objects: [] }),
    );
    const bad = await cli([
      'intel',
      'import',
      join(directory, 'bad.json'),
      '--into',
      join(directory, 'none'),
    ]);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /error \[intel_bundle_invalid\].*at \/id \(schema common\/identifier\.json#\/pattern\)/,
    );
    await assert.rejects(readdir(join(directory, 'none')), 'nothing imported');
  });
});
