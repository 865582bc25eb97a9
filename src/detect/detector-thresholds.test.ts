import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DEFAULT_THRESHOLDS, type DetectorThresholds } from './detector-thresholds.js';

// docs/detection.md's table of defaults drifted from the code three times in one release (a flag
// turned on in one branch, off in another's copy of the table): the table is checked here.

/** `evasionMinExchanges / CueShare` → the full names (a capitalised part takes the first's prefix). */
function expandNames(cell: string): string[] {
  const parts = cell.split('/').map((part) => part.trim());
  const prefix = /^[a-z]+/.exec(parts[0] as string)?.[0] ?? '';
  return parts.map((part) => (/^[A-Z]/.test(part) ? `${prefix}${part}` : part));
}

/** `15 / 0.35 / 4`, `6 h`, `∞ (off)`, `false (measured on)` → values (notes in brackets dropped). */
function parseValues(cell: string): (number | boolean)[] {
  return cell
    .replace(/\(.*\)/, '')
    .split('/')
    .map((part) => part.trim())
    .map((part) => {
      if (part === 'true' || part === 'false') return part === 'true';
      if (part === '∞') return Number.POSITIVE_INFINITY;
      const hours = /^(\d+(?:\.\d+)?) h$/.exec(part);
      if (hours) return Number(hours[1]) * 3600_000;
      return Number(part);
    });
}

function documentedDefaults(): Map<string, number | boolean> {
  const text = readFileSync('docs/detection.md', 'utf8');
  const start = text.indexOf('## Thresholds (defaults, `DEFAULT_THRESHOLDS`)');
  assert.ok(start >= 0, 'docs/detection.md has its thresholds table');
  const lines = text.slice(start).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const end = lines.findIndex((line, at) => at > first && !line.startsWith('|'));
  const rows = lines
    .slice(first, end)
    .filter((line) => !line.startsWith('| name') && !line.includes('---'));
  const documented = new Map<string, number | boolean>();
  for (const row of rows) {
    const cells = row
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    for (let at = 0; at + 1 < cells.length; at += 2) {
      if (cells[at] === '') continue;
      const names = expandNames(cells[at] as string);
      const values = parseValues(cells[at + 1] as string);
      assert.equal(names.length, values.length, `names and values of "${row}"`);
      for (const [position, name] of names.entries())
        documented.set(name, values[position] as number | boolean);
    }
  }
  return documented;
}

test('docs/detection.md lists every default threshold with the value the code uses', () => {
  const documented = documentedDefaults();
  const code = DEFAULT_THRESHOLDS as unknown as Record<keyof DetectorThresholds, number | boolean>;
  assert.deepEqual([...documented.keys()].sort(), Object.keys(code).sort());
  for (const [name, value] of documented)
    assert.equal(value, code[name as keyof DetectorThresholds], `docs/detection.md: ${name}`);
});
