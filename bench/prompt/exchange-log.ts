/**
 * The worker side of `analyze` on a realistic log: CPU µs per exchange for decoding a line's
 * bytes + `JSON.parse` + log validation, and for the prompt analysers on the same exchanges (in
 * log order with one analyser, as `analyze` runs them; and split into new prompts and repeats,
 * which its result cache answers). Quickstart seed 1, prompts from ../shared/corpora when present.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { extractPromptParts } from '../../src/detect/prompt/extract-prompt-parts.js';
import { createPromptAnalyzer } from '../../src/detect/prompt/index.js';
import { parseExchange } from '../../src/log/index.js';
import { createSimulation, loadScenario } from '../../src/simulate/index.js';
import { cpuMicros, median } from '../shared/measure.js';

interface Exchangeish {
  request: Parameters<typeof extractPromptParts>[0];
  endpoint: Parameters<typeof extractPromptParts>[1];
}

/** Prints the figures; `scale` of the quickstart scenario (0.2 ≈ 31k exchanges). */
export async function benchExchangeLog(scale: number, runs: number): Promise<void> {
  const corpora = join(process.cwd(), '..', 'shared', 'corpora');
  const simulation = createSimulation(await loadScenario('quickstart'), {
    seed: 1,
    scale,
    corpora: existsSync(corpora) ? corpora : null,
  });
  const lines: string[] = [];
  for (let event = simulation.next(); event; event = simulation.next()) {
    if (event.type === 'exchange') lines.push(JSON.stringify(event.exchange));
  }
  const bytes = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  const ends: number[] = [];
  for (let end = bytes.indexOf(0x0a); end !== -1; end = bytes.indexOf(0x0a, end + 1)) {
    ends.push(end);
  }
  const seen = new Set<string>();
  const distinctLines: string[] = [];
  for (const line of lines) {
    const exchange = JSON.parse(line) as Exchangeish;
    const text = extractPromptParts(exchange.request, exchange.endpoint).userText;
    if (seen.has(text)) continue;
    seen.add(text);
    distinctLines.push(line);
  }
  // Fresh objects for every timed pass: a real log brings new strings (no cached string hashes).
  const parseAll = (batch: string[]) => batch.map((line) => JSON.parse(line) as Exchangeish);
  let sink = 0;
  const figures = {
    read: [] as number[],
    log: [] as number[],
    miss: [] as number[],
    hit: [] as number[],
  };
  for (let run = 0; run < runs; run++) {
    figures.read.push(
      cpuMicros(lines.length, () => {
        let start = 0;
        for (const end of ends) {
          const parsed = parseExchange(JSON.parse(bytes.toString('utf8', start, end)));
          if (parsed.success) sink += 1;
          start = end + 1;
        }
      }),
    );
    let exchanges = parseAll(lines);
    let analyzer = createPromptAnalyzer();
    figures.log.push(
      cpuMicros(exchanges.length, () => {
        for (const exchange of exchanges) {
          sink += analyzer.analyze(exchange.request, exchange.endpoint).promptChars;
        }
      }),
    );
    analyzer = createPromptAnalyzer();
    for (const key of ['miss', 'hit'] as const) {
      exchanges = parseAll(distinctLines);
      figures[key].push(
        cpuMicros(exchanges.length, () => {
          for (const exchange of exchanges) {
            sink += analyzer.analyze(exchange.request, exchange.endpoint).promptChars;
          }
        }),
      );
    }
  }
  const row = (label: string, values: number[]) =>
    console.log(`${label.padEnd(58)} ${median(values).toFixed(2).padStart(7)} µs CPU`);
  console.log(
    `\nquickstart seed 1, scale ${scale}: ${lines.length} exchanges (${distinctLines.length} distinct prompts), prompts from ${existsSync(corpora) ? 'corpora' : 'the built-in generator'}; median of ${runs} runs`,
  );
  row('line bytes → UTF-8 decode + JSON.parse + parseExchange', figures.read);
  row('prompt analysers, log order (one analyser, result cache on)', figures.log);
  row('prompt analysers, new prompt (cache miss)', figures.miss);
  row('prompt analysers, repeated prompt (cache hit)', figures.hit);
  if (sink === 42) console.log('');
}
