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

// `health()` reports a command failure this recent (a stall times commands out, socket open).
const RECENT_FAILURE_MS = 2_000;

export interface RedisEnforcementStateOptions {
  /** `redis://127.0.0.1:6379` by default. */
  url?: string;
  /** Prefix of every key, so several deployments (or test runs) can share a server. */
  prefix?: string;
  auditLimit?: number;
  connectTimeoutMs?: number;
  /** A command not answered in time fails (a stalled Redis must not hold requests). */
  commandTimeoutMs?: number;
  /** Longest wait between reconnection attempts (doubling from 50 ms, with jitter). */
  reconnectMaxDelayMs?: number;
  /** Decisions remembered locally for `cachedDecisions` (the most recent ones). */
  decisionCacheSize?: number;
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
  commandTimeoutMs = 250,
  reconnectMaxDelayMs = 2_000,
  decisionCacheSize = 100_000,
}: RedisEnforcementStateOptions = {}): Promise<EnforcementState> {
  let connected = false;
  const client = createClient({
    url,
    socket: {
      connectTimeout: connectTimeoutMs,
      // The first connection fails the start (a wrong URL is a config error); afterwards the
      // client reconnects for ever, with backoff.
      reconnectStrategy: (retries: number) =>
        connected
          ? Math.min(reconnectMaxDelayMs, 50 * 2 ** Math.min(retries, 10)) +
            Math.floor(Math.random() * 50)
          : false,
    },
    // While disconnected, commands fail at once instead of queueing: the fail mode applies now.
    disableOfflineQueue: true,
    // A stalled server: past this many commands awaiting replies, new ones fail at once.
    commandsQueueMaxLength: 10_000,
  });
  let lastError: string | null = null;
  let lastFailureAt = Number.NEGATIVE_INFINITY;
  // A stalled server keeps its socket open: a command that failed lately says more than `isReady`.
  const failed = (error: unknown): never => {
    lastFailureAt = Date.now();
    lastError = String(error instanceof Error ? error.message : error);
    throw error;
  };
  // Our own timer per command: the client's `timeout` option did not fire against a stalled
  // (SIGSTOP) server in node-redis 5.12. A late reply is still read, and ignored.
  const timed = <T>(command: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Redis did not answer within ${commandTimeoutMs} ms`)),
        commandTimeoutMs,
      );
      command.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    }).catch(failed);
  client.on('error', (error: unknown) => {
    lastError = String(error instanceof Error ? error.message : error);
  });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Redis is not reachable at ${url} (${String(error)}): start redis-server or fix the URL.`,
    );
  }
  connected = true;
  const sha = await client.scriptLoad(TOKEN_BUCKET_SCRIPT);
  const decisionKey = (subject: DecisionSubject) =>
    `${prefix}decision:${subject.kind}:${subject.id}`;
  // Decisions as last seen, in insertion order (the oldest evicted first).
  const cache = new Map<string, Decision | null>();
  const remember = (key: string, decision: Decision | null) => {
    cache.delete(key);
    cache.set(key, decision);
    if (cache.size > decisionCacheSize) cache.delete(cache.keys().next().value as string);
  };
  const campaignOf = new Map<string, string>();
  const parseDecision = (key: string, value: unknown): Decision | null => {
    const decision = typeof value === 'string' ? (JSON.parse(value) as Decision) : null;
    remember(key, decision);
    return decision;
  };
  // A restarted Redis without persistence comes back empty: the marker key tells, and the
  // decisions this replica knows are written back (only where none is set), so a suspension
  // survives the restart instead of being served again.
  const epochKey = `${prefix}epoch`;
  await client.set(epochKey, String(Date.now()), { condition: 'NX' });
  client.on('ready', () => {
    lastError = null;
    void (async () => {
      try {
        const fresh = await client.set(epochKey, String(Date.now()), { condition: 'NX' });
        if (fresh === null) return;
        for (const [key, decision] of cache)
          if (decision) await client.set(key, JSON.stringify(decision), { condition: 'NX' });
        for (const [accountId, campaignId] of campaignOf) {
          await client.hSet(`${prefix}campaign-of`, accountId, campaignId);
          await client.sAdd(`${prefix}members:${campaignId}`, accountId);
          await client.sAdd(`${prefix}campaigns`, campaignId);
        }
      } catch (error) {
        lastError = String(error);
      }
    })();
  });

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
        reply = await timed(client.evalSha(sha, options));
      } catch (error) {
        // A restarted server has lost the script.
        if (!String(error).includes('NOSCRIPT')) failed(error);
        reply = await timed(client.eval(TOKEN_BUCKET_SCRIPT, options));
      }
      const [allowed, tokens] = reply as [number, string];
      return bucketOutcome(Number(tokens), cost, rule, allowed === 1);
    },
    async getDecision(subject) {
      const key = decisionKey(subject);
      return parseDecision(key, await timed(client.get(key)));
    },
    async getDecisions(accountId, campaignId) {
      const accountKey = decisionKey({ kind: 'account', id: accountId });
      if (campaignId === null)
        return [parseDecision(accountKey, await timed(client.get(accountKey))), null];
      const campaignKey = decisionKey({ kind: 'campaign', id: campaignId });
      const [account, campaign] = await timed(client.mGet([accountKey, campaignKey]));
      return [parseDecision(accountKey, account), parseDecision(campaignKey, campaign)];
    },
    async setDecision(subject, decision) {
      const key = decisionKey(subject);
      if (decision === null) await timed(client.del(key));
      else await timed(client.set(key, JSON.stringify(decision)));
      remember(key, decision);
    },
    cachedDecisions(accountId, campaignId) {
      const campaign = campaignId ?? campaignOf.get(accountId) ?? null;
      return [
        cache.get(decisionKey({ kind: 'account', id: accountId })) ?? null,
        campaign === null
          ? null
          : (cache.get(decisionKey({ kind: 'campaign', id: campaign })) ?? null),
      ];
    },
    health() {
      if (!client.isReady) return { ok: false, error: lastError ?? 'not connected' };
      if (Date.now() - lastFailureAt < RECENT_FAILURE_MS)
        return { ok: false, error: lastError ?? 'command failed' };
      return { ok: true };
    },
    async setCampaign(accountId, campaignId) {
      campaignOf.delete(accountId);
      campaignOf.set(accountId, campaignId);
      if (campaignOf.size > decisionCacheSize)
        campaignOf.delete(campaignOf.keys().next().value as string);
      const previous = await timed(client.hGet(`${prefix}campaign-of`, accountId));
      if (previous === campaignId) return;
      const transaction = client.multi();
      if (previous) transaction.sRem(`${prefix}members:${previous}`, accountId);
      transaction
        .hSet(`${prefix}campaign-of`, accountId, campaignId)
        .sAdd(`${prefix}members:${campaignId}`, accountId)
        .sAdd(`${prefix}campaigns`, campaignId);
      await timed(transaction.exec());
    },
    async getCampaign(accountId) {
      return (await timed(client.hGet(`${prefix}campaign-of`, accountId))) ?? null;
    },
    async campaignMembers(campaignId) {
      return (await timed(client.sMembers(`${prefix}members:${campaignId}`))).sort();
    },
    async listCampaigns() {
      return (await timed(client.sMembers(`${prefix}campaigns`))).sort();
    },
    async appendAudit(entry) {
      await timed(
        client
          .multi()
          .lPush(`${prefix}audit`, JSON.stringify(entry))
          .lTrim(`${prefix}audit`, 0, auditLimit - 1)
          .exec(),
      );
    },
    async listAudit(limit) {
      const entries = await timed(client.lRange(`${prefix}audit`, 0, limit - 1));
      return entries.map((entry) => JSON.parse(entry) as AuditEntry);
    },
    async close() {
      connected = false;
      if (client.isOpen) await client.close();
      else client.destroy();
    },
  };
}
