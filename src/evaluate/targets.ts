import type { EvaluationReport, TargetCheck } from './evaluation-report.js';

/** Bounds from issue 3 for one scenario family. Absent bounds are not checked. */
export interface TargetProfile {
  minRecall: number;
  maxFalsePositiveRate: number;
  maxGroupFalsePositiveRate: number;
  maxLeakage: number;
  maxMedianTimeToDetectMs?: number;
  minCampaignAri?: number;
}

const HOUR_MS = 3_600_000;

const STRICT: TargetProfile = {
  minRecall: 0.99,
  maxFalsePositiveRate: 0.001,
  maxGroupFalsePositiveRate: 0.01,
  maxLeakage: 0.05,
  maxMedianTimeToDetectMs: HOUR_MS,
  minCampaignAri: 0.9,
};

const EVASIVE: TargetProfile = {
  minRecall: 0.95,
  maxFalsePositiveRate: 0.001,
  maxGroupFalsePositiveRate: 0.01,
  maxLeakage: 0.15,
};

/** Target profiles by scenario name; any other scenario (e.g. `quickstart`) uses `seed-scale`'s. */
export const TARGET_PROFILES: Readonly<Record<string, TargetProfile>> = {
  'seed-scale': STRICT,
  'low-and-slow': EVASIVE,
  adaptive: EVASIVE,
};

/** The profile name used for a scenario name (`seed-scale` when it has none of its own). */
export function targetProfileName(scenario: string | undefined): string {
  return scenario !== undefined && Object.hasOwn(TARGET_PROFILES, scenario)
    ? scenario
    : 'seed-scale';
}

/** Checks every bound of a profile against the measured metrics. */
export function checkTargets(
  report: Omit<EvaluationReport, 'targets'>,
  profile: TargetProfile,
): TargetCheck[] {
  const checks: TargetCheck[] = [
    check('recall', 'attack-account recall', '>=', profile.minRecall, report.recall.rate),
    check(
      'false_positive_rate',
      'customer false-positive rate, overall',
      '<=',
      profile.maxFalsePositiveRate,
      report.falsePositives.rate,
    ),
  ];
  for (const group of report.falsePositivesByGroup) {
    checks.push(
      check(
        `false_positive_rate:${group.group}`,
        `customer false-positive rate, group ${group.group}`,
        '<=',
        profile.maxGroupFalsePositiveRate,
        group.falsePositives.rate,
      ),
    );
  }
  checks.push(
    check('leakage', 'exchange leakage', '<=', profile.maxLeakage, report.leakage?.rate ?? null),
  );
  if (profile.maxMedianTimeToDetectMs !== undefined) {
    const measured = report.timeToDetect;
    // A median over campaigns that is "never" is a measured failure, not a missing measurement.
    const actual =
      measured === null || measured.campaignsMeasured === 0
        ? null
        : (measured.medianCampaignMs ?? Number.POSITIVE_INFINITY);
    checks.push(
      check(
        'median_time_to_detect',
        'median time to detect per campaign',
        '<=',
        profile.maxMedianTimeToDetectMs,
        actual,
      ),
    );
  }
  if (profile.minCampaignAri !== undefined) {
    checks.push(
      check(
        'campaign_ari',
        'campaign attribution (adjusted Rand index)',
        '>=',
        profile.minCampaignAri,
        report.campaignAri,
      ),
    );
  }
  return checks;
}

function check(
  id: string,
  description: string,
  comparator: '>=' | '<=',
  threshold: number,
  actual: number | null,
): TargetCheck {
  const status =
    actual === null
      ? 'not_measured'
      : (comparator === '>=' ? actual >= threshold : actual <= threshold)
        ? 'pass'
        : 'fail';
  // JSON has no infinity: a "never" stays visible as a failed check with no finite value.
  return {
    id,
    description,
    comparator,
    threshold,
    actual: actual !== null && Number.isFinite(actual) ? actual : null,
    status,
  };
}
