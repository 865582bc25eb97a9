import type { VerdictLabel } from '../detect/index.js';
import type { HashedIndicator } from './indicator-hash.js';

/** The detector's current judgement of one account, as every gateway reads it. */
export interface AccountDecision {
  account_id: string;
  verdict: VerdictLabel;
  /** 0–1, rounded to 3 decimals. */
  score: number;
  campaign_id: string | null;
  first_flagged_at: string | null;
  /** Reason codes (texts are rendered where shown, never on this path). */
  reasons: string[];
  /** The stream sequence of the exchange that produced this decision. */
  sequence: number;
}

/** A campaign as gateways need it: who is in it and what it looks like (for regrown accounts). */
export interface CampaignDecision {
  campaign_id: string;
  confidence: number;
  first_flagged_at: string | null;
  accounts: string[];
  /** The campaign's shared values as keyed hashes (`indicator-hash.ts`): what a regrown account is matched on. */
  indicators: HashedIndicator[];
}

/**
 * Where the detector publishes decisions for the gateways, version 1. NATS KV in a fleet (a
 * gateway watches the bucket into a local map: no round trip on the request path), in-process for
 * one gateway and tests. Writes are idempotent puts: republishing after a restart is harmless.
 */
export interface DecisionBoard {
  readonly version: 1;
  putAccounts(decisions: readonly AccountDecision[]): Promise<void>;
  putCampaigns(campaigns: readonly CampaignDecision[]): Promise<void>;
  getAccount(accountId: string): Promise<AccountDecision | null>;
  getCampaign(campaignId: string): Promise<CampaignDecision | null>;
  close(): Promise<void>;
}

/**
 * The decision board inside one process. `onPut` hears every write (a `--workers` primary
 * forwards them to its workers' views).
 */
export function createInProcessDecisionBoard({
  onPut,
}: {
  onPut?: (accounts: readonly AccountDecision[], campaigns: readonly CampaignDecision[]) => void;
} = {}): DecisionBoard & {
  /** Everything current: what a view that starts late is given. */
  current(): { accounts: AccountDecision[]; campaigns: CampaignDecision[] };
} {
  const accounts = new Map<string, AccountDecision>();
  const campaigns = new Map<string, CampaignDecision>();
  return {
    version: 1,
    async putAccounts(decisions) {
      for (const decision of decisions) accounts.set(decision.account_id, { ...decision });
      if (decisions.length > 0) onPut?.(decisions, []);
    },
    async putCampaigns(entries) {
      for (const campaign of entries) campaigns.set(campaign.campaign_id, { ...campaign });
      if (entries.length > 0) onPut?.([], entries);
    },
    current: () => ({ accounts: [...accounts.values()], campaigns: [...campaigns.values()] }),
    getAccount: async (accountId) => accounts.get(accountId) ?? null,
    getCampaign: async (campaignId) => campaigns.get(campaignId) ?? null,
    async close() {},
  };
}
