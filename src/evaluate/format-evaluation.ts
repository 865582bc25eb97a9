import { formatTable } from '../shared/format-table.js';
import type { EnforcementReport } from './drive-closed-loop.js';
import type { EvaluationReport, Ratio, TargetCheck } from './evaluation-report.js';

/**
 * Renders an evaluation as a terminal table: headline metrics, per campaign, per customer group,
 * and every target with pass/fail.
 */
export function formatEvaluation(
  report: EvaluationReport & { enforcement?: EnforcementReport },
): string {
  const lines: string[] = [];
  const { accounts } = report;
  lines.push(
    `accounts: ${accounts.attack} attack, ${accounts.legit} legit, ${accounts.mixed} mixed` +
      (accounts.inactive > 0 ? `; ${accounts.inactive} never active (left out)` : '') +
      (accounts.missingVerdicts > 0 ? `; ${accounts.missingVerdicts} without a verdict` : '') +
      (accounts.unknownVerdicts > 0 ? `; ${accounts.unknownVerdicts} verdicts not in truth` : ''),
    `flag = verdict ${report.flaggedVerdicts.join(' or ')}`,
    '',
  );
  const headline: string[][] = [
    ['attack-account recall', formatRatio(report.recall)],
    ['precision', formatRatio(report.precision)],
    ['customer false-positive rate', formatRatio(report.falsePositives)],
    ['resellers (mixed) flagged', formatRatio(report.mixedFlagged)],
    [
      'exchange leakage',
      report.leakage === null ? 'n/a (no exchange log)' : formatRatio(report.leakage),
    ],
    [
      'median time to detect (campaign)',
      report.timeToDetect === null
        ? 'n/a (no exchange log)'
        : `${formatDuration(report.timeToDetect.medianCampaignMs)} (${report.timeToDetect.campaignsDetected}/${report.timeToDetect.campaignsMeasured} detected)`,
    ],
    [
      'median time to detect (account)',
      report.timeToDetect === null ? 'n/a' : formatDuration(report.timeToDetect.medianAccountMs),
    ],
    ['campaign ARI', report.campaignAri === null ? 'n/a' : report.campaignAri.toFixed(4)],
  ];
  lines.push(...formatTable(['metric', 'value'], headline), '');

  if (report.campaigns.length > 0) {
    lines.push(
      ...formatTable(
        ['campaign', 'recall', 'leakage', 'time to detect', 'first exchange', 'first flag'],
        report.campaigns.map((campaign) => [
          campaign.campaignId,
          formatRatio(campaign.recall),
          campaign.leakage === null ? 'n/a' : formatRatio(campaign.leakage),
          campaign.firstExchangeAt === null ? 'n/a' : formatDuration(campaign.timeToDetectMs),
          campaign.firstExchangeAt ?? '-',
          campaign.firstFlaggedAt ?? 'never',
        ]),
      ),
      '',
    );
  }
  if (report.falsePositivesByGroup.length > 0) {
    lines.push(
      ...formatTable(
        ['customer group', 'false positives'],
        report.falsePositivesByGroup.map((group) => [
          group.group,
          formatRatio(group.falsePositives),
        ]),
      ),
      '',
    );
  }
  if (report.enforcement !== undefined) lines.push(...formatEnforcement(report.enforcement), '');
  const failed = report.targets.filter((target) => target.status === 'fail').length;
  lines.push(
    ...formatTable(
      [`targets (${report.targetProfile})`, 'bound', 'actual', 'result'],
      report.targets.map((target) => [
        target.description,
        `${target.comparator} ${formatValue(target, target.threshold)}`,
        target.actual === null
          ? target.status === 'fail'
            ? 'never'
            : 'n/a'
          : formatValue(target, target.actual),
        target.status === 'pass' ? 'PASS' : target.status === 'fail' ? 'FAIL' : 'not measured',
      ]),
    ),
    '',
    failed === 0 ? 'all measured targets met' : `${failed} target(s) missed`,
  );
  return lines.join('\n');
}

function formatEnforcement(enforcement: EnforcementReport): string[] {
  const { replacements } = enforcement;
  return formatTable(
    [`closed loop (enforce: ${enforcement.mode})`, 'value'],
    [
      ['accounts suspended', String(enforcement.suspensions)],
      ['exchanges refused', String(enforcement.refusedExchanges)],
      ['  of which customer traffic', String(enforcement.refusedCustomerExchanges)],
      ['replacement accounts created', String(replacements.accounts)],
      ['replacements caught', String(replacements.caught)],
      ['median time to catch a replacement', formatDuration(replacements.medianTimeToCatchMs)],
      [
        'median exchanges served before the catch',
        replacements.medianExchangesBeforeCatch === null
          ? 'n/a'
          : String(replacements.medianExchangesBeforeCatch),
      ],
    ],
  );
}

function formatValue(target: TargetCheck, value: number): string {
  if (target.id === 'median_time_to_detect') return formatDuration(value);
  if (target.id === 'campaign_ari') return value.toFixed(3);
  return formatPercent(value);
}

/** `12 / 1000 (1.20%)`. */
export function formatRatio(value: Ratio): string {
  return `${value.count} / ${value.total} (${value.rate === null ? 'n/a' : formatPercent(value.rate)})`;
}

function formatPercent(rate: number): string {
  const percent = rate * 100;
  return `${percent >= 10 || percent === 0 ? percent.toFixed(1) : percent.toPrecision(2)}%`;
}

/** Milliseconds as `45s`, `12m 5s`, `3h 20m`, `2d 4h`; null reads `never`. */
export function formatDuration(milliseconds: number | null): string {
  if (milliseconds === null || !Number.isFinite(milliseconds)) return 'never';
  const sign = milliseconds < 0 ? '-' : '';
  const seconds = Math.round(Math.abs(milliseconds) / 1000);
  if (seconds < 60) return `${sign}${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${sign}${minutes}m ${seconds % 60}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${sign}${hours}h ${minutes % 60}m`;
  return `${sign}${Math.floor(hours / 24)}d ${hours % 24}h`;
}
