import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { analyze } from '../../analyze/index.js';
import { buildTraffic } from '../../detect/testing/build-traffic.js';
import {
  createJsonLinesWriter,
  type Exchange,
  readExchanges,
  resolveLogInput,
} from '../../log/index.js';
import { createDuckDbExchangeSink } from './duckdb-exchange-sink.js';
import { governExchangeSink } from './governance/index.js';
import { createJsonLinesExchangeSink } from './json-lines-exchange-sink.js';

const traffic = buildTraffic();
const byTime = (a: Exchange, b: Exchange) =>
  a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
let directory = '';
before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'distillguard-store-analyze-'));
});
after(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function verdicts(inputs: string[], name: string): Promise<string> {
  const out = join(directory, name);
  await analyze({ inputs, out, workers: 0, now: () => new Date(0) });
  return readFile(join(out, 'verdicts.jsonl'), 'utf8');
}

describe("the gateway's DuckDB store read by analyze", () => {
  test('round trip: every exchange the gateway stored comes back, and analyze gives the same verdicts', async () => {
    const store = join(directory, 'gateway.duckdb');
    const sink = await createDuckDbExchangeSink({ path: store });
    // Out of order across batches, as concurrent requests finish.
    const shuffled = [...traffic.exchanges].reverse();
    for (let start = 0; start < shuffled.length; start += 500) {
      await sink.writeBatch(shuffled.slice(start, start + 500));
    }
    await sink.close();
    assert.deepEqual(await resolveLogInput(store), {
      path: store,
      container: 'duckdb',
      format: 'gateway-duckdb',
    });
    const read: Exchange[] = [];
    for await (const exchange of readExchanges([store])) read.push(exchange);
    const expected = JSON.parse(JSON.stringify([...traffic.exchanges].sort(byTime)));
    assert.deepEqual(read, expected);

    const log = join(directory, 'same.jsonl');
    const writer = await createJsonLinesWriter(log);
    for (const exchange of expected) await writer.write(exchange);
    await writer.close();
    const fromStore = await verdicts([store], 'from-store');
    assert.ok(fromStore.includes('"verdict":"attack"'), 'the campaign is found');
    assert.equal(fromStore, await verdicts([log], 'from-log'));
  });

  test('a DuckDB file without the exchanges table is refused with a code', async () => {
    const other = join(directory, 'other.duckdb');
    const sink = await createDuckDbExchangeSink({ path: other });
    await sink.query('DROP TABLE exchanges');
    await sink.close();
    await assert.rejects(
      verdicts([other], 'other'),
      (error: Error & { code?: string }) => error.code === 'input_not_gateway_store',
    );
  });
});

describe('bodies dropped by governance', () => {
  test('the stored fingerprints give analyze the same verdicts as the full bodies', async () => {
    const full = join(directory, 'full.jsonl');
    const dropped = join(directory, 'dropped.jsonl');
    const fullSink = await createJsonLinesExchangeSink({ path: full });
    const droppedSink = governExchangeSink(await createJsonLinesExchangeSink({ path: dropped }), {
      bodies: { sample_rate: 0, sample_by: 'exchange', redact: [], redact_patterns: [] },
    });
    await fullSink.writeBatch(traffic.exchanges);
    await droppedSink.writeBatch(traffic.exchanges);
    await fullSink.close();
    await droppedSink.close();
    const text = await readFile(dropped, 'utf8');
    assert.ok(!text.includes('"messages"'), 'no prompt is stored');
    assert.equal(await verdicts([dropped], 'dropped'), await verdicts([full], 'full'));
  });
});
