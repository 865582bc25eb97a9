import { z } from 'zod';

/**
 * The `upstreams:` list of the gateway config: several upstreams chosen by model, tried in order
 * (docs/gateway.md, "Upstreams"). Each key is named by its environment variable, never inlined.
 */
export const upstreamsConfigSchema = z
  .array(
    z
      .object({
        /** Names the upstream in logs and metrics; default `upstream-<position>` (from 1). */
        name: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected letters, digits, `_`, `.` or `-`')
          .optional(),
        url: z.url(),
        api_key_env: z.string().optional(),
        /** Exact model names or globs (`claude-*`); absent: every model. */
        models: z.array(z.string().min(1)).min(1).optional(),
        connections: z.number().int().positive().default(128),
        headers_timeout_ms: z.number().int().positive().default(60_000),
        body_timeout_ms: z.number().int().positive().default(60_000),
      })
      .strict(),
  )
  .min(1)
  .superRefine((entries, context) => {
    const seen = new Set<string>();
    entries.forEach((entry, index) => {
      const name = entry.name ?? `upstream-${index + 1}`;
      if (seen.has(name))
        context.addIssue({
          code: 'custom',
          path: [index, 'name'],
          message: `duplicate upstream name ${name}: give each upstream its own name`,
        });
      seen.add(name);
    });
  });

export type UpstreamsConfig = z.infer<typeof upstreamsConfigSchema>;
