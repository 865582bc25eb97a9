import { formatTable } from '../shared/format-table.js';
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
    ...formatTable(
      ['persona', 'group', 'accounts', 'exchanges', 'suspended'],
      summary.personas.map((row) => [
        row.persona,
        row.group ?? '-',
        String(row.accounts),
        String(row.exchanges),
        String(row.suspended),
      ]),
      { leftAlignedColumns: 2 },
    ),
  );
  if (summary.campaigns.length > 0) {
    lines.push('');
    lines.push(
      ...formatTable(
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
        { leftAlignedColumns: 2 },
      ),
    );
  }
  return lines.join('\n');
}
