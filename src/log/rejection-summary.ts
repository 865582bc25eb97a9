import type { LineRejection } from './read-json-lines.js';

/** Counts rejected lines by reason and keeps the first few for display. */
export interface RejectionSummary {
  readonly total: number;
  readonly byReason: ReadonlyMap<string, number>;
  readonly examples: readonly LineRejection[];
  add(rejection: LineRejection): void;
  /** `file:line: reason` for the first examples, then one line per reason with its count. */
  format(): string;
}

export function createRejectionSummary(maxExamples = 20): RejectionSummary {
  const byReason = new Map<string, number>();
  const examples: LineRejection[] = [];
  let total = 0;
  return {
    get total() {
      return total;
    },
    byReason,
    examples,
    add(rejection) {
      total += 1;
      // Group "malformed JSON (Unexpected token …)" variants under one reason.
      const reason = rejection.reason.replace(/ \(.*\)$/, '');
      byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
      if (examples.length < maxExamples) examples.push(rejection);
    },
    format() {
      if (total === 0) return 'rejected lines: 0';
      const lines = examples.map((r) => `${r.file}:${r.line}: ${r.reason}`);
      if (total > examples.length) lines.push(`… and ${total - examples.length} more`);
      lines.push(`rejected lines: ${total}`);
      for (const [reason, count] of [...byReason].sort((a, b) => b[1] - a[1])) {
        lines.push(`  ${count}× ${reason}`);
      }
      return lines.join('\n');
    },
  };
}
