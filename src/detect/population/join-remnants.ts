import type { CampaignRegistry } from '../create-campaign-registry.js';
import { type RemnantContext, remnantCampaign } from './operator-remnant.js';

/**
 * After a clustering has lent its campaigns their values: every unflagged account that is a
 * leftover member of one ({@link remnantCampaign}) joins it (`thresholds.operatorRemnant`).
 */
export function joinRemnants(
  context: RemnantContext,
  registry: Pick<CampaignRegistry, 'flag'>,
): void {
  if (!context.thresholds.operatorRemnant || context.owners.length === 0) return;
  for (const state of context.accounts) {
    if (!Number.isNaN(state.flaggedMs) || !state.candidate) continue;
    const campaign = remnantCampaign(state, context);
    if (campaign >= 0) registry.flag(state, context.nowMs, 'affinity', campaign);
  }
}
