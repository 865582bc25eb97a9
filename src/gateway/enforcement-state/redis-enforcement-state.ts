import { createClient } from 'redis';
import {
  type AuditEntry,
  bucketOutcome,
  type Decision,
  type DecisionSubject,
  type EnforcementState,
} from './enforcement-state.js';

// The same arithmetic as `refillBucket`, done atomically in Redis so replicas share one bucket.
// Returns the tokens *before* this call; the outcome is derived in TypeScript by `bucketOutcome`.
const TOKEN_BUCKET_SCRIPT = `
local cost = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local rate = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local debit = ARGV[5] == 'debit'
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updated')
local tokens = tonumber(state[1])
local updated = tonumber(state[2])
if tokens == nil then
  tokens = capacity
  updated = now
end
tokens = math.min(capacity, tokens + math.max(0, now - updated) / 1000 * rate)
local allowed = debit or tokens >= cost
local after = tokens
if allowed then after = tokens - cost end
redis.call('HSET', KEYS[1], 'tokens', tostring(after), 'updated', tostring(now))
if rate > 0 then
  redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - after) / rate * 1000) + 1000)
end
if allowed then return {1, tostring(tokens)} end
return {0, tostring(tokens)}
`;

export interface RedisEnforcementStateOptions {
  /** `redis://127.0.0.1:6379` by default. */
  url?: string;
  /** Prefix of every key, so several deployments (or test runs) can share a server. */
  prefix?: string;
  auditLimit?: number;
  connectTimeoutMs?: number;
}

/**
 * Enforcement state in Redis, shared by every gateway replica: token buckets (one atomic Lua
 * script per call), decisions, campaign membership and the audit trail.
 *
 * @example
 * const state = await createRedisEnforcementState({ url: 'redis://127.0.0.1:6379', prefix: 'dg:' });
 */
export async function createRedisEnforcementState({
  url = 'redis://127.0.0.1:6379',
  prefix = 'distillguard:',
  auditLimit = 10_000,
  connectTimeoutMs = 2_000,
}: RedisEnforcementStateOptions = {}): Promise<EnforcementState> {
  const client = createClient({
    url,
    socket: { connectTimeout: connectTimeoutMs, reconnectStrategy: false },
  });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${url} (${String(error)}): start redis-server or fix the URL.`,
    );
  }
  const sha = await client.scriptLoad(TOKEN_BUCKET_SCRIPT);
  const decisionKey = (subject: DecisionSubject) =>
    `${prefix}decision:${subject.kind}:${subject.id}`;
  const parseDecision = (value: unknown): Decision | null =>
    typeof value === 'string' ? (JSON.parse(value) as Decision) : null;

  return {
    version: 1,
    async consume(key, cost, rule, nowMs, mode = 'strict') {
      const options = {
        keys: [`${prefix}bucket:${key}`],
        arguments: [
          String(cost),
          String(rule.capacity),
          String(rule.refillPerSecond),
          String(nowMs),
          mode,
        ],
      };
      let reply: unknown;
      try {
        reply = await client.evalSha(sha, options);
      } catch (error) {
        if (!String(error).includes('NOSCRIPT')) throw error;
        reply = await client.eval(TOKEN_BUCKET_SCRIPT, options);
      }
      const [allowed, tokens] = reply as [number, string];
      return bucketOutcome(Number(tokens), cost, rule, allowed === 1);
    },
    async getDecision(subject) {
      return parseDecision(await client.get(decisionKey(subject)));
    },
    async getDecisions(accountId, campaignId) {
      if (campaignId === null)
        return [
          parseDecision(await client.get(decisionKey({ kind: 'account', id: accountId }))),
          null,
        ];
      const [account, campaign] = await client.mGet([
        decisionKey({ kind: 'account', id: accountId }),
        decisionKey({ kind: 'campaign', id: campaignId }),
      ]);
      return [parseDecision(account), parseDecision(campaign)];
    },
    async setDecision(subject, decision) {
      if (decision === null) await client.del(decisionKey(subject));
      else await client.set(decisionKey(subject), JSON.stringify(decision));
    },
    async setCampaign(accountId, campaignId) {
      const previous = await client.hGet(`${prefix}campaign-of`, accountId);
      if (previous === campaignId) return;
      const transaction = client.multi();
      if (previous) transaction.sRem(`${prefix}members:${previous}`, accountId);
      transaction
        .hSet(`${prefix}campaign-of`, accountId, campaignId)
        .sAdd(`${prefix}members:${campaignId}`, accountId)
        .sAdd(`${prefix}campaigns`, campaignId);
      await transaction.exec();
    },
    async getCampaign(accountId) {
      return (await client.hGet(`${prefix}campaign-of`, accountId)) ?? null;
    },
    async campaignMembers(campaignId) {
      return (await client.sMembers(`${prefix}members:${campaignId}`)).sort();
    },
    async listCampaigns() {
      return (await client.sMembers(`${prefix}campaigns`)).sort();
    },
    async appendAudit(entry) {
      await client
        .multi()
        .lPush(`${prefix}audit`, JSON.stringify(entry))
        .lTrim(`${prefix}audit`, 0, auditLimit - 1)
        .exec();
    },
    async listAudit(limit) {
      const entries = await client.lRange(`${prefix}audit`, 0, limit - 1);
      return entries.map((entry) => JSON.parse(entry) as AuditEntry);
    },
    async close() {
      if (client.isOpen) await client.close();
    },
  };
}
