import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const MAIN = fileURLToPath(new URL('../main.js', import.meta.url));
let directory = '';

const lines = (...records: unknown[]) =>
  `${records.map((record) => JSON.stringify(record)).join('\n')}\n`;

function runEval(...args: string[]) {
  const result = spawnSync(process.execPath, [MAIN, 'eval', ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'distillguard-eval-cli-'));
  await writeFile(
    join(directory, 'truth.jsonl'),
    lines(
      { account_id: 'a1', label: 'attack', campaign_id: 'c1', operator: 'op' },
      { account_id: 'a2', label: 'attack', campaign_id: 'c1', operator: 'op' },
      { account_id: 'l1', label: 'legit', campaign_id: null, operator: null, group: 'etl_batch' },
    ),
  );
  await writeFile(join(directory, 'truth-exchanges.jsonl'), '');
  const exchange = (id: string, account_id: string, ts: string) => ({
    id,
    ts,
    account_id,
    ip: '203.0.113.9',
    endpoint: 'chat.completions',
    model: 'm',
    request: {},
    status: 200,
  });
  await writeFile(
    join(directory, 'exchanges.jsonl.gz'),
    gzipSync(
      lines(
        exchange('e1', 'a1', '2026-02-01T00:00:00.000Z'),
        exchange('e2', 'a2', '2026-02-01T00:10:00.000Z'),
        exchange('e3', 'a1', '2026-02-01T00:20:00.000Z'),
        exchange('e4', 'l1', '2026-02-01T00:30:00.000Z'),
      ) + '{"broken":\n',
    ),
  );
  await writeFile(
    join(directory, 'verdicts.jsonl'),
    lines(
      {
        account_id: 'a1',
        verdict: 'attack',
        score: 0.9,
        first_flagged_at: '2026-02-01T00:20:00.000Z',
        campaign_id: 'k',
        reasons: [],
      },
      {
        account_id: 'a2',
        verdict: 'suspect',
        score: 0.6,
        first_flagged_at: '2026-02-01T00:10:00.000Z',
        campaign_id: 'k',
        reasons: [],
      },
      {
        account_id: 'l1',
        verdict: 'clean',
        score: 0.1,
        first_flagged_at: null,
        campaign_id: null,
        reasons: [],
      },
    ),
  );
  await writeFile(
    join(directory, 'bad-verdicts.jsonl'),
    lines({ account_id: 'a1', verdict: 'maybe' }),
  );
});

after(async () => {
  if (directory !== '') await rm(directory, { recursive: true, force: true });
});

test('eval --json scores verdicts against a simulate directory and exits 0 though targets fail', () => {
  const result = runEval(
    '--truth',
    directory,
    '--verdicts',
    join(directory, 'verdicts.jsonl'),
    '--json',
  );
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout) as {
    recall: { rate: number };
    leakage: { count: number; total: number };
    targets: { id: string; status: string }[];
  };
  assert.equal(report.recall.rate, 0.5);
  // e1 before a1's flag, e2 from never-flagged a2 (suspect is not a flag by default); e3 is the flagging one.
  assert.deepEqual(report.leakage, { count: 2, total: 3, rate: 2 / 3 });
  assert.equal(report.targets.find((target) => target.id === 'recall')?.status, 'fail');
  assert.match(result.stderr, /exchanges\.jsonl\.gz:5: malformed JSON/);
});

test('eval --flag attack,suspect counts suspects, and the table names the targets', () => {
  const result = runEval(
    '--truth',
    directory,
    '--verdicts',
    join(directory, 'verdicts.jsonl'),
    '--flag',
    'attack,suspect',
  );
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /attack-account recall\s+2 \/ 2 \(100\.0%\)/);
  assert.match(result.stdout, /targets \(seed-scale\)/);
  assert.match(result.stdout, /etl_batch\s+0 \/ 1/);
});

test('eval --closed-loop --json runs simulator, detector and enforcement and reports both', () => {
  const result = runEval(
    '--closed-loop',
    '--scenario',
    'quickstart',
    '--scale',
    '0.02',
    '--seed',
    '3',
    '--json',
  );
  assert.equal(result.status, 0, result.stderr);
  const report = JSON.parse(result.stdout) as {
    enforcement: { mode: string; suspensions: number };
    recall: { total: number };
  };
  assert.equal(report.enforcement.mode, 'suspend');
  assert.ok(report.recall.total > 0);
});

const badCalls: { name: string; args: () => string[]; message: RegExp }[] = [
  { name: 'no inputs', args: () => [], message: /error \[eval_usage\]: pass --truth/ },
  {
    name: 'a malformed verdict',
    args: () => ['--truth', directory, '--verdicts', join(directory, 'bad-verdicts.jsonl')],
    message: /error \[verdicts_invalid\]: .*bad-verdicts\.jsonl:1: verdict must be one of/,
  },
  {
    name: 'a missing truth directory',
    args: () => [
      '--truth',
      join(directory, 'nope'),
      '--verdicts',
      join(directory, 'verdicts.jsonl'),
    ],
    message: /error \[truth_not_found\]/,
  },
  {
    name: 'a closed loop with a bad scale',
    args: () => ['--closed-loop', '--scenario', 'quickstart', '--scale', '-1'],
    message: /error \[eval_usage\]: --scale must be a positive number/,
  },
  {
    name: 'a closed loop with an unknown scenario',
    args: () => ['--closed-loop', '--scenario', 'no-such-scenario'],
    message: /error \[scenario/,
  },
  {
    name: 'a bad flag set',
    args: () => ['--flag', 'clean'],
    message: /error \[eval_usage\]: --flag/,
  },
  {
    name: 'a closed loop without a scenario',
    args: () => ['--closed-loop'],
    message: /error \[eval_usage\]: --closed-loop needs --scenario/,
  },
];

for (const { name, args, message } of badCalls) {
  test(`eval exits 2 on ${name}, saying how to fix it`, () => {
    const result = runEval(...args());
    assert.equal(result.status, 2);
    assert.match(result.stderr, message);
  });
}
