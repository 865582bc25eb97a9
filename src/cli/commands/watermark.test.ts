import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { createSeededRandom, loadDefaultLanguageModel } from '../../language-model/index.js';

// A child process runs a program holding only these two commands (so the test does not depend
// on other features' modules), with the same error rendering as runCli.
const execute = promisify(execFile);
const PROGRAM = `
import { Command } from 'commander';
import { registerWatermarkCommand } from ${JSON.stringify(new URL('./watermark.js', import.meta.url).href)};
import { registerRadioactivityCommand } from ${JSON.stringify(new URL('./radioactivity.js', import.meta.url).href)};
const program = new Command('distillguard').exitOverride();
registerWatermarkCommand(program);
registerRadioactivityCommand(program);
try {
  await program.parseAsync(process.argv.slice(1), { from: 'user' });
} catch (error) {
  if (error?.name !== 'DistillguardError') throw error;
  process.stderr.write('error [' + error.code + ']: ' + error.message + '\\n');
  process.exitCode = 2;
}
`;
const MAIN = '--input-type=module';
const run = (command: string, args: string[], options: { env: NodeJS.ProcessEnv }) =>
  execute(command, [MAIN, '-e', PROGRAM, ...args.slice(1)], {
    ...options,
    cwd: new URL('../../../../', import.meta.url).pathname,
  });
const SECRET = '1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100';
const environment = { ...process.env, DISTILLGUARD_WATERMARK_KEY: SECRET };
const directory = mkdtempSync(join(tmpdir(), 'distillguard-watermark-cli-'));
const keysFile = join(directory, 'keys.yaml');
writeFileSync(keysFile, 'accounts: [acct-1, acct-2, acct-3, acct-4]\nepochs: [0]\n');

describe('distillguard watermark', () => {
  test('generate → detect names the account the text was served to', async () => {
    // Demo answers are short: serve three of them to the same account.
    const answers = await Promise.all(
      ['1', '2', '3'].map(async (seed) => {
        const generated = await run(
          process.execPath,
          [MAIN, 'watermark', 'generate', '--account', 'acct-3', '--seed', seed, '--json'],
          { env: environment },
        );
        return (JSON.parse(generated.stdout) as { text: string }).text;
      }),
    );
    const text = answers.join('\n');
    const model = loadDefaultLanguageModel();
    const clean = model.decode([
      ...model.generate({ prompt: '', maxTokens: 300, random: createSeededRandom(4) }),
    ]);
    const file = join(directory, 'served.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({ id: 'served-1', account_id: 'acct-3', text })}\n` +
        `${JSON.stringify({ id: 'clean-1', text: clean })}\nnot json\n`,
    );
    const detected = await run(
      process.execPath,
      [MAIN, 'watermark', 'detect', file, '--keys', keysFile, '--json'],
      { env: environment },
    );
    const report = JSON.parse(detected.stdout) as {
      records: number;
      rejectedLines: number;
      results: { id: string; detected: string[] }[];
    };
    assert.equal(report.records, 2);
    assert.equal(report.rejectedLines, 1);
    assert.deepEqual(report.results[0]!.detected, ['acct-3']);
    assert.deepEqual(report.results[1]!.detected, []);
    assert.ok(!detected.stdout.includes(SECRET));
  });

  test('a missing master key is an error that names the variable', async () => {
    const { DISTILLGUARD_WATERMARK_KEY: _omitted, ...withoutKey } = process.env;
    await assert.rejects(
      run(process.execPath, [MAIN, 'watermark', 'generate'], { env: withoutKey }),
      (error: { code?: number; stderr?: string }) =>
        error.code === 2 &&
        /error \[watermark_key_missing\].*DISTILLGUARD_WATERMARK_KEY/.test(error.stderr ?? ''),
    );
  });
});

describe('distillguard radioactivity', () => {
  test('audits an OpenAI-compatible endpoint and prints a JSON evidence bundle', async () => {
    const model = loadDefaultLanguageModel();
    const random = createSeededRandom(5);
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const content = model.decode([...model.generate({ prompt: '', maxTokens: 100, random })]);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content } }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
      const out = join(directory, 'evidence.json');
      const prompts = join(directory, 'prompts.txt');
      writeFileSync(
        prompts,
        'How do I bake bread?\nAny tips for my garden?\nHow can I save money?\n',
      );
      const { stdout } = await run(
        process.execPath,
        [
          MAIN,
          'radioactivity',
          '--suspect',
          url,
          '--keys',
          keysFile,
          '--prompts',
          prompts,
          '--samples',
          '4',
          '--max-tokens',
          '100',
          '--json',
          '--out',
          out,
        ],
        { env: environment },
      );
      const report = JSON.parse(stdout) as {
        format: string;
        generations: number;
        detected: string[];
        token: { keys: unknown[]; controls: { count: number } };
      };
      assert.equal(report.format, 'distillguard.radioactivity-report.v1');
      assert.equal(report.generations, 12);
      // The suspect is the unwatermarked reference model itself: nothing may be detected.
      assert.deepEqual(report.detected, []);
      assert.equal(report.token.keys.length, 5);
      assert.ok(!stdout.includes(SECRET));
    } finally {
      server.close();
    }
  });
});
