import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildTraffic } from '../../detect/testing/build-traffic.js';
import type { Exchange } from '../../log/index.js';
import { runCli } from '../run-cli.js';

// issue 16, item 8: the verdicts depend on what happened, never on how the log was laid out.
const traffic = buildTraffic();
let directory = '';
let accounts = '';

before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'distillguard-input-order-'));
  accounts = join(directory, 'accounts.jsonl');
  await writeFile(accounts, lines(traffic.accounts));
});
after(async () => {
  await rm(directory, { recursive: true, force: true });
});

function lines(records: readonly unknown[]): string {
  return records.map((record) => `${JSON.stringify(record)}\n`).join('');
}

const sorted = [...traffic.exchanges].sort(
  (a, b) => Date.parse(a.ts) - Date.parse(b.ts) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
);

interface Run {
  code: number;
  stderr: string;
  verdicts: string;
  summary: Record<string, unknown> | undefined;
}

async function analyzeFiles(name: string, files: string[], extra: string[] = []): Promise<Run> {
  const out = join(directory, `out-${name}`);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  process.stdout.write = ((chunk: string) => stdout.push(String(chunk)) > 0) as never;
  process.stderr.write = ((chunk: string) => stderr.push(String(chunk)) > 0) as never;
  let code: number;
  try {
    code = await runCli([
      'node',
      'distillguard',
      'analyze',
      ...files,
      '--accounts',
      accounts,
      '--out',
      out,
      '--json',
      ...extra,
    ]);
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
  const verdicts = await readFile(join(out, 'verdicts.jsonl'), 'utf8').catch(() => '');
  const text = stdout.join('');
  return {
    code,
    stderr: stderr.join(''),
    verdicts,
    summary: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

async function logFile(name: string, exchanges: readonly Exchange[]): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, lines(exchanges));
  return path;
}

for (const workers of ['0', '2']) {
  describe(`analyze input order (--workers ${workers})`, () => {
    let reference: Run;
    before(async () => {
      reference = await analyzeFiles(
        `sorted-${workers}`,
        [await logFile('sorted.jsonl', sorted)],
        ['--workers', workers],
      );
      assert.equal(reference.code, 0, reference.stderr);
      assert.ok(reference.verdicts.includes('"attack"'), 'the fixture has attackers');
    });

    const layouts: [string, () => Promise<string[]>, number][] = [
      [
        'a reversed log (sorted first)',
        async () => [await logFile('reversed.jsonl', [...sorted].reverse())],
        0,
      ],
      [
        'two replicas interleaved in time, as two files',
        async () => [
          await logFile(
            'replica-a.jsonl',
            sorted.filter((_, index) => index % 2 === 0),
          ),
          await logFile(
            'replica-b.jsonl',
            sorted.filter((_, index) => index % 2 === 1 || index % 5 === 0),
          ),
        ],
        // Both replicas hold every tenth exchange: the overlap is dropped.
        sorted.filter((_, index) => index % 10 === 0).length,
      ],
      [
        'every line twice, and the same file passed twice',
        async () => {
          const twice = await logFile(
            'twice.jsonl',
            sorted.flatMap((exchange) => [exchange, exchange]),
          );
          return [twice, twice];
        },
        sorted.length * 3,
      ],
      [
        'a small disorder inside the reorder window',
        async () => {
          const shuffled = [...sorted];
          let swaps = 0;
          for (let index = 0; index + 1 < shuffled.length; index += 2) {
            const [first, second] = [shuffled[index], shuffled[index + 1]] as [Exchange, Exchange];
            if (Date.parse(second.ts) - Date.parse(first.ts) < 1000) {
              shuffled[index] = second;
              shuffled[index + 1] = first;
              swaps += 1;
            }
          }
          assert.ok(swaps > 10, `only ${swaps} swaps`);
          return [await logFile('jittered.jsonl', shuffled)];
        },
        0,
      ],
    ];
    for (const [layout, files, duplicates] of layouts) {
      test(`${layout} gives the sorted log's verdicts, duplicates counted`, async () => {
        const run = await analyzeFiles(`${layout.replaceAll(' ', '-')}-${workers}`, await files(), [
          '--workers',
          workers,
        ]);
        assert.equal(run.code, 0, run.stderr);
        assert.equal(run.verdicts, reference.verdicts);
        assert.equal(run.summary?.duplicateExchanges, duplicates);
        assert.equal(run.summary?.exchanges, sorted.length);
        // Only the reversed log steps back further than the reorder window.
        assert.equal(run.summary?.sorted, layout.startsWith('a reversed'));
      });
    }

    test('--on-disorder refuse stops on a reversed log with one error line', async () => {
      const run = await analyzeFiles(
        `refuse-${workers}`,
        [await logFile('reversed-refuse.jsonl', [...sorted].reverse())],
        ['--workers', workers, '--on-disorder', 'refuse', '--reorder-window', '1s'],
      );
      assert.equal(run.code, 2);
      assert.match(
        run.stderr,
        /^error \[log_out_of_order\]: .*reversed-refuse\.jsonl: exchange 2 /,
      );
      assert.equal(run.stderr.trim().split('\n').length, 1);
    });
  });
}

describe('analyze input errors', () => {
  test('every line rejected: the rejections are shown and the exit code is not 0', async () => {
    const garbage = join(directory, 'garbage.jsonl');
    await writeFile(garbage, 'not json\n{"id": 1}\n');
    const run = await analyzeFiles('garbage', [garbage]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /garbage\.jsonl:1: malformed JSON/);
    assert.match(run.stderr, /^error \[no_exchanges\]: none of the 2 lines read/m);
  });

  const cases: [string, () => Promise<string>, RegExp][] = [
    [
      'a missing file',
      async () => join(directory, 'missing.jsonl'),
      /^error \[input_not_found\]: .*missing\.jsonl: no such file\n$/,
    ],
    [
      'a directory',
      async () => {
        const path = join(directory, 'a-directory');
        await mkdir(path, { recursive: true });
        return path;
      },
      /^error \[input_is_directory\]: .*a-directory is a directory/,
    ],
    [
      'a corrupt Parquet file',
      async () => {
        const path = join(directory, 'corrupt.parquet');
        await writeFile(path, 'PAR1 this is not a parquet file PAR1');
        return path;
      },
      /^error \[input_corrupt\]: .*corrupt\.parquet: cannot be read/,
    ],
  ];
  for (const [name, make, expected] of cases) {
    test(`${name}: one error line, exit 2`, async () => {
      const good = await logFile('good.jsonl', sorted);
      const run = await analyzeFiles(`error-${name.replaceAll(' ', '-')}`, [good, await make()]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, expected);
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    });
  }
});
