import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createPromptAnalyzer } from '../detect/prompt/index.js';
import { buildTraffic } from '../detect/testing/build-traffic.js';
import { createJsonLinesWriter, type LineRejection, readExchangeBatches } from '../log/index.js';
import { createSimulation, loadScenario } from '../simulate/index.js';
import { analyze } from './analyze.js';
import { compactFeatures } from './analyzed-batch.js';
import { readAnalyzedBatches } from './read-analyzed-batches.js';

async function damagedLog(): Promise<{ directory: string; paths: string[]; lines: number }> {
  const directory = await mkdtemp(join(tmpdir(), 'analyzed-batches-'));
  const traffic = buildTraffic();
  const lines = traffic.exchanges.map((exchange) => JSON.stringify(exchange));
  lines.splice(3, 0, '', '   ');
  lines.splice(10, 0, '{"id": "broken", "ts": ');
  lines.splice(20, 0, JSON.stringify({ id: 'no-account', ts: '2026-02-02T00:00:00.000Z' }));
  lines[30] = `${lines[30]}\r`;
  lines.splice(40, 0, 'x'.repeat(3000));
  // Decoding: a byte-order mark (rejected), text outside Latin-1 beside ASCII lines, and bytes
  // that are not UTF-8 (replaced, the line kept): the same on either reader.
  lines[5] = `\ufeff${lines[5]}`;
  const wide = JSON.parse(lines[6] as string);
  wide.model = 'модель-模型';
  lines[6] = JSON.stringify(wide);
  const invalid = JSON.parse(lines[7] as string);
  invalid.model = 'model-INVALID-UTF8';
  lines[7] = JSON.stringify(invalid);
  const half = Math.floor(lines.length / 2);
  const first = join(directory, 'first.jsonl.gz');
  const firstText = `${lines.slice(0, half).join('\n')}\n`;
  const [before, after] = firstText.split('INVALID-UTF8') as [string, string];
  await writeFile(
    first,
    gzipSync(
      Buffer.concat([
        Buffer.from(before),
        Buffer.of(0xc3, 0x28, 0xff, 0xe2, 0x82),
        Buffer.from(after),
      ]),
    ),
  );
  // No final newline, then a second file cut short: the last line and the gzip damage are reported.
  const second = join(directory, 'second.jsonl');
  await writeFile(second, lines.slice(half).join('\n'));
  const whole = gzipSync(`${lines.slice(0, 50).join('\n')}\n`);
  const cut = join(directory, 'cut.jsonl.gz');
  await writeFile(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
  return { directory, paths: [first, second, cut], lines: lines.length };
}

test('readAnalyzedBatches: the same exchanges, features and rejections as the in-thread reader', async () => {
  const { paths } = await damagedLog();
  const expectedRejections: LineRejection[] = [];
  const expected = [];
  for await (const batch of readExchangeBatches(paths, {
    onReject: (rejection) => expectedRejections.push(rejection),
  })) {
    expected.push(...batch);
  }
  assert.ok(expected.some((exchange) => exchange.model === 'модель-模型'));
  assert.ok(expected.some((exchange) => exchange.model.startsWith('model-\ufffd')));
  const analyzer = createPromptAnalyzer();
  for (const workers of [1, 3]) {
    const rejections: LineRejection[] = [];
    const exchanges = [];
    const features = [];
    for await (const batch of readAnalyzedBatches(paths, {
      workers,
      onReject: (rejection) => rejections.push(rejection),
    })) {
      exchanges.push(...batch.exchanges);
      features.push(...batch.features);
    }
    assert.deepEqual(exchanges, expected);
    assert.deepEqual(
      features,
      expected.map((exchange) => analyzer.analyze(exchange.request, exchange.endpoint)),
    );
    assert.ok(rejections.length >= 4, `rejections: ${JSON.stringify(rejections)}`);
    assert.deepEqual(rejections, expectedRejections);
  }
});

test('readAnalyzedBatches: batches the calling thread shares are the same', async () => {
  const { paths } = await damagedLog();
  const expectedRejections: LineRejection[] = [];
  const expected = [];
  for await (const batch of readExchangeBatches(paths, {
    onReject: (rejection) => expectedRejections.push(rejection),
  })) {
    expected.push(...batch);
  }
  const analyzer = createPromptAnalyzer();
  // 0: every batch on the calling thread; 1: whenever the worker has one pending (mixed).
  for (const shareAfter of [0, 1]) {
    for (const compact of [false, true]) {
      const rejections: LineRejection[] = [];
      const exchanges = [];
      const features = [];
      for await (const batch of readAnalyzedBatches(paths, {
        workers: 1,
        shareAfter,
        compact,
        onReject: (rejection) => rejections.push(rejection),
      })) {
        exchanges.push(...batch.exchanges);
        features.push(...batch.features);
      }
      assert.deepEqual(rejections, expectedRejections);
      assert.deepEqual(
        exchanges.map((exchange) => [exchange.id, exchange.ts, exchange.account_id]),
        expected.map((exchange) => [exchange.id, exchange.ts, exchange.account_id]),
      );
      if (compact) {
        // Engine features, whoever analysed the batch: no signature, the first LSH band.
        assert.deepEqual(
          features,
          expected.map((exchange) =>
            compactFeatures(analyzer.analyze(exchange.request, exchange.endpoint)),
          ),
        );
        continue;
      }
      assert.deepEqual(exchanges, expected);
      assert.deepEqual(
        features,
        expected.map((exchange) => analyzer.analyze(exchange.request, exchange.endpoint)),
      );
    }
  }
});

test('readAnalyzedBatches: compact exchanges carry no prompt or answer text', async () => {
  const { paths } = await damagedLog();
  for await (const batch of readAnalyzedBatches(paths.slice(0, 1), { workers: 1, compact: true })) {
    for (const exchange of batch.exchanges) {
      assert.equal(exchange.request.messages, undefined);
      assert.equal(exchange.response?.text, undefined);
    }
    assert.ok(batch.features.every((features) => features.minhash.length === 0));
    assert.ok(batch.features.every((features) => features.lshKeys.length <= 1));
    assert.ok(batch.features.some((features) => features.templateHash !== ''));
  }
});

test('analyze: verdicts and campaigns are the same with and without worker threads', async () => {
  const { directory, paths } = await damagedLog();
  const traffic = buildTraffic();
  const accounts = join(directory, 'accounts.jsonl');
  await writeFile(accounts, traffic.accounts.map((record) => JSON.stringify(record)).join('\n'));
  const outputs: string[] = [];
  for (const workers of [0, 1, 2]) {
    const rejected: string[] = [];
    const summary = await analyze({
      inputs: paths,
      accounts,
      out: join(directory, `out-${workers}`),
      workers,
      onReject: (rejection) => rejected.push(`${rejection.file}:${rejection.line}`),
      now: () => new Date('2026-02-03T00:00:00.000Z'),
    });
    assert.ok(summary.verdicts.attack > 0);
    outputs.push(
      [
        rejected.join(' '),
        await readFile(summary.outputs.verdicts, 'utf8'),
        await readFile(summary.outputs.campaigns, 'utf8'),
      ].join('\n'),
    );
  }
  assert.equal(outputs[1], outputs[0]);
  assert.equal(outputs[2], outputs[0]);
});

test('analyze: a simulated quickstart gives the same verdicts and campaigns with 0, 1 or 2 workers', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'analyzed-quickstart-'));
  for (const seed of [1, 2]) {
    const simulation = createSimulation(await loadScenario('quickstart'), { seed, scale: 0.05 });
    const input = join(directory, `exchanges-${seed}.jsonl.gz`);
    const accounts = join(directory, `accounts-${seed}.jsonl`);
    const writer = await createJsonLinesWriter(input);
    const accountWriter = await createJsonLinesWriter(accounts);
    for (let event = simulation.next(); event; event = simulation.next()) {
      if (event.type === 'account') await accountWriter.write(event.account);
      else await writer.write(event.exchange);
    }
    await writer.close();
    await accountWriter.close();
    const outputs: string[] = [];
    for (const workers of [0, 1, 2]) {
      const summary = await analyze({
        inputs: [input],
        accounts,
        out: join(directory, `out-${seed}-${workers}`),
        workers,
        now: () => new Date('2026-02-03T00:00:00.000Z'),
      });
      assert.ok(summary.campaigns > 0 && summary.verdicts.attack > 0, `seed ${seed}: no campaign`);
      outputs.push(
        (await readFile(summary.outputs.verdicts, 'utf8')) +
          (await readFile(summary.outputs.campaigns, 'utf8')),
      );
    }
    assert.equal(outputs[1], outputs[0], `seed ${seed}, 1 worker`);
    assert.equal(outputs[2], outputs[0], `seed ${seed}, 2 workers`);
  }
});

test('readAnalyzedBatches: an over-long line across read chunks is rejected, the next lines read', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'analyzed-long-'));
  const traffic = buildTraffic();
  const lines = traffic.exchanges.slice(0, 6).map((exchange) => JSON.stringify(exchange));
  lines.splice(2, 0, `"${'x'.repeat(2_500_000)}"`);
  const path = join(directory, 'long.jsonl');
  await writeFile(path, `\uFEFF${lines.join('\n')}\n`);
  const rejections: LineRejection[] = [];
  const ids: string[] = [];
  for await (const batch of readAnalyzedBatches([path], {
    workers: 2,
    maxLineLength: 1_000_000,
    onReject: (rejection) => rejections.push(rejection),
  })) {
    ids.push(...batch.exchanges.map((exchange) => exchange.id));
  }
  assert.deepEqual(
    rejections.map((rejection) => [rejection.line, rejection.reason.split(' (')[0]]),
    [
      [1, 'malformed JSON'],
      [3, 'line longer than 1000000 bytes'],
    ],
  );
  assert.deepEqual(
    ids,
    traffic.exchanges.slice(1, 6).map((exchange) => exchange.id),
  );
});
