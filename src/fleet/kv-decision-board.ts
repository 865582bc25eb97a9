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
/** Puts in flight at once: thousands at once (a replay's first decisions) timed out under load. */
const MAX_IN_FLIGHT = 128;
const PUT_TRIES = 6;

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
  // A put is idempotent (the value is the whole decision): a timed-out one is simply sent again.
  const put = async (key: string, value: unknown) => {
    const bytes = encoder.encode(JSON.stringify(value));
    for (let attempt = 1; ; attempt += 1) {
      try {
        await kv.put(key, bytes);
        return;
      } catch (error) {
        if (attempt >= PUT_TRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  };
  const putAll = async (entries: [string, unknown][]) => {
    let next = 0;
    const lane = async () => {
      while (next < entries.length) {
        const [key, value] = entries[next++] as [string, unknown];
        await put(key, value);
      }
    };
    await Promise.all(Array.from({ length: Math.min(MAX_IN_FLIGHT, entries.length) }, lane));
  };
  return {
    version: 1,
    putAccounts: (decisions) =>
      putAll(decisions.map((decision) => [decisionKey('account', decision.account_id), decision])),
    putCampaigns: (campaigns) =>
      putAll(
        campaigns.map((campaign) => [decisionKey('campaign', campaign.campaign_id), campaign]),
      ),
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
