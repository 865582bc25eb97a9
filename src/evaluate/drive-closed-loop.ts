import type { Verdict, VerdictLabel } from '../detect/verdict.js';
import type { AccountRecord, Exchange, TruthRecord } from '../log/exchange.js';
import { type AttackExchangeTally, createAttackExchangeTally } from './attack-exchange-tally.js';
import { buildEvaluation } from './build-evaluation.js';
import type { EvaluationReport, FlaggedVerdict } from './evaluation-report.js';
import { medianOrNull } from './median.js';
import { targetProfileName } from './targets.js';
import { type TruthIndex, UNATTRIBUTED_CAMPAIGN } from './truth-index.js';

/** The simulator events the loop consumes (`src/simulate`'s `SimulationEvent`). */
export type ClosedLoopEvent =
  | { type: 'account'; at: number; account: AccountRecord; truth: TruthRecord }
  | { type: 'exchange'; at: number; exchange: Exchange; campaignId: string | null };

/** What the loop needs from a simulation: events in time order, and a way to answer back. */
export interface ClosedLoopSimulation {
  next(): ClosedLoopEvent | undefined;
  feedback(decision: {
    accountId: string;
    action: 'suspend';
    at: number;
    campaignId?: string | null;
  }): void;
  summary(): unknown;
}

/** What the loop needs from a detector (`src/detect`'s `Detector`). */
export interface ClosedLoopDetector {
  observeAccount(account: AccountRecord): void;
  observe(exchange: Exchange): { verdict: VerdictLabel; campaignId: string | null };
  verdicts(): Verdict[];
}

export type EnforcementMode = 'suspend' | 'none';

/** What enforcement did, beside the usual metrics. */
export interface EnforcementReport {
  mode: EnforcementMode;
  /** Accounts suspended (one `suspend` decision each). */
  suspensions: number;
  /** Exchanges refused because their account was suspended (all traffic). */
  refusedExchanges: number;
  /** Refused exchanges that were customer traffic: legit accounts, and resellers' customer share. */
  refusedCustomerExchanges: number;
  /**
   * Attack and reseller accounts the operators created after their campaign's first suspension
   * (regrowth), how many were caught, and how fast: first exchange → flag, and attack exchanges
   * served before it. Accounts that never sent an exchange count as created, not as missed.
   */
  replacements: {
    accounts: number;
    caught: number;
    medianTimeToCatchMs: number | null;
    medianExchangesBeforeCatch: number | null;
  };
  /** The simulator's own summary at the end (per persona and campaign). */
  simulation: unknown;
}

export type ClosedLoopReport = EvaluationReport & { enforcement: EnforcementReport };

export interface DriveClosedLoopOptions {
  simulation: ClosedLoopSimulation;
  detector: ClosedLoopDetector;
  enforce: EnforcementMode;
  flaggedVerdicts?: readonly FlaggedVerdict[];
  /** Scenario name, for its targets. */
  scenario?: string;
  /** Called every 65,536 events with the count so far. */
  onProgress?: (events: number) => void;
}

interface AccountProgress {
  createdAt: number;
  firstExchangeAt: number | null;
  servedAttackExchanges: number;
  flaggedAt: number | null;
  flaggedAs: FlaggedVerdict | null;
}

/**
 * Runs a simulation through a detector in event time. With `enforce: 'suspend'`, the first time an
 * account's verdict is a flag, the simulator is told `suspend` and every later exchange of that
 * account is refused (not served, not observed): the operator sees the ban and may regrow.
 * Leakage is then "attack exchanges served / attack exchanges attempted".
 */
export function driveClosedLoop({
  simulation,
  detector,
  enforce,
  flaggedVerdicts = ['attack'],
  scenario,
  onProgress,
}: DriveClosedLoopOptions): ClosedLoopReport {
  const flaggedLabels = new Set<string>(flaggedVerdicts);
  const byAccount = new Map<string, TruthRecord>();
  const campaignIds = new Set<string>();
  const progress = new Map<string, AccountProgress>();
  const firstSuspension = new Map<string, number>();
  const suspended = new Set<string>();
  const tally = createAttackExchangeTally();
  let events = 0;
  let exchanges = 0;
  let unknownAccount = 0;
  let refusedExchanges = 0;
  let refusedCustomerExchanges = 0;

  for (let event = simulation.next(); event !== undefined; event = simulation.next()) {
    events++;
    if ((events & 0xffff) === 0) onProgress?.(events);
    if (event.type === 'account') {
      const { truth } = event;
      byAccount.set(truth.account_id, truth);
      if (truth.label === 'attack') campaignIds.add(truth.campaign_id ?? UNATTRIBUTED_CAMPAIGN);
      progress.set(truth.account_id, {
        createdAt: event.at,
        firstExchangeAt: null,
        servedAttackExchanges: 0,
        flaggedAt: null,
        flaggedAs: null,
      });
      detector.observeAccount(event.account);
      continue;
    }
    exchanges++;
    const { exchange, at } = event;
    const accountId = exchange.account_id;
    const truth = byAccount.get(accountId);
    const account = progress.get(accountId);
    if (truth === undefined || account === undefined) unknownAccount++;
    const campaignId =
      truth?.label === 'attack'
        ? (truth.campaign_id ?? UNATTRIBUTED_CAMPAIGN)
        : truth?.label === 'mixed'
          ? event.campaignId
          : null;
    if (campaignId !== null) campaignIds.add(campaignId);
    if (account !== undefined && account.firstExchangeAt === null) account.firstExchangeAt = at;
    if (suspended.has(accountId)) {
      refusedExchanges++;
      if (campaignId === null) refusedCustomerExchanges++;
      if (campaignId !== null) tally.add(accountId, campaignId, at, false);
      continue;
    }
    const assessment = detector.observe(exchange);
    const isFlag = flaggedLabels.has(assessment.verdict);
    if (isFlag && account !== undefined && account.flaggedAt === null) {
      account.flaggedAt = at;
      account.flaggedAs = assessment.verdict as FlaggedVerdict;
    }
    const stopped = account?.flaggedAt !== null && account?.flaggedAt !== undefined;
    if (campaignId !== null) {
      // The flagging exchange itself is not leaked: the gateway scores a request before serving it.
      tally.add(accountId, campaignId, at, !stopped);
      if (!stopped && account !== undefined) account.servedAttackExchanges++;
    }
    if (enforce === 'suspend' && isFlag) {
      suspended.add(accountId);
      refusedExchanges++;
      if (campaignId === null) refusedCustomerExchanges++;
      for (const campaign of tally.campaignsByAccount.get(accountId) ?? []) {
        if (!firstSuspension.has(campaign)) firstSuspension.set(campaign, at);
      }
      simulation.feedback({ accountId, action: 'suspend', at, campaignId: assessment.campaignId });
    }
  }
  onProgress?.(events);

  // Under enforcement the flag that counts is the one that stopped the account, as observed here.
  const verdicts = detector.verdicts().map((verdict): Verdict => {
    const flaggedAt = progress.get(verdict.account_id)?.flaggedAt;
    const flaggedAs = progress.get(verdict.account_id)?.flaggedAs;
    // Not flagged at one of its own exchanges (e.g. a clustering tick after its last request):
    // the detector's verdict stands; nothing was served after it anyway.
    if (
      flaggedAt === null ||
      flaggedAt === undefined ||
      flaggedAs === null ||
      flaggedAs === undefined
    ) {
      return verdict;
    }
    return {
      ...verdict,
      verdict: flaggedLabels.has(verdict.verdict) ? verdict.verdict : flaggedAs,
      first_flagged_at: new Date(flaggedAt).toISOString(),
    };
  });
  const index: TruthIndex = {
    byAccount,
    exchangeCampaign: new Map(),
    campaignIds: [...campaignIds].sort(),
  };
  const activeAccounts = new Set<string>();
  for (const [accountId, account] of progress) {
    if (account.firstExchangeAt !== null) activeAccounts.add(accountId);
  }
  const report = buildEvaluation({
    index,
    verdicts,
    flaggedVerdicts,
    tally,
    exchanges: { total: exchanges, unknownAccount },
    activeAccounts,
    targetProfile: targetProfileName(scenario),
  });
  return {
    ...report,
    enforcement: {
      mode: enforce,
      suspensions: suspended.size,
      refusedExchanges,
      refusedCustomerExchanges,
      replacements: replacementMetrics(byAccount, progress, firstSuspension, tally),
      simulation: simulation.summary(),
    },
  };
}

function replacementMetrics(
  byAccount: ReadonlyMap<string, TruthRecord>,
  progress: ReadonlyMap<string, AccountProgress>,
  firstSuspension: ReadonlyMap<string, number>,
  tally: AttackExchangeTally,
): EnforcementReport['replacements'] {
  let accounts = 0;
  let caught = 0;
  const times: number[] = [];
  const served: number[] = [];
  for (const [accountId, truth] of byAccount) {
    if (truth.label === 'legit') continue;
    const account = progress.get(accountId);
    if (account === undefined) continue;
    // An attack account belongs to its campaign; a reseller to the campaigns it carried.
    const campaigns =
      truth.label === 'attack'
        ? [truth.campaign_id ?? UNATTRIBUTED_CAMPAIGN]
        : [...(tally.campaignsByAccount.get(accountId) ?? [])];
    const regrown = campaigns.some((campaign) => {
      const suspendedAt = firstSuspension.get(campaign);
      return suspendedAt !== undefined && account.createdAt > suspendedAt;
    });
    if (!regrown) continue;
    accounts++;
    if (account.firstExchangeAt === null) continue;
    if (account.flaggedAt === null) {
      times.push(Number.POSITIVE_INFINITY);
      served.push(Number.POSITIVE_INFINITY);
      continue;
    }
    caught++;
    times.push(account.flaggedAt - account.firstExchangeAt);
    served.push(account.servedAttackExchanges);
  }
  return {
    accounts,
    caught,
    medianTimeToCatchMs: medianOrNull(times),
    medianExchangesBeforeCatch: medianOrNull(served),
  };
}
