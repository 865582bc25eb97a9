import type { Result } from '../shared/distillguard-error.js';
import type { Exchange } from './exchange.js';
import { fromGlasswallyEvent, type GlasswallyEvent, isGlasswallyEvent } from './glasswally.js';
import { parseExchange } from './parse-exchange.js';

/** `auto` accepts log v1 and Glasswally events line by line. */
export type LogFormat = 'auto' | 'v1' | 'glasswally';

/**
 * The parser of one log line's JSON value in `format`, shared by both log readers. A Glasswally
 * event that converts is also handed to `onGlasswally` with its exchange (its account facts:
 * `glasswallyAccount`), so each reader decides which of them travel.
 *
 * @example
 * const parse = createLogValueParser('auto');
 * parseJsonLine(line, parse);
 */
export function createLogValueParser(
  format: LogFormat,
  onGlasswally?: (event: GlasswallyEvent, exchange: Exchange) => void,
): (value: unknown) => Result<Exchange, string> {
  return (value) => {
    if (format === 'v1' || (format === 'auto' && !isGlasswallyEvent(value))) {
      return parseExchange(value);
    }
    const converted = fromGlasswallyEvent(value);
    if (converted.success && onGlasswally) onGlasswally(value as GlasswallyEvent, converted.value);
    return converted;
  };
}
