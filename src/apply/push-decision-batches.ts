import type {
  BatchItem,
  BatchOutcome,
  BatchResult,
} from '../gateway/control-plane/apply-decision-batch.js';
import { DistillguardError } from '../shared/distillguard-error.js';
import type { DecisionPlan } from './plan-decision-batches.js';

/** One gateway's answer to a whole plan: the batches' results added up. */
export interface GatewayApplyResult {
  gateway: string;
  batch_id: string;
  dry_run: boolean;
  changed: number;
  counts: BatchResult['counts'];
  items: BatchItem[];
}

const emptyCounts = (): BatchResult['counts'] => ({
  set: 0,
  unchanged: 0,
  kept_stricter: 0,
  manual_kept: 0,
  memberships_set: 0,
  memberships_unchanged: 0,
});

/**
 * Sends a plan to one gateway's admin API (`POST /admin/decisions/batch`), batch by batch. The
 * token goes in the `Authorization` header only; no error message repeats it.
 */
export async function pushDecisionPlan({
  gateway,
  token,
  plan,
  actor,
  note,
  dryRun = false,
  fetch = globalThis.fetch,
}: {
  gateway: string;
  token: string;
  plan: DecisionPlan;
  actor: string;
  note?: string;
  dryRun?: boolean;
  fetch?: typeof globalThis.fetch;
}): Promise<GatewayApplyResult> {
  let url: URL;
  try {
    url = new URL('/admin/decisions/batch', gateway);
  } catch {
    throw new DistillguardError(
      'apply_gateway_invalid',
      `--gateway ${gateway} is not a URL (e.g. http://10.0.0.5:8080).`,
    );
  }
  const total: GatewayApplyResult = {
    gateway,
    batch_id: plan.batchId,
    dry_run: dryRun,
    changed: 0,
    counts: emptyCounts(),
    items: [],
  };
  for (const batch of plan.batches) {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          batch_id: plan.batchId,
          actor,
          ...(note ? { note } : {}),
          dry_run: dryRun,
          ...batch,
        }),
      });
    } catch (error) {
      const cause = error instanceof Error ? (error.cause ?? error) : error;
      throw new DistillguardError(
        'apply_gateway_unreachable',
        `${url.origin}: ${cause instanceof Error ? cause.message : String(cause)}; is the gateway running there?`,
      );
    }
    const body: unknown = await response.json().catch(() => null);
    if (response.status === 401)
      throw new DistillguardError(
        'apply_unauthorised',
        `${url.origin} refused the admin token: pass the gateway's admin token in the variable named by --token-env.`,
      );
    if (!response.ok) {
      const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
      throw new DistillguardError(
        'apply_refused',
        `${url.origin} answered ${response.status} ${error?.code ?? ''}: ${error?.message ?? 'no error body'}`,
      );
    }
    const result = body as BatchResult;
    total.changed += result.changed;
    for (const key of Object.keys(total.counts) as (keyof BatchResult['counts'])[])
      total.counts[key] += result.counts[key as BatchOutcome] ?? 0;
    total.items.push(...result.items);
  }
  return total;
}
