import type { ExchangePublisher, FleetDecisionView } from '../../fleet/index.js';
import type { RequestAssessment, RequestScorer } from '../request-scorer.js';

const RANK = { clean: 0, suspect: 1, attack: 2 } as const;

/**
 * The gateway's scorer in a fleet: the detector service's decision for the account (or, for a
 * regrown account, the flagged campaign it matches) from the local `FleetDecisionView`, next to
 * the local scorer's; the more severe one goes to the ladder, which attaches it to the account
 * and its campaign in the enforcement state like any engine decision. No round trip: the view is
 * memory, kept current by the KV watch (or the cluster primary). With `publisher`, each account
 * the gateway learns of (accounts file, admin API, control plane) goes on the stream as well.
 */
export function createFleetScorer(
  view: FleetDecisionView,
  local: RequestScorer,
  publisher?: Pick<ExchangePublisher, 'recordAccount'>,
): RequestScorer {
  return {
    version: 1,
    observeAccount(account) {
      view.observeAccount(account);
      local.observeAccount(account);
      // The detector's identity evidence: every gateway publishes, the stream keeps one copy.
      publisher?.recordAccount(account);
    },
    score(exchange) {
      const own = local.score(exchange);
      const fleet: RequestAssessment | null = view.assess(exchange);
      if (!fleet) return own;
      const fleetFirst =
        RANK[fleet.verdict] > RANK[own.verdict] ||
        (RANK[fleet.verdict] === RANK[own.verdict] && fleet.score >= own.score);
      return fleetFirst ? fleet : own;
    },
  };
}
