import type { Exchange } from '../../log/exchange.js';
import { refill, type StatefulPart } from '../part-state.js';
import type { PromptFeatures } from '../prompt/prompt-features.js';

/**
 * A fast skim, in output tokens a second (~700 words a minute, several times a careful reader):
 * a person who sends the next turn sooner after the answer *started* has not read it.
 */
export const SKIM_TOKENS_PER_SECOND = 15;
/** Answers shorter than this are read in seconds by anyone: their follow-ups are not judged. */
export const MIN_JUDGED_ANSWER_TOKENS = 250;

/** The account's previous answered exchange, as pacing needs it. */
export interface PreviousAnswer {
  /** Request arrival (epoch ms). */
  startMs: number;
  /** Response completed: arrival + `latency_ms` (arrival when the log has no latency). */
  endMs: number;
  /** Output tokens (reasoning tokens are hidden from the reader: not counted). */
  outputTokens: number;
  userTurns: number;
}

/** The follow-up being judged. */
export interface NextTurn {
  startMs: number;
  userTurns: number;
  hasTools: boolean;
}

/**
 * How the next user turn was paced after the previous answer: `machine` when it arrived before
 * a fast skim could have read that answer (counted from when it started streaming, so reading
 * along is allowed), `read` when there was time, `overlap` when it arrived before the answer was
 * complete (another conversation in parallel: the account's consecutive exchanges are then not
 * one conversation's turns), `null` when it is not a judged follow-up: no previous answer, tools
 * (an agent's tool-result turn is no person's), not the next user turn of the same history
 * (one more user message than the previous request), or an answer too short to need reading.
 */
export function followUpPace(
  previous: PreviousAnswer | undefined,
  next: NextTurn,
): 'machine' | 'read' | 'overlap' | null {
  if (previous === undefined || next.hasTools || next.userTurns < 2) return null;
  if (next.userTurns !== previous.userTurns + 1) return null;
  if (previous.outputTokens < MIN_JUDGED_ANSWER_TOKENS) return null;
  if (next.startMs < previous.endMs) return 'overlap';
  const readingMs = (previous.outputTokens / SKIM_TOKENS_PER_SECOND) * 1000;
  return next.startMs - previous.startMs < readingMs ? 'machine' : 'read';
}

/** Per-account counts of judged follow-ups. */
export interface PacingCounts {
  machine: number;
  read: number;
  overlap: number;
}

/**
 * Per-account conversation pacing (branch self-play): the previous answered exchange and counts
 * of {@link followUpPace} outcomes. O(1) per exchange; memory O(accounts).
 */
export interface PacingTracker extends StatefulPart {
  observe(account: number, exchange: Exchange, features: PromptFeatures, timeMs: number): void;
  counts(account: number): PacingCounts;
}

const NONE: PacingCounts = { machine: 0, read: 0, overlap: 0 };

export function createPacingTracker(): PacingTracker {
  const previous: (PreviousAnswer | undefined)[] = [];
  const counts: (PacingCounts | undefined)[] = [];
  const exportState = () => ({ previous, counts });
  return {
    exportState,
    importState(state) {
      // A state exported before pacing existed restores with no pacing history.
      const restored = state as Partial<ReturnType<typeof exportState>>;
      refill(previous, restored.previous ?? []);
      refill(counts, restored.counts ?? []);
    },
    observe(account, exchange, features, timeMs) {
      const pace = followUpPace(previous[account], {
        startMs: timeMs,
        userTurns: features.userTurns,
        hasTools: features.hasTools,
      });
      if (pace !== null) {
        const own = counts[account] ?? { machine: 0, read: 0, overlap: 0 };
        own[pace] += 1;
        counts[account] = own;
      }
      const response = exchange.response;
      // A failed request has no answer to read: its retry is not a follow-up to judge.
      previous[account] =
        exchange.status === 200 && response !== undefined
          ? {
              startMs: timeMs,
              endMs: timeMs + (exchange.latency_ms ?? 0),
              outputTokens: response.output_tokens,
              userTurns: features.userTurns,
            }
          : undefined;
    },
    counts: (account) => counts[account] ?? NONE,
  };
}

/** Judged follow-ups an account needs before its pacing means anything. */
export const MACHINE_PACED_MIN_FOLLOW_UPS = 15;
/** Share of its judged follow-ups sent before the answer could be read. */
export const MACHINE_PACED_SHARE = 0.85;
/** Most follow-ups that may overlap the previous answer (parallel conversations: unreliable pairing). */
export const MACHINE_PACED_MAX_OVERLAP = 0.1;

/**
 * Whether an account's conversations are machine-paced: ≥ {@link MACHINE_PACED_MIN_FOLLOW_UPS}
 * judged follow-ups, ≥ {@link MACHINE_PACED_SHARE} of them sent before the previous answer could
 * be read, and few overlapping (one conversation at a time, so consecutive exchanges pair up).
 * Never evidence alone: a lab's scripted multi-turn benchmark is machine-paced too.
 */
export function isMachinePaced(counts: PacingCounts): boolean {
  const judged = counts.machine + counts.read;
  if (judged < MACHINE_PACED_MIN_FOLLOW_UPS) return false;
  if (counts.overlap > MACHINE_PACED_MAX_OVERLAP * (judged + counts.overlap)) return false;
  return counts.machine >= MACHINE_PACED_SHARE * judged;
}
