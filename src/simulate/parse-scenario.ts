import type { z } from 'zod';
import { DistillguardError } from '../shared/distillguard-error.js';
import { type Scenario, scenarioSchema } from './scenario.js';

/**
 * Validates a scenario object; throws `DistillguardError('scenario_invalid')` whose message names
 * the path of every bad field, e.g. `campaigns[0].accounts: expected number, received string`.
 */
export function parseScenario(value: unknown, source = 'scenario'): Scenario {
  const parsed = scenarioSchema.safeParse(value);
  if (!parsed.success) throw invalid(source, parsed.error.issues.map(describeIssue));
  const scenario = parsed.data;
  const problems: string[] = [];
  const seen = new Set<string>();
  const spanHours = scenario.days * 24;
  scenario.campaigns.forEach((campaign, index) => {
    const at = `campaigns[${index}]`;
    if (seen.has(campaign.id)) problems.push(`${at}.id: duplicate campaign id "${campaign.id}"`);
    seen.add(campaign.id);
    if (campaign.startHour >= spanHours) {
      problems.push(
        `${at}.startHour: ${campaign.startHour} is past the end (days × 24 = ${spanHours})`,
      );
    }
    if (campaign.endHour !== undefined && campaign.endHour <= campaign.startHour) {
      problems.push(`${at}.endHour: must be greater than startHour (${campaign.startHour})`);
    }
    const totalWeight = Object.values(campaign.tasks).reduce(
      (sum, weight) => sum + (weight ?? 0),
      0,
    );
    if (totalWeight <= 0)
      problems.push(`${at}.tasks: give at least one task kind a positive weight`);
    if (campaign.pivot && !scenario.models.release) {
      problems.push(`${at}.pivot: needs models.release (the model the campaign pivots to)`);
    }
  });
  if (problems.length > 0) throw invalid(source, problems);
  return scenario;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return `${formatPath(issue.path)}: ${issue.message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text;
}

function invalid(source: string, problems: string[]): DistillguardError {
  return new DistillguardError(
    'scenario_invalid',
    `${source} is not a valid scenario:\n  - ${problems.join('\n  - ')}\nSee docs/simulator.md for the scenario format.`,
    { source, problems },
  );
}
