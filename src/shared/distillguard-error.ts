/**
 * The one error class for expected failures a user can act on: a stable `code`, a message that
 * says how to fix it, and optional structured details. Rendered to text at the edge (the CLI).
 *
 * @example
 * throw new DistillguardError('scenario_invalid', 'campaigns[0].accounts must be a positive integer', { path: 'campaigns[0].accounts' });
 */
export class DistillguardError extends Error {
  override readonly name = 'DistillguardError';
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.code = code;
    this.details = details;
  }

  static is(value: unknown): value is DistillguardError {
    return value instanceof DistillguardError;
  }
}

/** Result of an operation whose failure is expected (untrusted input); never thrown in hot loops. */
export type Result<Value, Failure> =
  | { success: true; value: Value }
  | { success: false; error: Failure };
