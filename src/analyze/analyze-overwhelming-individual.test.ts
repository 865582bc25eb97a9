import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Verdict } from '../detect/verdict.js';
import type { Exchange } from '../log/exchange.js';
import { analyze } from './analyze.js';

const START = Date.parse('2026-03-02T10:00:00Z');
const PROMPTS = [
  'Think step by step and show your full chain of thought inside <thinking> tags, then give the final answer: what is 17 * 23?',
  'Reason through every step of your reasoning in <reasoning> tags before the final answer: is 391 prime?',
  'Write out your complete thought process step by step, do not skip any steps, then the final answer: solve 2x + 9 = 31.',
];

/** One account, one minute of traffic: `rotating` exits change network on every request. Answers under 1,000 tokens, so the evasive-operator rule (a harvest of long answers) does not fire first. */
function log(account: string, rotating: boolean, oldLab: boolean) {
  const exchanges: Exchange[] = [];
  for (let k = 0; k < 40; k += 1) {
    exchanges.push({
      id: `${account}-${k}`,
      ts: new Date(START + k * 1500).toISOString(),
      account_id: account,
      ip: rotating ? `${10 + k}.${k * 3}.9.4` : '34.1.2.3',
      endpoint: 'chat.completions',
      model: 'atlas-2',
      request: {
        messages: [{ role: 'user', content: `${PROMPTS[k % 3]} (item ${k})` }],
        max_tokens: 4096,
        temperature: 0,
      },
      response: { input_tokens: 80, output_tokens: 900, stop_reason: 'stop' },
      status: 200,
    });
  }
  const record = {
    account_id: account,
    created_at: new Date(oldLab ? START - 900 * 86_400_000 : START - 3_600_000).toISOString(),
    verification: oldLab ? 'org' : 'email',
    ...(oldLab ? { org_id: 'org-lab' } : { program: 'research' }),
  };
  return { exchanges, record };
}

const cases = [
  {
    name: 'a new account harvesting through rotating exits',
    rotating: true,
    oldLab: false,
    flagged: true,
  },
  {
    name: 'an established lab benchmarking reasoning from its backend',
    rotating: false,
    oldLab: true,
    flagged: false,
  },
];

for (const { name, rotating, oldLab, flagged } of cases) {
  test(`overwhelming individual (short log, analyze): ${name} → ${flagged ? 'flagged' : 'clean'}`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dg-overwhelming-'));
    const { exchanges, record } = log('acct-solo', rotating, oldLab);
    await writeFile(join(dir, 'x.jsonl'), exchanges.map((e) => JSON.stringify(e)).join('\n'));
    await writeFile(join(dir, 'a.jsonl'), `${JSON.stringify(record)}\n`);
    await analyze({
      inputs: [join(dir, 'x.jsonl')],
      accounts: join(dir, 'a.jsonl'),
      out: join(dir, 'out'),
    });
    const verdicts = (await readFile(join(dir, 'out', 'verdicts.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Verdict);
    const verdict = verdicts[0] as Verdict;
    assert.equal(
      verdict.verdict === 'attack',
      flagged,
      JSON.stringify(verdict.reasons.map((r) => r.code)),
    );
    if (flagged) {
      assert.ok(verdict.reasons.some((reason) => reason.code === 'overwhelming_individual'));
      assert.ok((verdict.first_flagged_at as string) <= (exchanges.at(-1) as Exchange).ts);
    }
  });
}
