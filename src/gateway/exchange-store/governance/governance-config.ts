import { z } from 'zod';

/** The built-in redaction patterns (`redact-text.ts`). */
export const BUILT_IN_REDACTIONS = ['email', 'api_key', 'card_number', 'phone'] as const;
export type BuiltInRedaction = (typeof BUILT_IN_REDACTIONS)[number];

/**
 * Data-governance keys of a persistent exchange store (`store` in the gateway config;
 * docs/gateway.md#data-governance). Spread into each store kind's object.
 */
export const storeGovernanceShape = {
  /** Records older than this many days are deleted (hourly); absent: kept forever. */
  retention_days: z.number().positive().optional(),
  /** What is kept of prompts and answers; metadata is always kept. */
  bodies: z
    .object({
      /**
       * Share of exchanges whose full bodies are stored (0–1). The others keep metadata and the
       * prompt's fingerprints (`request.x_prompt_features`), never its text. 0 drops every body.
       */
      sample_rate: z.number().min(0).max(1).default(1),
      /** `account`: an account's exchanges are all kept or all not; `exchange`: each alone. */
      sample_by: z.enum(['exchange', 'account']).default('exchange'),
      /** Built-in patterns replaced in stored bodies: `[redacted:<name>]`. */
      redact: z.array(z.enum(BUILT_IN_REDACTIONS)).default([]),
      /** Further patterns (JavaScript regular expressions, applied globally). */
      redact_patterns: z
        .array(
          z
            .object({
              name: z.string().regex(/^[a-z0-9_]+$/, 'expected a lower-case name'),
              pattern: z.string().refine(isRegex, 'not a valid regular expression'),
            })
            .strict(),
        )
        .default([]),
    })
    .strict()
    .optional(),
};

function isRegex(pattern: string): boolean {
  try {
    new RegExp(pattern, 'g');
    return true;
  } catch {
    return false;
  }
}

const storeGovernance = z.object(storeGovernanceShape);
/** The governance keys as resolved (defaults applied). */
export type StoreGovernance = z.infer<typeof storeGovernance>;
export type BodiesPolicy = NonNullable<StoreGovernance['bodies']>;
