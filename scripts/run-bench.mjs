// Runs the compiled benchmarks: `npm run bench` (all) or `npm run bench -- simulate` (one topic).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const wanted = process.argv.slice(2);
const topics = readdirSync('dist/bench').filter(
  (topic) => wanted.length === 0 || wanted.includes(topic),
);
let failed = 0;
for (const topic of topics.sort()) {
  const entry = join('dist/bench', topic, 'index.js');
  if (!existsSync(entry)) continue;
  console.log(`\n## bench/${topic}`);
  const result = spawnSync(process.execPath, ['--expose-gc', entry], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
