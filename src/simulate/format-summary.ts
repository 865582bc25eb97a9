import { formatCount } from '../shared/progress.js';
import type { SimulationSummary } from './simulation-types.js';

/** Renders a summary as terminal tables: one row per persona, one per campaign. */
export function formatSummary(summary: SimulationSummary): string {
  const lines: string[] = [];
  lines.push(
    `scenario ${summary.scenario} (seed ${summary.seed}, scale ${summary.scale}, prompts: ${summary.promptSource})`,
  );
  lines.push(`span ${summary.start} → ${summary.end}`);
  lines.push(
    `${formatCount(summary.accounts)} accounts, ${formatCount(summary.exchanges)} exchanges`,
  );
  lines.push('');
  lines.push(
    table(
      ['persona', 'group', 'accounts', 'exchanges', 'suspended'],
      summary.personas.map((row) => [
        row.persona,
        row.group ?? '-',
        String(row.accounts),
        String(row.exchanges),
        String(row.suspended),
      ]),
    ),
  );
  if (summary.campaigns.length > 0) {
    lines.push('');
    lines.push(
      table(
        [
          'campaign',
          'profile',
          'accounts',
          'mixed',
          'replaced',
          'suspended',
          'attack exch.',
          'via mixed',
          'new model',
        ],
        summary.campaigns.map((row) => [
          row.campaignId,
          row.profile,
          String(row.accounts),
          String(row.mixedAccounts),
          String(row.replacements),
          String(row.suspended),
          String(row.exchanges),
          String(row.exchangesViaMixed),
          String(row.exchangesOnReleasedModel),
        ]),
      ),
    );
  }
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const render = (row: string[]) =>
    row
      .map((cell, column) =>
        column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [
    render(header),
    render(widths.map((width) => '-'.repeat(width))),
    ...rows.map(render),
  ].join('\n');
}
