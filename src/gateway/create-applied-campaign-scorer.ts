import type { FleetDecisionView } from '../fleet/index.js';
import type { RequestScorer } from './request-scorer.js';

/**
 * Campaign membership from campaigns pushed by `distillguard apply` (`POST
 * /admin/decisions/batch`), on top of the live scorer. A listed member, or a regrown account
 * whose request matches an applied campaign's indicators (the fleet view's rule: two evidence
 * families, one chosen by the operator, created after the campaign's first flag), is given that
 * campaign's id, so the ladder applies the campaign's decision on its first request.
 *
 * Only the id is taken, never the batch verdict's score: the rung is the one the operator chose
 * when applying (stored as the campaign's and the account's decisions), not one re-derived from
 * an old score. The live engine's own campaign, when it names one, wins.
 */
export function createAppliedCampaignScorer(
  applied: FleetDecisionView,
  live: RequestScorer,
): RequestScorer {
  return {
    version: 1,
    observeAccount(account) {
      applied.observeAccount(account);
      live.observeAccount(account);
    },
    score(exchange) {
      const own = live.score(exchange);
      if (own.campaignId !== null || applied.size.campaigns === 0) return own;
      const match = applied.assess(exchange);
      if (!match?.campaignId) return own;
      return {
        ...own,
        campaignId: match.campaignId,
        reasons: [
          ...own.reasons,
          ...match.reasons.filter((reason) => reason.code === 'fleet_campaign_indicators'),
        ],
      };
    },
  };
}
