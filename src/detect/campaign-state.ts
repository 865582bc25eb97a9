import type { KeyFamily } from './linkage-key-type.js';

/** The engine's record of one campaign (numbered internally, exported with a stable id). */
export interface CampaignState {
  readonly number: number;
  /** Stable id, `campaign-0001`, … in order of creation. */
  readonly id: string;
  /** Accounts attributed to the campaign (flagged members). */
  accounts: Set<number>;
  /** Accounts that mix this campaign's traffic with customer traffic. */
  resellers: Set<number>;
  /** Key ids that held the community together at the last clustering. */
  hubs: number[];
  families: Set<KeyFamily>;
  /** Mean individual score of members at the last clustering. */
  meanScore: number;
  createdMs: number;
  /** Exchanges attributed per hour (epoch hour → count), from its members and resellers. */
  hourly: Map<number, number>;
  /** Exchanges attributed through reseller accounts. */
  resellerExchanges: number;
  /** Model → attributed exchanges and first use, for coordinated model pivots. */
  models: Map<string, { exchanges: number; firstMs: number }>;
  firstExchangeMs: number;
}

export function createCampaignState(number: number, createdMs: number): CampaignState {
  return {
    number,
    id: `campaign-${String(number + 1).padStart(4, '0')}`,
    accounts: new Set(),
    resellers: new Set(),
    hubs: [],
    families: new Set(),
    meanScore: 0,
    createdMs,
    hourly: new Map(),
    resellerExchanges: 0,
    models: new Map(),
    firstExchangeMs: Number.POSITIVE_INFINITY,
  };
}
