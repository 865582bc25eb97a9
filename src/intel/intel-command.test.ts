import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { FIXTURE_SECRETS, fixtureCampaignsFile } from './fixture-campaigns.js';

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
    const exported = await cli([
      'intel',
      'export',
      '--campaigns',
      join(directory, 'campaigns.json'),
      '--out',
      bundle,
      '--community-key-file',
      join(directory, 'community.key'),
      '--producer',
      'Provider A',
      '--json',
    ]);
    assert.equal(exported.code, 0, exported.stderr);
    const summary = JSON.parse(exported.stdout) as { bundles: { indicators: number }[] };
    assert.equal(summary.bundles[0]?.indicators, 13);
    const text = await readFile(bundle, 'utf8');
    for (const secret of [KEY, ...Object.values(FIXTURE_SECRETS)])
      assert.ok(!text.includes(secret));
    assert.ok(!exported.stdout.includes(KEY) && !exported.stderr.includes(KEY));

    const validated = await cli(['intel', 'validate', bundle]);
    assert.match(validated.stdout, /valid STIX 2\.1/);

    const into = join(directory, 'store');
    const imported = await cli(['intel', 'import', bundle, '--into', into, '--json']);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal((JSON.parse(imported.stdout) as { source: string }).source, 'Provider A');
    assert.equal((await readdir(into)).length, 1);
  });

  it('fails with a code and a way to fix it', async () => {
    const noKey = await cli([
      'intel',
      'export',
      '--campaigns',
      join(directory, 'campaigns.json'),
      '--out',
      join(directory, 'x.json'),
    ]);
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /error \[community_key_missing\]/);
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
  });
});
