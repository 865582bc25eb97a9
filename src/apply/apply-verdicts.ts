import { readFile } from 'node:fs/promises';
import type { Campaign } from '../detect/index.js';
import { loadVerdicts } from '../evaluate/load-truth.js';
import { parseCampaignsFile } from '../intel/parse-campaigns-file.js';
import { DistillguardError } from '../shared/distillguard-error.js';
import {
  DEFAULT_VERDICT_MAPPING,
  type DecisionPlan,
  planDecisionBatches,
  type VerdictMapping,
} from './plan-decision-batches.js';
import { type GatewayApplyResult, pushDecisionPlan } from './push-decision-batches.js';

export interface ApplyVerdictsOptions {
  verdictsPath: string;
  campaignsPath: string;
  /** Every gateway process to update (one is enough when they share Redis state; see docs). */
  gateways: readonly string[];
  /** The gateways' admin token (read from the environment by the CLI). */
  token: string;
  mapping?: VerdictMapping;
  campaignPrefix?: string;
  /** The key the gateways hash indicators with (`fleet.indicator_key_env`); default: theirs. */
  indicatorKey?: string;
  actor: string;
  note?: string;
  dryRun?: boolean;
  fetch?: typeof globalThis.fetch;
}

export interface ApplyVerdictsReport {
  plan: Omit<DecisionPlan, 'batches'> & { batches: number };
  gateways: GatewayApplyResult[];
}

async function loadCampaigns(path: string): Promise<Campaign[]> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    throw new DistillguardError(
      'campaigns_unreadable',
      `Cannot read ${path} as JSON; pass the campaigns.json written by \`distillguard analyze\`.`,
    );
  }
  const parsed = parseCampaignsFile(value);
  if (!parsed.success)
    throw new DistillguardError(
      'campaigns_invalid',
      `${path}: ${parsed.error}; pass the campaigns.json written by \`distillguard analyze\`.`,
    );
  return parsed.value.campaigns;
}

/**
 * `distillguard apply`: reads `analyze`'s verdicts and campaigns, maps them to ladder decisions
 * and pushes them to each gateway's admin API. Idempotent: a second run of the same files changes
 * nothing and reports `changed: 0`. With `dryRun`, every gateway reports what it would change.
 */
export async function applyVerdicts(options: ApplyVerdictsOptions): Promise<ApplyVerdictsReport> {
  const verdicts = await loadVerdicts(options.verdictsPath);
  const campaigns = await loadCampaigns(options.campaignsPath);
  const plan = planDecisionBatches({
    verdicts,
    campaigns,
    mapping: options.mapping ?? DEFAULT_VERDICT_MAPPING,
    ...(options.campaignPrefix === undefined ? {} : { campaignPrefix: options.campaignPrefix }),
    ...(options.indicatorKey === undefined ? {} : { indicatorKey: options.indicatorKey }),
  });
  const gateways: GatewayApplyResult[] = [];
  for (const gateway of options.gateways)
    gateways.push(
      await pushDecisionPlan({
        gateway,
        token: options.token,
        plan,
        actor: options.actor,
        ...(options.note === undefined ? {} : { note: options.note }),
        dryRun: options.dryRun === true,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }),
    );
  const { batches, ...rest } = plan;
  return { plan: { ...rest, batches: batches.length }, gateways };
}
