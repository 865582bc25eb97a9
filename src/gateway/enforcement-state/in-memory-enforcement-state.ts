import {
  type AuditEntry,
  type BucketRule,
  bucketOutcome,
  type Decision,
  type DecisionSubject,
  type EnforcementState,
  refillBucket,
} from './enforcement-state.js';

const subjectKey = (subject: DecisionSubject) => `${subject.kind}:${subject.id}`;

/**
 * Enforcement state in this process (the default for a single gateway). Buckets idle long enough
 * to be full again are dropped, so memory follows the number of active accounts.
 */
export function createInMemoryEnforcementState({
  auditLimit = 10_000,
}: {
  auditLimit?: number;
} = {}): EnforcementState {
  const buckets = new Map<string, { tokens: number; updatedMs: number; fullAtMs: number }>();
  const decisions = new Map<string, Decision>();
  const campaignOf = new Map<string, string>();
  const members = new Map<string, Set<string>>();
  const audit: AuditEntry[] = [];
  let sweepAt = 0;

  const sweep = (nowMs: number) => {
    if (nowMs < sweepAt) return;
    sweepAt = nowMs + 60_000;
    for (const [key, bucket] of buckets) if (bucket.fullAtMs <= nowMs) buckets.delete(key);
  };

  return {
    version: 1,
    async consume(key, cost, rule: BucketRule, nowMs, mode = 'strict') {
      sweep(nowMs);
      const bucket = buckets.get(key);
      const tokens = bucket ? refillBucket(bucket, rule, nowMs) : rule.capacity;
      const allowed = mode === 'debit' || tokens >= cost;
      const outcome = bucketOutcome(tokens, cost, rule, allowed);
      // Updated in place: a bucket per request and account would only feed the collector.
      if (bucket) {
        bucket.tokens = outcome.remaining;
        bucket.updatedMs = nowMs;
        bucket.fullAtMs = nowMs + outcome.resetMs;
      } else
        buckets.set(key, {
          tokens: outcome.remaining,
          updatedMs: nowMs,
          fullAtMs: nowMs + outcome.resetMs,
        });
      return outcome;
    },
    async getDecision(subject) {
      return decisions.get(subjectKey(subject)) ?? null;
    },
    async getDecisions(accountId, campaignId) {
      return [
        decisions.get(`account:${accountId}`) ?? null,
        campaignId === null ? null : (decisions.get(`campaign:${campaignId}`) ?? null),
      ];
    },
    async setDecision(subject, decision) {
      if (decision === null) decisions.delete(subjectKey(subject));
      else decisions.set(subjectKey(subject), decision);
    },
    async setCampaign(accountId, campaignId) {
      const previous = campaignOf.get(accountId);
      if (previous === campaignId) return;
      if (previous !== undefined) members.get(previous)?.delete(accountId);
      campaignOf.set(accountId, campaignId);
      let set = members.get(campaignId);
      if (!set) {
        set = new Set();
        members.set(campaignId, set);
      }
      set.add(accountId);
    },
    async getCampaign(accountId) {
      return campaignOf.get(accountId) ?? null;
    },
    async campaignMembers(campaignId) {
      return [...(members.get(campaignId) ?? [])].sort();
    },
    async listCampaigns() {
      return [...members.keys()].sort();
    },
    async appendAudit(entry) {
      audit.push(entry);
      if (audit.length > auditLimit) audit.splice(0, audit.length - auditLimit);
    },
    async listAudit(limit) {
      return audit.slice(-limit).reverse();
    },
    async close() {},
  };
}
