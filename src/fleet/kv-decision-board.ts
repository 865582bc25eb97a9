import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { AccountDecision, CampaignDecision, DecisionBoard } from './decision-board.js';

export interface KvDecisionBoardOptions {
  connection: NatsConnection;
  /** Default `distillguard-decisions`. */
  bucket?: string;
  /** `file` (default) or `memory` (tests). */
  storage?: 'file' | 'memory';
}

const encoder = new TextEncoder();

/** KV keys allow `[-/_=.a-zA-Z0-9]`: ids are base64url-encoded, so any account id is a key. */
export function decisionKey(kind: 'account' | 'campaign', id: string): string {
  return `${kind}.${Buffer.from(id, 'utf8').toString('base64url')}`;
}

/**
 * The decision board on a NATS KV bucket: `account.<id>` and `campaign.<id>` (base64url ids),
 * JSON values, one revision history per key. A gateway reads one key, or watches `account.>`
 * and `campaign.>` into a local map (see docs/fleet.md).
 *
 * @example
 * const board = await openKvDecisionBoard({ connection });
 */
export async function openKvDecisionBoard({
  connection,
  bucket = 'distillguard-decisions',
  storage = 'file',
}: KvDecisionBoardOptions): Promise<DecisionBoard> {
  const kv = await new Kvm(connection).create(bucket, { history: 1, storage });
  const read = async <Value>(key: string): Promise<Value | null> => {
    const entry = await kv.get(key);
    return entry && entry.operation === 'PUT' && entry.length > 0 ? entry.json<Value>() : null;
  };
  return {
    version: 1,
    async putAccounts(decisions) {
      await Promise.all(
        decisions.map((decision) =>
          kv.put(
            decisionKey('account', decision.account_id),
            encoder.encode(JSON.stringify(decision)),
          ),
        ),
      );
    },
    async putCampaigns(campaigns) {
      await Promise.all(
        campaigns.map((campaign) =>
          kv.put(
            decisionKey('campaign', campaign.campaign_id),
            encoder.encode(JSON.stringify(campaign)),
          ),
        ),
      );
    },
    getAccount: (accountId) => read<AccountDecision>(decisionKey('account', accountId)),
    getCampaign: (campaignId) => read<CampaignDecision>(decisionKey('campaign', campaignId)),
    async close() {},
  };
}
