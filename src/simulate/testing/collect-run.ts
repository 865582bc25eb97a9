import { createHash } from 'node:crypto';
import type { AccountRecord, Exchange, TruthRecord } from '../../log/exchange.js';
import { createSimulation } from '../create-simulation.js';
import { parseScenario } from '../parse-scenario.js';
import type { ScenarioInput } from '../scenario.js';

/** One simulated exchange and the campaign that sent it (null for a customer). */
export interface Row {
  exchange: Exchange;
  campaignId: string | null;
}

/** A whole simulated run held in memory, with a digest of every event in order. */
export interface Run {
  accounts: Map<string, { record: AccountRecord; truth: TruthRecord }>;
  rows: Row[];
  digest: string;
}

/** Simulates `input` at `scale` (tests only: holds every exchange in memory). */
export function collectRun(input: ScenarioInput, seed: number, scale = 0.05): Run {
  const simulation = createSimulation(parseScenario(input), { seed, scale });
  const hash = createHash('sha256');
  const run: Run = { accounts: new Map(), rows: [], digest: '' };
  for (let event = simulation.next(); event; event = simulation.next()) {
    if (event.type === 'account') {
      run.accounts.set(event.account.account_id, { record: event.account, truth: event.truth });
      hash.update(JSON.stringify(event.account));
    } else {
      hash.update(JSON.stringify(event.exchange));
      run.rows.push({ exchange: event.exchange, campaignId: event.campaignId });
    }
  }
  run.digest = hash.digest('hex');
  return run;
}
