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

/** A running watch of the decision bucket. */
export interface DecisionWatch {
  /** Resolves once the bucket's current values are applied (the watch goes on). */
  readonly ready: Promise<void>;
  /** Entries applied so far. */
  readonly applied: number;
  stop(): Promise<void>;
}

/**
 * Watches `account.>` and `campaign.>` of the decision bucket into `apply` (a gateway's
 * `FleetDecisionView`): every change is pushed to every gateway, which reads memory on the
 * request path. The watch survives NATS restarts with the connection (`connectNats`).
 *
 * @example
 * const watch = await watchKvDecisions({ connection, apply: view.apply });
 */
export async function watchKvDecisions({
  connection,
  bucket = 'distillguard-decisions',
  storage = 'file',
  apply,
}: KvDecisionBoardOptions & {
  apply: (accounts: AccountDecision[], campaigns: CampaignDecision[]) => void;
}): Promise<DecisionWatch> {
  const kv = await new Kvm(connection).create(bucket, { history: 1, storage });
  // One filter: multi-key watches need NATS 2.10; the bucket holds only account. and campaign. keys.
  const entries = await kv.watch({ key: '>' });
  let applied = 0;
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const initial = (await kv.status()).values;
  if (initial === 0) markReady();
  const running = (async () => {
    for await (const entry of entries) {
      if (entry.operation === 'PUT' && entry.length > 0) {
        if (entry.key.startsWith('account.')) apply([entry.json<AccountDecision>()], []);
        else apply([], [entry.json<CampaignDecision>()]);
      }
      applied += 1;
      if (applied >= initial) markReady();
    }
  })();
  return {
    ready,
    get applied() {
      return applied;
    },
    async stop() {
      entries.stop();
      await running.catch(() => {});
    },
  };
}
