import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DistillguardError } from '../shared/distillguard-error.js';
import { loadTruth, loadVerdicts } from './index.js';

let directory = '';
before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'distillguard-truth-'));
});
after(async () => {
  await rm(directory, { recursive: true, force: true });
});

const lines = (...records: unknown[]) =>
  `${records.map((record) => JSON.stringify(record)).join('\n')}\n`;

test('loadTruth reads a simulate directory and finds its exchange log', async () => {
  const run = join(directory, 'run');
  await mkdir(run);
  await writeFile(
    join(run, 'truth.jsonl'),
    lines(
      {
        account_id: 'a1',
        label: 'attack',
        campaign_id: 'c1',
        operator: 'op',
        persona: 'reasoning',
      },
      {
        account_id: 'l1',
        label: 'legit',
        campaign_id: null,
        operator: null,
        group: 'etl_batch',
        extra: 1,
      },
    ),
  );
  await writeFile(join(run, 'truth-exchanges.jsonl'), lines({ id: 'x1', campaign_id: 'c1' }));
  await writeFile(join(run, 'exchanges.jsonl.gz'), '');
  const loaded = await loadTruth(run);
  assert.equal(loaded.truth.length, 2);
  assert.equal(loaded.truth[0]?.persona, 'reasoning');
  assert.equal(loaded.truth[1]?.group, 'etl_batch');
  assert.deepEqual(loaded.truthExchanges, [{ id: 'x1', campaign_id: 'c1' }]);
  assert.equal(loaded.exchangesPath, join(run, 'exchanges.jsonl.gz'));
  const fromFile = await loadTruth(join(run, 'truth.jsonl'));
  assert.equal(fromFile.exchangesPath, join(run, 'exchanges.jsonl.gz'));
});

const badInputs: {
  name: string;
  file: string;
  content: string;
  load: (path: string) => Promise<unknown>;
  code: string;
  message: RegExp;
}[] = [
  {
    name: 'a truth line with an unknown label',
    file: 'bad-truth.jsonl',
    content: lines(
      { account_id: 'a1', label: 'attack', campaign_id: 'c1', operator: null },
      { account_id: 'a2', label: 'evil' },
    ),
    load: loadTruth,
    code: 'truth_invalid',
    message: /bad-truth\.jsonl:2: label must be one of attack, legit, mixed/,
  },
  {
    name: 'a verdict line that is not JSON',
    file: 'verdicts.jsonl',
    content: `${lines({ account_id: 'a1', verdict: 'attack', score: 1, first_flagged_at: '2026-02-01T00:00:00.000Z', campaign_id: null, reasons: [] })}{oops\n`,
    load: loadVerdicts,
    code: 'verdicts_invalid',
    message: /verdicts\.jsonl:2: malformed JSON/,
  },
  {
    name: 'a verdict with a bad time',
    file: 'verdicts-time.jsonl',
    content: lines({
      account_id: 'a1',
      verdict: 'attack',
      score: 1,
      first_flagged_at: 'yesterday',
      campaign_id: null,
      reasons: [],
    }),
    load: loadVerdicts,
    code: 'verdicts_invalid',
    message: /first_flagged_at is not a time/,
  },
];

for (const { name, file, content, load, code, message } of badInputs) {
  test(`loading rejects ${name}, naming file and line`, async () => {
    const path = join(directory, file);
    await writeFile(path, content);
    await assert.rejects(load(path), (error: unknown) => {
      assert.ok(DistillguardError.is(error));
      assert.equal(error.code, code);
      assert.match(error.message, message);
      return true;
    });
  });
}

test('loading a missing path says what to pass', async () => {
  await assert.rejects(loadTruth(join(directory, 'nope')), /truth_not_found|does not exist/);
  await assert.rejects(loadVerdicts(join(directory, 'nope.jsonl')), /analyze --out/);
});
