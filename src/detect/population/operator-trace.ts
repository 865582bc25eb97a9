import type { AccountState } from '../account-state.js';
import { hasOwnTrace } from './own-trace.js';
import { sweepsTools } from './pooled-content.js';
import type { PopulationTracker } from './population-tracker.js';

/**
 * Whether the account shows an operator's trace of its own, as a population member must: exits
 * rotating across networks or prompts across languages ({@link hasOwnTrace}), or its own
 * requests sweeping tool schemas ({@link sweepsTools}: nearly every request offers tools, and the
 * set changes from one request to the next). A harvester walking a pool of tool definitions shows
 * the sweep from its first hours, on the single residential exit it was given for the day, where
 * the rotation needs days to show. Honest carriers do not sweep: a developer or an open-source
 * agent's user re-sends its application's one schema, an agent platform's job its fixed set, and
 * homework students, a classroom or a startup cohort offer no tools at all.
 */
export function hasOperatorTrace(
  state: AccountState,
  tracker: PopulationTracker,
  minToolExchanges = 5,
): boolean {
  if (hasOwnTrace(state)) return true;
  const tools = tracker.toolExchanges(state.index);
  return (
    tools >= minToolExchanges &&
    sweepsTools(tools / state.exchanges, tracker.toolSwitches(state.index) / tools)
  );
}
