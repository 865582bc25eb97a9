import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { AccountRecord } from '../../log/exchange.js';
import { isRecord } from '../../shared/is-record.js';
import { requestText } from '../buffered-response.js';
import { createLocalLimiter } from '../create-local-limiter.js';
import {
  type DecisionSubject,
  LADDER_ACTIONS,
  type LadderAction,
} from '../enforcement-state/enforcement-state.js';
import type { Gateway, GatewayRequest } from '../gateway-types.js';
import {
  type AppliedDecisionSink,
  applyDecisionBatch,
  decisionBatchSchema,
} from './apply-decision-batch.js';

// `POST /admin/accounts`: the log-v1 account record, nothing else (unknown fields are refused).
const text = z.string().min(1).max(256);
const accountInput = z
  .object({
    account_id: text,
    created_at: z.iso.datetime({ offset: true }).optional(),
    email_domain: text.optional(),
    email_hash: text.optional(),
    payment_fingerprint: text.optional(),
    country: text.optional(),
    signup_ip: text.optional(),
    verification: z.enum(['none', 'email', 'phone', 'card', 'id', 'org']).optional(),
    program: z.enum(['edu', 'research', 'startup']).nullable().optional(),
    org_id: text.optional(),
    asn: z.number().int().nonnegative().optional(),
    asn_org: text.optional(),
  })
  .strict();

/**
 * An extra admin route (key import): answers a request it owns, or `null` to pass it on. Runs
 * after the token check; `readText` reads the body once.
 */
export type AdminRoute = (
  request: GatewayRequest,
  url: URL,
  parts: string[],
  readText: () => Promise<string>,
) => Promise<Response | null>;

/** Admin tokens shorter than this are refused at start: a short token can be guessed. */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

const json = (value: unknown, status = 200) => Response.json(value, { status });
const failure = (status: number, code: string, message: string) =>
  json({ error: { code, message } }, status);
/**
 * The admin API, behind its own bearer token: accounts, keys, decisions (manual override with an
 * audit trail; `POST /admin/decisions/batch` for `distillguard apply`), campaigns and health
 * (`/metrics` is its own route, with its own token: see `createMetricsEndpoint`). Key hashes never
 * leave it. Failed attempts are
 * throttled per client address (10, then one a second) and overall (100, then ten a second).
 */
export function createAdminApi({
  gateway,
  adminToken,
  now,
  routes = [],
  appliedDecisions,
}: {
  gateway: Gateway;
  adminToken: string;
  now: () => number;
  /** Routes of other features, tried in order before the built-in ones. */
  routes?: readonly AdminRoute[];
  /** Where applied campaigns are kept for matching regrown accounts (the decision view). */
  appliedDecisions?: AppliedDecisionSink | undefined;
}): (
  request: GatewayRequest,
  url: URL,
  body?: Buffer,
  remoteAddress?: string,
) => Promise<Response> {
  const matches = (token: string) => {
    const expected = Buffer.from(token);
    return (request: GatewayRequest) => {
      const header = request.headers.get('authorization') ?? '';
      const given = Buffer.from(header.replace(/^bearer /i, ''));
      return given.length === expected.length && timingSafeEqual(given, expected);
    };
  };
  const authorised = matches(adminToken);
  const failedPerAddress = createLocalLimiter({ capacity: 10, refillPerSecond: 1 }, 10_000);
  const failedOverall = createLocalLimiter({ capacity: 100, refillPerSecond: 10 });
  const { directory, state } = gateway;
  /** Answers once the change is in the shared control plane (503 when it cannot be stored). */
  const stored = async (response: Response): Promise<Response> => {
    try {
      await directory.flush?.();
      return response;
    } catch (error) {
      return failure(
        503,
        'control_plane_unavailable',
        `Applied on this replica only: ${error instanceof Error ? error.message : String(error)}. Retry.`,
      );
    }
  };
  /** An id made on another replica moments ago may not have reached this one yet: catch up. */
  const caughtUp = async <T>(lookup: () => T | undefined): Promise<T | undefined> => {
    const found = lookup();
    if (found !== undefined || !directory.sync) return found;
    await directory.sync();
    return lookup();
  };

  const decisionsOf = async (accountId: string) => {
    const campaignId = await state.getCampaign(accountId);
    const [account, campaign] = await state.getDecisions(accountId, campaignId);
    return { campaign_id: campaignId, account, campaign };
  };

  return async (request, url, preRead, remoteAddress = 'unknown') => {
    const time = now();
    if (!failedPerAddress.has(remoteAddress, time) || !failedOverall.has('*', time))
      return json(
        { error: { code: 'admin_throttled', message: 'Too many failed attempts; retry later.' } },
        429,
      );
    if (!authorised(request)) {
      failedPerAddress.take(remoteAddress, time);
      failedOverall.take('*', time);
      return failure(
        401,
        'admin_unauthorised',
        'Send the admin token as "Authorization: Bearer TOKEN".',
      );
    }
    let parts: string[];
    try {
      parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      return failure(400, 'invalid_path', 'The path is not valid percent-encoding.');
    }
    const method = request.method;
    const body = async (): Promise<Record<string, unknown>> => {
      try {
        const value: unknown = JSON.parse(await requestText(request, preRead));
        return isRecord(value) ? value : {};
      } catch {
        return {};
      }
    };
    for (const route of routes) {
      const answer = await route(request, url, parts, () => requestText(request, preRead));
      if (answer) return answer;
    }
    const [, resource, id, sub] = parts;
    if (resource === 'health' && method === 'GET') {
      return json({
        status: 'ok',
        in_flight: gateway.inFlight,
        accepted: gateway.accepted,
        exchanges_pending: gateway.recorder.pending,
        exchanges_written: gateway.recorder.written,
        exchanges_dropped: gateway.recorder.dropped,
        enforcement_errors: gateway.enforcementErrors,
        readiness: gateway.readiness(),
      });
    }
    if (resource === 'accounts') {
      if (id === undefined && method === 'GET') return json({ accounts: directory.listAccounts() });
      if (id === undefined && method === 'POST') {
        const parsed = accountInput.safeParse(await body());
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return failure(
            400,
            'invalid_account',
            `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'} (account_id is required; only log-v1 account fields are accepted).`,
          );
        }
        const account = {
          created_at: new Date(now()).toISOString(),
          ...parsed.data,
        } as AccountRecord;
        gateway.provisionAccount(account);
        return stored(json(account, 201));
      }
      if (id !== undefined && sub === undefined && method === 'GET') {
        const account = await caughtUp(() => directory.getAccount(id));
        if (!account) return failure(404, 'unknown_account', `No account ${id}.`);
        const keys = directory.listKeys(id).map(({ keyId, createdAt, revokedAt }) => ({
          key_id: keyId,
          created_at: createdAt,
          revoked_at: revokedAt,
        }));
        return json({ account, keys, decisions: await decisionsOf(id) });
      }
      if (id !== undefined && sub === 'keys' && method === 'POST') {
        if (!(await caughtUp(() => directory.getAccount(id))))
          return failure(404, 'unknown_account', `No account ${id}; create it first.`);
        const { keyId, apiKey } = gateway.createApiKey(id);
        return stored(json({ key_id: keyId, api_key: apiKey }, 201));
      }
    }
    if (resource === 'keys' && id !== undefined && method === 'DELETE') {
      const at = new Date(now()).toISOString();
      const revoked = await caughtUp(() => directory.revokeKey(id, at) || undefined);
      if (!revoked) return failure(404, 'unknown_key', `No key ${id}.`);
      return stored(json({ key_id: id, revoked: true }));
    }
    if (resource === 'decisions' && id === 'batch' && sub === undefined && method === 'POST') {
      let input: unknown;
      try {
        input = JSON.parse(await requestText(request, preRead));
      } catch {
        return failure(400, 'invalid_decision_batch', 'The body is not JSON.');
      }
      const parsed = decisionBatchSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return failure(
          400,
          'invalid_decision_batch',
          `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'} (see docs/gateway.md, "Applying verdicts in bulk").`,
        );
      }
      return json(
        await applyDecisionBatch({
          state,
          batch: parsed.data,
          actor: parsed.data.actor ?? 'admin',
          at: new Date(now()).toISOString(),
          sink: appliedDecisions,
        }),
      );
    }
    if (resource === 'decisions' && (id === 'account' || id === 'campaign') && sub !== undefined) {
      const subject: DecisionSubject = { kind: id, id: sub };
      const before = await state.getDecision(subject);
      if (method === 'GET') return json({ subject, decision: before });
      if (method === 'PUT' || method === 'DELETE') {
        const input = method === 'PUT' ? await body() : {};
        const action = input.action;
        if (method === 'PUT' && !LADDER_ACTIONS.includes(action as LadderAction)) {
          return failure(
            400,
            'invalid_action',
            `action must be one of ${LADDER_ACTIONS.join(', ')}.`,
          );
        }
        const at = new Date(now()).toISOString();
        const note = typeof input.note === 'string' ? input.note : '';
        const decision =
          method === 'PUT'
            ? {
                action: action as LadderAction,
                source: 'manual' as const,
                reason: note || 'manual override',
                at,
                campaignId: id === 'campaign' ? sub : null,
              }
            : null;
        await state.setDecision(subject, decision);
        await state.appendAudit({
          at,
          actor: typeof input.actor === 'string' ? input.actor : 'admin',
          subject,
          before: before?.action ?? null,
          after: decision?.action ?? null,
          note,
        });
        return json({ subject, decision });
      }
    }
    if (resource === 'audit' && method === 'GET') {
      const limit = Math.min(1000, Number(url.searchParams.get('limit') ?? 100) || 100);
      return json({ entries: await state.listAudit(limit) });
    }
    if (resource === 'campaigns' && method === 'GET') {
      const ids = id === undefined ? await state.listCampaigns() : [id];
      const campaigns = await Promise.all(
        ids.map(async (campaignId) => ({
          campaign_id: campaignId,
          accounts: await state.campaignMembers(campaignId),
          decision: await state.getDecision({ kind: 'campaign', id: campaignId }),
        })),
      );
      return json({ campaigns });
    }
    return failure(404, 'unknown_admin_route', `No admin route ${method} ${url.pathname}.`);
  };
}
