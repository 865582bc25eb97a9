import { z } from 'zod';
import { type CampaignsFile, INDICATOR_TYPES } from '../detect/verdict.js';
import type { Result } from '../shared/distillguard-error.js';

const timestamp = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not a timestamp');

// Only what the exporter reads is checked; other fields pass through untouched.
const campaignsFileSchema = z.object({
  generated_at: timestamp,
  campaigns: z.array(
    z.looseObject({
      campaign_id: z.string().min(1),
      confidence: z.number().min(0).max(1),
      accounts: z.array(z.string()),
      resellers: z.array(z.string()).default([]),
      exchange_count: z.number().nonnegative(),
      first_seen: timestamp,
      last_seen: timestamp,
      first_flagged_at: timestamp.nullable().default(null),
      capability_mix: z.record(z.string(), z.number()).default({}),
      models: z.record(z.string(), z.number()).default({}),
      timeline: z.array(z.looseObject({})).default([]),
      indicators: z.array(
        z.object({
          type: z.enum(INDICATOR_TYPES),
          value: z.string(),
          count: z.number().nonnegative(),
          first_seen: timestamp,
          last_seen: timestamp,
        }),
      ),
      reasons: z.array(z.looseObject({ code: z.string() })).default([]),
    }),
  ),
});

/** Checks a parsed `campaigns.json` (contract: design §4) before export; the error names the path. */
export function parseCampaignsFile(value: unknown): Result<CampaignsFile, string> {
  const parsed = campaignsFileSchema.safeParse(value);
  if (parsed.success) return { success: true, value: parsed.data as unknown as CampaignsFile };
  const issue = parsed.error.issues[0];
  return {
    success: false,
    error: `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
  };
}
