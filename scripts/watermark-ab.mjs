// Watermark detection builds side by side: each round runs every build in its own process (order
// alternating between rounds), one warm-up run then `runs` runs, each scoring the bench's
// 300,107 tokens with a NEW key (createTokenScorer + score + test), CPU time of the process
// (process.cpuUsage). For before/after figures on a loaded machine, where runs minutes apart
// are not comparable. Prints per build and scheme the median of all runs [min–max], and of the
// warm-up runs (a process's first detection: code not yet optimised, WebAssembly compiled).
//
//   node scripts/watermark-ab.mjs <rounds> <runs> <schemes> main=/work/main/dist new=dist
//   <schemes>: comma list of exp4, exp2, exp1, green1, green2, self2
// The tokens are the bench's (demo model, seed 1), generated once into $TMPDIR.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const SCHEMES = {
  exp4: ['exponentialScheme', {}],
  exp2: ['exponentialScheme', { contextWidth: 2 }],
  exp1: ['exponentialScheme', { contextWidth: 1 }],
  green1: ['greenListScheme', { contextWidth: 1 }],
  green2: ['greenListScheme', {}],
  self2: ['greenListScheme', { selfHash: true }],
};
const tokensFile = join(tmpdir(), 'distillguard-watermark-ab-tokens.json');

async function child([dist, schemeName, runs]) {
  const watermark = await import(pathToFileURL(resolve(dist, 'src/watermark/index.js')).href);
  const { readFileSync } = await import('node:fs');
  const ids = JSON.parse(readFileSync(tokensFile, 'utf8'));
  const [factory, options] = SCHEMES[schemeName];
  const scheme = watermark[factory](options);
  const rates = [];
  let first = 0;
  let sink = 0;
  for (let run = 0; run <= Number(runs); run += 1) {
    const secret = Buffer.alloc(32);
    for (let index = 0; index < 32; index += 1)
      secret[index] = (run * 131 + index * 7 + process.pid) & 255;
    const started = process.cpuUsage();
    const scorer = watermark.createTokenScorer(
      scheme,
      watermark.createWatermarkKey(`ab-${run}`, secret),
    );
    sink += scorer.test(scorer.score(ids)).statistic;
    const cpu = process.cpuUsage(started);
    const rate = ids.length / ((cpu.user + cpu.system) / 1e6);
    if (run > 0) rates.push(rate);
    else first = rate;
  }
  process.stdout.write(JSON.stringify({ rates, first, sink: Number.isFinite(sink) }));
}

async function parent([rounds, runs, schemeList, ...specs]) {
  const builds = specs.map((spec) => spec.split('='));
  if (!existsSync(tokensFile)) {
    const { loadDefaultLanguageModel, createSeededRandom } = await import(
      pathToFileURL(resolve(builds[0][1], 'src/language-model/index.js')).href
    );
    const model = loadDefaultLanguageModel();
    const random = createSeededRandom(1);
    const flat = [];
    while (flat.length < 300_000)
      flat.push(...model.generate({ prompt: '', maxTokens: 300, random }));
    writeFileSync(tokensFile, JSON.stringify(flat));
  }
  const format = (rates) => {
    const sorted = [...rates].sort((a, b) => a - b);
    const m = (value) => (value / 1e6).toFixed(2);
    return `${m(sorted[Math.floor(sorted.length / 2)])} [${m(sorted[0])}–${m(sorted.at(-1))}]`;
  };
  for (const schemeName of schemeList.split(',')) {
    const all = Object.fromEntries(builds.map(([name]) => [name, []]));
    const firsts = Object.fromEntries(builds.map(([name]) => [name, []]));
    for (let round = 0; round < Number(rounds); round += 1) {
      const order = round % 2 === 0 ? builds : [...builds].reverse();
      for (const [name, dist] of order) {
        const out = execFileSync(process.execPath, [
          process.argv[1],
          '--child',
          dist,
          schemeName,
          runs,
        ]);
        const { rates, first } = JSON.parse(out.toString());
        all[name].push(...rates);
        firsts[name].push(first);
        console.error(`${schemeName} round ${round + 1} ${name}: ${format(rates)}`);
      }
    }
    console.log(
      `${schemeName.padEnd(7)} ${builds.map(([name]) => `${name} ${format(all[name])}`).join('   ')}`,
    );
    console.log(
      `${'  first'.padEnd(7)} ${builds.map(([name]) => `${name} ${format(firsts[name])}`).join('   ')}`,
    );
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args.slice(1));
else await parent(args);
