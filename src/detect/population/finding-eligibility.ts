import type { AccountState } from '../account-state.js';
import type { PopulationContext } from './population-communities.js';
import type { PopulationFinding } from './population-tracker.js';

/**
 * Who a population finding run after the population grouping (the harness swarm, the answer
 * sweep) may take on this pass, or `null` when the pass is not its turn: an unattached pass runs
 * only when the population grouping just ran. An account no community in `held` holds is
 * eligible when the grouping's own rule says so, or, in a whole clustering, when this finding
 * already placed it (its own finding keeps its members together; the population grouping does not
 * regroup them, since its eligibility asks for its own finding).
 */
export function findingEligibility(
  context: PopulationContext,
  held: readonly { accounts: readonly number[] }[],
  code: PopulationFinding['code'],
): ((state: AccountState) => boolean) | null {
  const { tracker } = context;
  if (context.unattachedOnly && tracker.lastUnattachedRunMs !== context.nowMs) return null;
  const taken = new Set<number>();
  for (const community of held) for (const account of community.accounts) taken.add(account);
  return (state) =>
    !taken.has(state.index) &&
    (context.eligible(state) ||
      (!context.unattachedOnly && tracker.findings.get(state.index)?.code === code));
}
