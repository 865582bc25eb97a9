// The same scripted traffic through each build's gateway (detection engine on, fixed clock, ids and
// keys), recorded to a DuckDB store and a JSON Lines store through the batching recorder; prints a
// SHA-256 of every DuckDB row (`SELECT * … ORDER BY rowid`), of the JSONL file and of the answers
// the clients got. Equal digests: the builds store and answer byte for byte the same.
//
//   node scripts/gateway-store-identity.mjs <requests> /work/main/dist dist
// Traffic: chat completions (whole and streamed), Anthropic messages, a missing and a wrong key,
// a GET (405), an oversized refused body (stored truncated), lone surrogates and escaped `\ud800`
// text in prompts, a body nested 6,000 deep (stored truncated as unserialisable).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { completion } from './chat-completion-fixture.mjs';

const [count, ...dists] = process.argv.slice(2);
const N = Number(count);
const chunk = (content) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
const stream = `${['The', ' answer', ' is', ' 42', '.'].map(chunk).join('')}data: [DONE]\n\n`;
const message = JSON.stringify({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude',
  content: [{ type: 'text', text: 'Forty-two.' }],
  stop_reason: 'end_turn',
  usage: { input_tokens: 9, output_tokens: 4 },
});
const upstream = {
  version: 1,
  send({ body }) {
    const text = String(body ?? '');
    const streamed = text.includes('"stream":true');
    const answer = streamed ? stream : text.includes('claude') ? message : completion;
    return Promise.resolve({
      status: 200,
      headers: { 'content-type': streamed ? 'text/event-stream' : 'application/json' },
      body: {
        [Symbol.asyncIterator]: async function* () {
          yield Buffer.from(answer);
        },
      },
      text: () => Promise.resolve(answer),
      cancel() {},
      drain() {},
    });
  },
  close: async () => {},
};
class Headers {
  constructor(values) {
    this.values = values;
  }
  get(name) {
    return this.values[name] ?? null;
  }
}
let deep = 'null';
for (let level = 0; level < 6000; level += 1) deep = `[${deep}]`;
function request(i, keys) {
  const kind = i % 17;
  let body = {
    model: kind === 3 ? 'claude' : 'm',
    stream: kind === 1 || kind === 7,
    max_tokens: 64,
    messages: [
      {
        role: 'user',
        content:
          kind === 5
            ? `lone \ud800 half ${i} and an escaped \\ud800 and a pair 😀`
            : `Question ${i % 97}: what is ${i % 89} times ${i % 13}? Explain briefly.`,
      },
    ],
  };
  let text = JSON.stringify(body);
  if (kind === 9) text = `{"model":"m","messages":${deep}}`;
  if (kind === 11) {
    body = { ...body, padding: 'x'.repeat(40_000) };
    text = JSON.stringify(body);
  }
  const path = kind === 3 ? '/v1/messages' : '/v1/chat/completions';
  const key = keys[i % keys.length];
  const headers = {
    'content-type': 'application/json',
    'user-agent': `client/${i % 5}`,
    'x-forwarded-for': `10.0.${i % 7}.${i % 250}`,
  };
  if (kind === 3) {
    headers['x-api-key'] = key;
    headers['anthropic-version'] = '2023-06-01';
  } else if (kind === 11) headers.authorization = 'Bearer sk-wrong-key';
  else if (kind !== 13) headers.authorization = `Bearer ${key}`;
  return {
    method: kind === 15 ? 'GET' : 'POST',
    url: `http://127.0.0.1:1${path}`,
    headers: new Headers(headers),
    raw: Buffer.from(text),
  };
}
const digest = (value) => createHash('sha256').update(value).digest('hex').slice(0, 16);
for (const dist of dists) {
  const m = await import(pathToFileURL(resolve(dist, 'src/gateway/index.js')).href);
  const directory = mkdtempSync(join(tmpdir(), 'sg-identity-'));
  const duck = await m.createDuckDbExchangeSink({ path: join(directory, 'g.duckdb') });
  const jsonl = await m.createJsonLinesExchangeSink({ path: join(directory, 'g.jsonl') });
  const hasher = m.createApiKeyHasher({ secret: 'identity-secret-0123456789abcdef' });
  let clock = Date.parse('2026-03-01T00:00:00.000Z');
  let nextId = 0;
  const build = (recorder) =>
    m.createGateway({
      upstream,
      hasher,
      recorder,
      scorer: m.createDetectorScorer(),
      perIpLimit: null,
      invalidKeyLimit: null,
      now: () => clock,
      createId: () => `ex_${String(nextId++).padStart(8, '0')}`,
    });
  const answers = [];
  const outputs = [];
  for (const sink of [duck, jsonl]) {
    clock = Date.parse('2026-03-01T00:00:00.000Z');
    nextId = 0;
    const recorder = m.createBatchingRecorder({ sink, maxBatch: 512 });
    const gateway = build(recorder);
    const keys = [];
    for (let a = 0; a < 60; a++) {
      const accountId = `acct-${a}`;
      gateway.provisionAccount({ account_id: accountId, created_at: '2026-01-01T00:00:00.000Z' });
      const apiKey = `dg_identity_key_${a}_0123456789abcdefghijklmnop`;
      gateway.directory.addKey({
        keyId: `key_${a}`,
        accountId,
        hash: hasher.hash(apiKey),
        createdAt: '2026-01-01T00:00:00.000Z',
        revokedAt: null,
      });
      keys.push(apiKey);
    }
    const hash = createHash('sha256');
    for (let i = 0; i < N; i++) {
      clock += 37 + (i % 11);
      const { raw, ...head } = request(i, keys);
      const reply = await gateway.reply(head, {
        remoteAddress: '127.0.0.1',
        headerOrder: 'host,content-type,authorization',
        body: raw,
      });
      hash.update(`${reply.status} ${JSON.stringify(reply.headers)}\n`);
      if (typeof reply.read === 'function') {
        for (let part = await reply.read(); part !== null; part = await reply.read())
          hash.update(part);
      } else hash.update(String(reply.body));
    }
    await recorder.flush();
    answers.push(hash.digest('hex').slice(0, 16));
    if (sink === duck) {
      const rows = await duck.query('SELECT * FROM exchanges ORDER BY rowid');
      outputs.push(`duckdb ${rows.length} rows ${digest(JSON.stringify(rows))}`);
      const kinds = await duck.query(
        `SELECT endpoint, status, json_extract_string(record, '$.truncated.reason') AS truncated,
          json_extract_string(record, '$.enforcement.action') AS action, count(*)::INTEGER AS n
         FROM exchanges GROUP BY ALL ORDER BY ALL`,
      );
      outputs.push(kinds.map((k) => Object.values(k).join('/')).join(' '));
    } else {
      await jsonl.close();
      const file = readFileSync(join(directory, 'g.jsonl'));
      outputs.push(`jsonl ${file.toString().split('\n').length - 1} lines ${digest(file)}`);
    }
  }
  await duck.close();
  console.log(`${dist}: answers ${answers.join(' ')}  ${outputs.join('  ')}`);
}
process.exit(0);
