// Log reader throughput: readExchangeBatches (gunzip + split + JSON.parse + v1 validation) against
// a baseline of plain gunzip + split + JSON.parse of the same file, measured in the same run.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { createJsonLinesWriter, type Exchange, readExchangeBatches } from '../../src/log/index.js';
import { medianMilliseconds, report } from '../shared/measure.js';

const count = Number(process.env.BENCH_EXCHANGES ?? 300_000);
const directory = await mkdtemp(join(tmpdir(), 'distillguard-bench-log-'));
const path = join(directory, 'exchanges.jsonl.gz');
const writer = await createJsonLinesWriter(path);
for (let index = 0; index < count; index += 1) {
  const exchange: Exchange = {
    id: `ex-${index}`,
    ts: new Date(Date.UTC(2026, 1, 1) + index * 37).toISOString(),
    account_id: `acct-${index % 5000}`,
    ip: `203.0.${index % 256}.${(index * 7) % 256}`,
    user_agent: 'OpenAI/Python 1.40.0',
    endpoint: 'chat.completions',
    model: 'model-a',
    request: {
      model: 'model-a',
      max_tokens: 2048,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        {
          role: 'user',
          content: `Solve problem ${index}: a train leaves at ${index % 24}:00 and travels ${index % 300} km. Think step by step and show all reasoning before the final answer.`,
        },
      ],
    },
    response: { input_tokens: 80, output_tokens: 450, stop_reason: 'stop' },
    status: 200,
    latency_ms: 900,
  };
  await writer.write(exchange);
}
await writer.close();

async function baseline(): Promise<number> {
  const source = createReadStream(path).pipe(createGunzip());
  source.setEncoding('utf8');
  let carry = '';
  let parsed = 0;
  for await (const chunk of source as AsyncIterable<string>) {
    const lines = (carry + chunk).split('\n');
    carry = lines.pop() ?? '';
    for (const line of lines) if (line) parsed += JSON.parse(line) ? 1 : 0;
  }
  if (carry) parsed += 1;
  return parsed;
}

async function reader(): Promise<number> {
  let read = 0;
  for await (const batch of readExchangeBatches([path])) read += batch.length;
  return read;
}

if ((await reader()) !== count) throw new Error('reader lost exchanges');
const baselineMs = await medianMilliseconds(baseline);
const readerMs = await medianMilliseconds(reader);
report('baseline gunzip + JSON.parse', (count / baselineMs) * 1000, 'exchanges/s');
report('readExchangeBatches (.jsonl.gz, validated)', (count / readerMs) * 1000, 'exchanges/s');
report(
  'reader time / baseline time',
  readerMs / baselineMs,
  'x',
  `${count} exchanges, median of 3`,
);
await rm(directory, { recursive: true, force: true });
