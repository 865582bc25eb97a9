// The package as a user gets it: `npm pack`, installed globally into a temporary prefix, run from
// an empty folder (no checkout, no ../shared). Slow (an npm install); it skips nothing: a missing
// dependency, file or export fails it. Dependencies come from the npm cache the repository's own
// install filled (`--prefer-offline`); only what the cache lacks is fetched.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildTraffic } from '../detect/testing/build-traffic.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The environment of a user's shell: no npm script variables, no checkout's node_modules/.bin. */
function userEnvironment(prefix: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!name.toLowerCase().startsWith('npm_') && name !== 'NODE_PATH') env[name] = value;
  const path = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => !entry.includes('node_modules'));
  env.PATH = [join(prefix, 'bin'), ...path].join(delimiter);
  return env;
}

// The checks after the install are independent processes: they run side by side.
describe('the packed package, installed globally, from an empty folder', {
  concurrency: true,
}, () => {
  let temporary = '';
  let prefix = '';
  let work = '';
  let installed = '';
  let env: NodeJS.ProcessEnv = {};
  let packedFiles: string[] = [];
  const distillguard = (args: string[]) =>
    run('distillguard', args, { cwd: work, env, maxBuffer: 64 * 1024 * 1024 });

  before(async () => {
    assert.ok(
      existsSync(join(root, 'dist/src/detect/index.d.ts')),
      'dist/ with declarations is missing: run `npm run build` first',
    );
    temporary = await mkdtemp(join(tmpdir(), 'distillguard-install-'));
    prefix = join(temporary, 'prefix');
    work = join(temporary, 'empty');
    await mkdir(work);
    env = userEnvironment(prefix);
    // `npm test` has just built dist/: packing need not run `prepare` (tsc) again.
    const packed = await run(
      npm,
      ['pack', '--ignore-scripts', '--json', '--pack-destination', temporary],
      { cwd: root, env, maxBuffer: 64 * 1024 * 1024 },
    );
    const [manifest] = JSON.parse(packed.stdout) as {
      filename: string;
      files: { path: string }[];
    }[];
    assert.ok(manifest, 'npm pack printed its manifest');
    packedFiles = manifest.files.map((file) => file.path);
    await run(
      npm,
      [
        'install',
        '--global',
        '--prefix',
        prefix,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        join(temporary, manifest.filename),
      ],
      { cwd: work, env, maxBuffer: 64 * 1024 * 1024 },
    );
    installed = join(
      prefix,
      process.platform === 'win32' ? '' : 'lib',
      'node_modules',
      'distillguard',
    );
    // How a project that depends on the package sees it (`import 'distillguard/detect'`).
    await mkdir(join(work, 'node_modules'), { recursive: true });
    await symlink(installed, join(work, 'node_modules', 'distillguard'), 'dir');
  });
  after(async () => {
    if (temporary) await rm(temporary, { recursive: true, force: true });
  });

  test('the tarball holds the built CLI and declarations, no sources or tests', () => {
    for (const path of ['dist/src/cli/main.js', 'dist/src/detect/index.d.ts', 'package.json'])
      assert.ok(packedFiles.includes(path), `${path} is packed`);
    const unwanted = packedFiles.filter(
      (path) =>
        path.startsWith('src/') || /\.test\.(js|d\.ts)$/.test(path) || path.endsWith('.map'),
    );
    assert.deepEqual(unwanted, []);
  });

  test('installing built nothing: no TypeScript there, and `prepare` is a no-op', async () => {
    assert.ok(!existsSync(join(installed, 'node_modules', 'typescript')));
    assert.ok(!existsSync(join(installed, 'tsconfig.build.json')));
    const prepare = await run(process.execPath, ['scripts/build-in-checkout.mjs'], {
      cwd: installed,
      env,
    });
    assert.equal(prepare.stdout + prepare.stderr, '');
  });

  test('distillguard --help lists the commands', async () => {
    const { stdout } = await distillguard(['--help']);
    for (const command of ['analyze', 'gateway', 'detect', 'apply', 'simulate'])
      assert.match(stdout, new RegExp(`^  ${command} `, 'm'));
  });

  test('distillguard analyze on a small log', async () => {
    const traffic = buildTraffic();
    const lines = (records: unknown[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
    await writeFile(join(work, 'exchanges.jsonl'), lines(traffic.exchanges));
    await writeFile(join(work, 'accounts.jsonl'), lines(traffic.accounts));
    const { stdout } = await distillguard([
      'analyze',
      'exchanges.jsonl',
      '--accounts',
      'accounts.jsonl',
      '--out',
      'out',
      '--json',
    ]);
    assert.equal((JSON.parse(stdout) as { exchanges: number }).exchanges, traffic.exchanges.length);
    const verdicts = (await readFile(join(work, 'out', 'verdicts.jsonl'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { verdict: string; account_id: string });
    const attacks = verdicts.filter((verdict) => verdict.verdict === 'attack');
    assert.deepEqual(attacks.map((verdict) => verdict.account_id).sort(), traffic.attackAccounts);
    assert.ok(existsSync(join(work, 'out', 'report.html')));
  });

  test('distillguard gateway --demo starts, answers /healthz, replays and exits', async () => {
    const child = spawn('distillguard', ['gateway', '--demo', '--limit', '100', '--json'], {
      cwd: work,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const found = /gateway on (http:\/\/\S+),/.exec(stderr);
        if (found?.[1]) resolve(found[1]);
      });
      child.on('close', () => reject(new Error(`the demo exited before listening: ${stderr}`)));
    });
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    assert.equal(await exited, 0, stderr);
    assert.equal((JSON.parse(stdout) as { exchanges: number }).exchanges, 100);
  });

  test('the library entry points the docs import resolve, with their named exports', async () => {
    // Every `import { … } from 'distillguard/…'` in the shipped docs, and every entry point.
    const imports = new Map<string, Set<string>>();
    const { exports } = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    for (const entry of Object.keys(exports))
      if (entry !== './package.json') imports.set(`distillguard${entry.slice(1)}`, new Set());
    for (const name of await readdir(join(installed, 'docs'))) {
      const text = await readFile(join(installed, 'docs', name), 'utf8');
      for (const [, names = '', specifier = ''] of text.matchAll(
        /import\s*\{([^}]*)\}\s*from\s*'(distillguard[^']*)'/g,
      )) {
        const wanted = imports.get(specifier) ?? new Set<string>();
        imports.set(specifier, wanted);
        for (const part of names.split(',').map((value) => value.trim()))
          if (part && !part.startsWith('type ')) wanted.add(part);
      }
    }
    assert.ok(imports.get('distillguard/detect')?.has('createDetector'), 'docs/detection.md');
    const script = `
      const wanted = ${JSON.stringify(Object.fromEntries([...imports].map(([k, v]) => [k, [...v]])))};
      const missing = [];
      for (const [specifier, names] of Object.entries(wanted)) {
        const module = await import(specifier);
        for (const name of names) if (!(name in module)) missing.push(specifier + ' ' + name);
      }
      const deep = await import('distillguard/dist/src/detect/index.js').then(() => 'resolved', (e) => e.code);
      console.log(JSON.stringify({ missing, deep }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: work,
      env,
    });
    assert.deepEqual(JSON.parse(stdout), { missing: [], deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
  });

  test('every room and command module loads from the installed copy (runtime dependencies)', async () => {
    const modules = [
      ...(await readdir(join(installed, 'dist/src'))).map((room) => `dist/src/${room}/index.js`),
      ...(await readdir(join(installed, 'dist/src/cli/commands')))
        .filter((name) => name.endsWith('.js'))
        .map((name) => `dist/src/cli/commands/${name}`),
    ].filter((path) => existsSync(join(installed, path)));
    assert.ok(modules.length > 20);
    const script = `for (const path of ${JSON.stringify(modules)}) await import('./' + path);`;
    await run(process.execPath, ['--input-type=module', '-e', script], { cwd: installed, env });
  });

  test('the types resolve for a TypeScript user (NodeNext)', async () => {
    await writeFile(
      join(work, 'check.mts'),
      [
        "import { createDetector, type Verdict } from 'distillguard/detect';",
        "import { parseExchange } from 'distillguard/log';",
        'const verdicts: Verdict[] = createDetector().verdicts();',
        '// @ts-expect-error a verdict list is not a number: the types are real, not `any`',
        'const wrong: number = createDetector().verdicts();',
        'export const checked = [verdicts, wrong, parseExchange({}).success];',
        '',
      ].join('\n'),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    await run(
      process.execPath,
      [
        tsc,
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--skipLibCheck',
        '--types',
        'node',
        '--typeRoots',
        join(root, 'node_modules', '@types'),
        'check.mts',
      ],
      { cwd: work, env },
    ).catch((error: { stdout?: string }) => {
      assert.fail(`tsc refused the consumer's file:\n${error.stdout ?? String(error)}`);
    });
  });
});
