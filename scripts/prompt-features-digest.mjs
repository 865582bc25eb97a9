// Prints a SHA-256 digest of the PromptFeatures of every exchange of a log, analysed in log order
// by one analyser (as `analyze` does), so that a change to the analysers can be checked to leave
// every feature of every exchange unchanged: run it with the build before and after, compare.
//   node scripts/prompt-features-digest.mjs runs/qs/exchanges.jsonl.gz [dist] [--dump out.jsonl]
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const [file, dist = 'dist', ...rest] = process.argv.slice(2);
if (file === undefined) {
  console.error(
    'usage: node scripts/prompt-features-digest.mjs <exchanges.jsonl[.gz]> [dist] [--dump file]',
  );
  process.exit(2);
}
const dump = rest[0] === '--dump' ? rest[1] : undefined;
const load = (path) => import(pathToFileURL(resolve(dist, path)).href);
const { createPromptAnalyzer } = await load('src/detect/prompt/index.js');
const { parseExchange } = await load('src/log/parse-exchange.js');
const raw = readFileSync(file);
const lines = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8').split('\n');
const analyzer = createPromptAnalyzer();
const hash = createHash('sha256');
const out = [];
let count = 0;
for (const line of lines) {
  if (line.trim() === '') continue;
  let parsed;
  try {
    parsed = parseExchange(JSON.parse(line));
  } catch {
    parsed = { success: false, error: 'malformed JSON' };
  }
  let record;
  if (!parsed.success) record = `rejected: ${parsed.error}`;
  else {
    const features = analyzer.analyze(parsed.value.request, parsed.value.endpoint);
    const sorted = {};
    for (const key of Object.keys(features).sort()) {
      const value = features[key];
      sorted[key] = value instanceof Uint32Array ? Array.from(value) : value;
    }
    record = JSON.stringify(sorted);
  }
  hash.update(`${record}\n`);
  if (dump !== undefined) out.push(record);
  count += 1;
}
if (dump !== undefined) writeFileSync(dump, `${out.join('\n')}\n`);
console.log(`${count} exchanges, features sha256 ${hash.digest('hex')}`);
