import type { Result } from '../shared/distillguard-error.js';
import type { LineProblem } from './adapters/log-adapter.js';

/**
 * One line of a JSON Lines log, without its `\n`, to a record: the one rule both log readers
 * (`readJsonLineBatches` on the calling thread, the `src/analyze` workers) apply, so a line is
 * accepted or rejected, for the same reason, whichever reads it. A trailing `\r` (CRLF files) is
 * dropped; a blank line is no record (`undefined`); otherwise the result of `parse`, or a failure
 * saying why the line was rejected.
 *
 * @example
 * parseJsonLine('{"a":1}\r', (value) => ({ success: true, value })); // { success: true, value: { a: 1 } }
 * parseJsonLine('{"a":', parse); // { success: false, error: 'malformed JSON (…)' }
 */
export function parseJsonLine<T>(
  text: string,
  parse: (value: unknown) => Result<T, string | LineProblem>,
  maxLineLength = Number.POSITIVE_INFINITY,
): Result<T, string | LineProblem> | undefined {
  const line = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (line.length > maxLineLength)
    return { success: false, error: `line longer than ${maxLineLength} characters` };
  if (line.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { success: false, error: `malformed JSON (${(error as Error).message})` };
  }
  return parse(value);
}
