import type { Exchange } from '../log/exchange.js';
import { type ActivityShape, nextActiveTime } from './activity-clock.js';
import type { Behaviour, Draft, SimulationContext } from './behaviour.js';
import type { Random } from './random.js';

/**
 * A person's wait before the next turn of a conversation, from the moment the previous answer
 * completed: what is left to read of it (they read while it streams, at `tokensPerSecond`, and
 * now and then skim at several times that), then thinking and typing the next message.
 */
export function readingGapMs(
  random: Random,
  outputTokens: number,
  latencyMs: number,
  tokensPerSecond: number,
): number {
  const rate = random.chance(0.2)
    ? tokensPerSecond * (3 + 3 * random.next())
    : tokensPerSecond * (0.8 + 0.4 * random.next());
  const unread = Math.max(0, (outputTokens / rate) * 1000 - latencyMs);
  return unread + 4000 + random.exponential(25_000);
}

/**
 * Conversations a person holds (sessions of 1 + ⌊Exp(`meanExtra`)⌋ turns): a session opens on the
 * activity clock, and each further turn waits {@link readingGapMs} after the previous answer.
 */
export function readingSessions(
  context: SimulationContext,
  perDay: number,
  shape: ActivityShape,
  meanExtra: number,
  compose: (first: boolean, at: number) => Draft,
): Behaviour {
  const { random } = context;
  const meanLength = 1 + 1 / (Math.exp(1 / meanExtra) - 1);
  // Words a minute differ between people: ~3.5–6 tokens a second (about 160–280 wpm).
  const tokensPerSecond = 3.5 + 2.5 * random.next();
  let remaining = 0;
  let first = true;
  let last: Exchange | undefined;
  return {
    nextTime(from) {
      if (remaining > 0 && last !== undefined) {
        const answeredAt = Date.parse(last.ts) + (last.latency_ms ?? 0);
        const tokens = last.response?.output_tokens ?? 0;
        return (
          Math.max(from, answeredAt) +
          readingGapMs(random, tokens, last.latency_ms ?? 0, tokensPerSecond)
        );
      }
      return nextActiveTime(random, from, perDay / meanLength, shape);
    },
    compose(at) {
      first = remaining <= 0;
      if (first) remaining = 1 + Math.floor(random.exponential(meanExtra));
      remaining -= 1;
      return compose(first, at);
    },
    answered(exchange) {
      last = exchange;
    },
  };
}
