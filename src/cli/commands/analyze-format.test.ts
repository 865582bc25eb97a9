import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import litellmRecords from '../../log/adapters/fixtures/litellm-spend-logs.json' with {
  type: 'json',
};
import otelRecords from '../../log/adapters/fixtures/otel-genai-spans.json' with { type: 'json' };
import { runCli } from '../run-cli.js';

let directory = '';
before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'distillguard-analyze-format-'));
});
after(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function accountsIn(out: string): Promise<string[]> {
  const text = await readFile(join(out, 'verdicts.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { account_id: string }).account_id)
    .sort();
}

const analyzeArgs = (log: string, out: string, ...extra: string[]) => [
  'node',
  'distillguard',
  'analyze',
  log,
  '--out',
  out,
  '--json',
  ...(extra.includes('--workers') ? [] : ['--workers', '0']),
  ...extra,
];

// [--format given, log lines, exit code, accounts with a verdict]
const cases: [string | null, unknown[], number, string[]][] = [
  [null, litellmRecords, 0, ['cust-aurora', 'cust-borealis']],
  ['litellm', litellmRecords, 0, ['cust-aurora', 'cust-borealis']],
  [
    'glasswally',
    [
      {
        request_id: 'gw-1',
        account_id: 'sk-a',
        timestamp: '2026-02-01T10:00:00Z',
        ip_address: '198.51.100.4',
        prompt: 'Explain step by step',
      },
    ],
    0,
    ['sk-a'],
  ],
  ['nope', litellmRecords, 2, []],
];

for (const [format, records, code, accounts] of cases) {
  test(`analyze ${format ? `--format ${format}` : '(auto)'}: exit ${code}`, async () => {
    const name = `${format ?? 'auto'}`;
    const log = join(directory, `${name}.jsonl`);
    await writeFile(log, `${records.map((record) => JSON.stringify(record)).join('\n')}\n`);
    const out = join(directory, `out-${name}`);
    const exit = await runCli(analyzeArgs(log, out, ...(format ? ['--format', format] : [])));
    assert.equal(exit, code);
    if (code === 0) assert.deepEqual(await accountsIn(out), accounts);
  });
}

test('worker threads read a foreign format as the calling thread does (OTLP: several exchanges a line)', async () => {
  const log = join(directory, 'otel.jsonl');
  await writeFile(log, `${otelRecords.map((record) => JSON.stringify(record)).join('\n')}\n`);
  const verdicts: string[] = [];
  for (const workers of ['0', '1']) {
    const out = join(directory, `out-otel-${workers}`);
    assert.equal(await runCli(analyzeArgs(log, out, '--workers', workers)), 0);
    verdicts.push(await readFile(join(out, 'verdicts.jsonl'), 'utf8'));
  }
  assert.deepEqual(await accountsIn(join(directory, 'out-otel-1')), ['cust-lyra', 'cust-mensa']);
  assert.equal(verdicts[1], verdicts[0]);
});
