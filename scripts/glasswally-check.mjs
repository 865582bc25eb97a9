// Runs `analyze` on Glasswally's public labelled sample and scores it by account:
// `node scripts/glasswally-check.mjs [path/to/glasswally_labeled_5k.jsonl] [--out runs/glasswally]`
// An account is attack when any of its events has a non-null `campaign_label`; flagged means
// verdict `attack`. The sample is not part of the product: without it the script says so and
// exits 0. Its dialect names the address `client_ip` and has no `request_id`, so each event is
// first renamed to the fields the Glasswally adapter reads (ip_address, request_id = line number).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const root = outAt >= 0 ? args[outAt + 1] : 'runs/glasswally';
const positional = args.filter(
  (_, position) => outAt < 0 || (position !== outAt && position !== outAt + 1),
);
const corpus = resolve(
  positional[0] ??
    process.env.DISTILLGUARD_GLASSWALLY ??
    join('..', 'shared', 'corpora', 'glasswally_labeled_5k.jsonl'),
);
if (!existsSync(corpus)) {
  console.log(
    `glasswally check skipped: ${corpus} not found (pass the path of Glasswally's ` +
      'datasets/labeled_5k.jsonl as the first argument).',
  );
  process.exit(0);
}

const attack = new Set();
const accounts = new Set();
const lines = readFileSync(corpus, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');
const normalised = lines.map((line, index) => {
  const event = JSON.parse(line);
  accounts.add(event.account_id);
  if (event.campaign_label !== null && event.campaign_label !== undefined) {
    attack.add(event.account_id);
  }
  const { campaign_label: _label, client_ip, ...rest } = event;
  return JSON.stringify({
    request_id: rest.request_id ?? `gw-${index + 1}`,
    ip_address: rest.ip_address ?? client_ip,
    ...rest,
  });
});
mkdirSync(root, { recursive: true });
const input = join(root, 'events.jsonl');
writeFileSync(input, `${normalised.join('\n')}\n`);
const out = join(root, 'out');
const cli = join('dist', 'src', 'cli', 'main.js');
const result = spawnSync(process.execPath, [cli, 'analyze', input, '--out', out, '--json'], {
  encoding: 'utf8',
});
if (result.status !== 0 && result.status !== 2) {
  console.error(`analyze failed (${result.status}): ${result.stderr}`);
  process.exit(1);
}
const verdicts = readFileSync(join(out, 'verdicts.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => JSON.parse(line));
let attackFlagged = 0;
let legitFlagged = 0;
let suspect = 0;
for (const verdict of verdicts) {
  if (verdict.verdict === 'suspect') suspect += 1;
  if (verdict.verdict !== 'attack') continue;
  if (attack.has(verdict.account_id)) attackFlagged += 1;
  else legitFlagged += 1;
}
const legit = accounts.size - attack.size;
console.log(
  `attack flagged ${attackFlagged}/${attack.size}, legit flagged ${legitFlagged}/${legit}` +
    ` (${verdicts.length} verdicts, ${suspect} suspect; ${lines.length} events)`,
);
