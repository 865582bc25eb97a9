import type { AccountRecord, Exchange, TruthRecord } from '../log/exchange.js';
import type { Scenario } from './scenario.js';

export interface SimulationOptions {
  /** PRNG seed; the same seed gives the same traffic. Seed 1 is for tuning, 2 and 3 for reporting. */
  seed?: number;
  /** Directory with the corpora `.jsonl` files; `null` or absent: the built-in generator. */
  corpora?: string | null;
  /** Multiplies population sizes and campaign volumes (e.g. 0.01 for tests); rates stay. */
  scale?: number;
}

export type SimulationEvent =
  | { type: 'account'; at: number; account: AccountRecord; truth: TruthRecord }
  | { type: 'exchange'; at: number; exchange: Exchange; campaignId: string | null };

export type EnforcementAction = 'allow' | 'throttle' | 'degrade' | 'challenge' | 'suspend';

/** A decision fed back by a consumer (gateway, evaluator) at simulated time `at`. */
export interface EnforcementDecision {
  accountId: string;
  action: EnforcementAction;
  at: number;
  campaignId?: string | null;
}

export interface PersonaSummary {
  persona: string;
  group: string | null;
  accounts: number;
  exchanges: number;
  suspended: number;
}

export interface CampaignSummary {
  campaignId: string;
  operator: string;
  profile: string;
  /** Attack accounts created (initial pool and replacements). */
  accounts: number;
  /** Reseller accounts (label `mixed`) carrying this campaign's traffic. */
  mixedAccounts: number;
  replacements: number;
  suspended: number;
  /** Attack exchanges sent, including those through mixed accounts. */
  exchanges: number;
  exchangesViaMixed: number;
  /** Attack exchanges on the newly released model (the pivot). */
  exchangesOnReleasedModel: number;
}

export interface SimulationSummary {
  scenario: string;
  seed: number;
  scale: number;
  promptSource: 'built-in' | 'corpora';
  start: string;
  end: string;
  accounts: number;
  exchanges: number;
  /** Exchange time of the last event emitted so far. */
  lastEventAt: string | null;
  personas: PersonaSummary[];
  campaigns: CampaignSummary[];
}

export interface Simulation {
  readonly scenario: Scenario;
  readonly promptSource: 'built-in' | 'corpora';
  /** The next event; strictly non-decreasing `at`; an account's event precedes its first exchange. */
  next(): SimulationEvent | undefined;
  /** Closed loop: applies an enforcement decision; the operators react (see docs/simulator.md). */
  feedback(decision: EnforcementDecision): void;
  summary(): SimulationSummary;
}
