import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createSimulation, loadScenario, OUTPUT_FILES, simulateToDirectory } from './index.js';
import { CORPUS_FILES } from './prompt-pools.js';

async function run(seed: number, out: string) {
  return simulateToDirectory(await loadScenario('quickstart'), { out, seed, scale: 0.05 });
}

async function read(directory: string, file: string): Promise<Buffer> {
  return readFile(join(directory, file));
}

describe('simulateToDirectory', () => {
  it('writes byte-identical files for a seed, different ones for another', async () => {
    const base = await mkdtemp(join(tmpdir(), 'distillguard-sim-'));
    const summary = await run(1, join(base, 'a'));
    await run(1, join(base, 'b'));
    await run(2, join(base, 'c'));
    for (const file of Object.values(OUTPUT_FILES)) {
      assert.ok(
        (await read(join(base, 'a'), file)).equals(await read(join(base, 'b'), file)),
        `${file} differs`,
      );
    }
    assert.ok(
      !(await read(join(base, 'a'), OUTPUT_FILES.exchanges)).equals(
        await read(join(base, 'c'), OUTPUT_FILES.exchanges),
      ),
    );

    const lines = gunzipSync(await read(join(base, 'a'), OUTPUT_FILES.exchanges))
      .toString('utf8')
      .trimEnd()
      .split('\n');
    assert.equal(lines.length, summary.exchanges);
    const times = lines.map((line) => Date.parse((JSON.parse(line) as { ts: string }).ts));
    assert.ok(
      times.every((time, index) => index === 0 || time >= (times[index - 1] as number)),
      'time order',
    );

    const truth = (await read(join(base, 'a'), OUTPUT_FILES.truth))
      .toString()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { account_id: string; label: string });
    const accounts = (await read(join(base, 'a'), OUTPUT_FILES.accounts))
      .toString()
      .trimEnd()
      .split('\n');
    assert.equal(truth.length, accounts.length);
    const mixed = new Set(
      truth.filter((row) => row.label === 'mixed').map((row) => row.account_id),
    );
    const byId = new Map(
      lines.map((line) => {
        const value = JSON.parse(line) as { id: string; account_id: string };
        return [value.id, value.account_id];
      }),
    );
    const truthExchanges = (await read(join(base, 'a'), OUTPUT_FILES.truthExchanges))
      .toString()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; campaign_id: string });
    assert.ok(truthExchanges.length > 0);
    for (const row of truthExchanges) {
      assert.ok(
        mixed.has(byId.get(row.id) as string),
        'truth-exchanges lists only exchanges of mixed accounts',
      );
      assert.equal(row.campaign_id, 'campaign-c');
    }
    const ipAsn = (await read(join(base, 'a'), OUTPUT_FILES.ipAsn))
      .toString()
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(
      ipAsn.every(
        (row) =>
          typeof row.prefix === 'string' &&
          typeof row.asn === 'number' &&
          typeof row.kind === 'string',
      ),
    );
    await rm(base, { recursive: true, force: true });
  });

  it('draws prompts from a corpora directory when given one, and says so', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'distillguard-corpora-'));
    const marker = 'CORPUS-MARKER';
    for (const file of CORPUS_FILES) {
      const rows = Array.from({ length: 20 }, (_, index) => {
        const row: Record<string, unknown> = {
          text: `${marker} ${file} row ${index}: what is ${index} + ${index}?`,
          source: 'fixture',
        };
        if (file === 'gsm8k.jsonl') row.split = index % 2 === 0 ? 'train' : 'test';
        if (file === 'gpteacher_gpt4_instruct.jsonl')
          row.subset = ['codegen', 'toolformer', 'roleplay'][index % 3];
        if (file === 'sharegpt_sample.jsonl') row.conversation_id = `c${index % 5}`;
        if (file === 'oasst1_en_validation.jsonl') row.is_root = index % 2 === 0;
        return JSON.stringify(row);
      });
      await writeFile(join(directory, file), `${rows.join('\n')}\nnot json\n`);
    }
    const scenario = await loadScenario('quickstart');
    const withCorpora = createSimulation(scenario, { seed: 1, scale: 0.05, corpora: directory });
    const builtIn = createSimulation(scenario, { seed: 1, scale: 0.05, corpora: null });
    assert.equal(withCorpora.promptSource, 'corpora');
    assert.equal(builtIn.promptSource, 'built-in');
    const count = (simulation: ReturnType<typeof createSimulation>) => {
      let found = 0;
      for (let event = simulation.next(); event; event = simulation.next()) {
        if (event.type === 'exchange' && JSON.stringify(event.exchange.request).includes(marker))
          found += 1;
      }
      return found;
    };
    assert.ok(count(withCorpora) > 100);
    assert.equal(count(builtIn), 0);
    assert.throws(() => createSimulation(scenario, { corpora: join(directory, 'absent') }), {
      code: 'corpora_missing',
    });
    await rm(directory, { recursive: true, force: true });
  });
});
