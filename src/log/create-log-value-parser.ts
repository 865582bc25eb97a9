import type { Result } from '../shared/distillguard-error.js';
import {
  fromGlasswallyEvent,
  type GlasswallyEvent,
  isGlasswallyEvent,
} from './adapters/glasswally.js';
import type { LineProblem, LogFormatName } from './adapters/log-adapter.js';
import { logAdapterNamed, lookAlikeOf } from './adapters/log-adapters.js';
import type { Exchange } from './exchange.js';
import { parseExchange } from './parse-exchange.js';

/**
 * How a reader reads a file's records. `auto` (the default) is sniffed per file from its first
 * records (`resolveLogInput`); handed to a line parser, it accepts log v1 and Glasswally events
 * line by line, as before adapters existed.
 */
export type LogFormat = 'auto' | LogFormatName;

/** What one record becomes: an exchange, several (an OTLP export), or none. */
export type ParsedRecord = Exchange | readonly Exchange[];

/**
 * The parser of one log line's JSON value in `format`, shared by both log readers. A Glasswally
 * event that converts is also handed to `onGlasswally` with its exchange (its account facts:
 * `glasswallyAccount`), so each reader decides which of them travel. A rejected record that looks
 * like another format says so (`foreign_format`, with the `--format` to use).
 *
 * @example
 * const parse = createLogValueParser('auto');
 * parseJsonLine(line, parse);
 */
export function createLogValueParser(
  format: LogFormat,
  onGlasswally?: (event: GlasswallyEvent, exchange: Exchange) => void,
): (value: unknown) => Result<ParsedRecord, string | LineProblem> {
  const adapter =
    format === 'auto' || format === 'v1' || format === 'glasswally' || format === 'gateway-duckdb'
      ? undefined
      : logAdapterNamed(format);
  const readWith: LogFormatName[] =
    format === 'auto' ? ['v1', 'glasswally'] : format === 'gateway-duckdb' ? ['v1'] : [format];
  const hinted = (
    value: unknown,
    error: string,
  ): { success: false; error: string | LineProblem } => {
    const lookAlike = lookAlikeOf(value, readWith);
    if (!lookAlike) return { success: false, error };
    return {
      success: false,
      error: {
        reason: `looks like ${lookAlike.label}: try --format ${lookAlike.name} (${error})`,
        code: 'foreign_format',
        format: lookAlike.name,
      },
    };
  };
  return (value) => {
    let result: Result<ParsedRecord, string>;
    if (adapter) result = adapter.convert(value);
    else if (format !== 'glasswally' && (format !== 'auto' || !isGlasswallyEvent(value))) {
      result = parseExchange(value);
    } else {
      result = fromGlasswallyEvent(value);
      if (result.success && onGlasswally) {
        onGlasswally(value as GlasswallyEvent, result.value as Exchange);
      }
    }
    return result.success ? result : hinted(value, result.error);
  };
}
