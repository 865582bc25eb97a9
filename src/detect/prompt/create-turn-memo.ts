import type { CueMatcher, CueMatches } from './create-cue-matcher.js';
import type { ScanHooks, SkeletonScanner } from './create-skeleton-scanner.js';
import { LanguageVotes } from './detect-language.js';
import { hashText } from './string-hash.js';

/**
 * Distinct user turns remembered per generation (two generations are kept). A conversation
 * re-sends its earlier turns with every exchange, mostly soon: on quickstart seed 2 and its
 * fresh-prompt copy, 82–83 % of the earlier turns' characters come back within 2,048 turns
 * (95–98 % within 32k), and every remembered turn keeps its text and tokens in the old generation.
 */
const TURN_CACHE_SIZE = 2048;
/** Token columns of remembered turns are packed into shared slabs of this many numbers. */
const SLAB_SIZE = 16_384;

// A token's packed column: its kind (4 bits) and its slot marks, alone and among other turns.
const KIND_MASK = 0x0f;
const SLOT_ALONE = 0x10;
const SLOT_JOINED = 0x20;

const NO_CUES: number[] = [];

/** What one user turn contributes to the analysis of a text made of turns joined by blank lines. */
interface TurnEntry {
  readonly text: string;
  /** `count` literal hashes at `offset`, then `count` packed kinds and slot marks. */
  readonly slab: Int32Array;
  readonly offset: number;
  readonly count: number;
  /** `[cue, matches, …]` of the cues the turn matched. */
  readonly cues: readonly number[];
  /** Language guess of the turn alone (the analysers guess from the last turn). */
  readonly language: string;
  /**
   * Scanned among other turns, the turn tokenizes and matches as it does alone: it has tokens
   * (so the joined text has more than one line), lower-casing keeps its length (else the joined
   * text is matched in its original case) and no cue pattern that could match across a line
   * break was tried in it.
   */
  readonly joinable: boolean;
  /** An open fence (```) runs to the end of the text: into the next turns, unless this is the last. */
  readonly fenceLeftOpen: boolean;
}

/** Memoised per-turn analysis for the prompt analyser; not re-entrant (one per analyser). */
export interface TurnMemo {
  /**
   * Loads into the scanner's tokens (slots marked) and into `matches.matched` / `counts` what
   * `scan` of `turns[0..count)` joined by blank lines leaves there, and returns the language the
   * scan would guess from the last turn ('und' when `lastTurnEmpty`). Each turn is analysed once
   * while it stays remembered. Returns null, with nothing useful loaded, where only a scan of the
   * joined text is exact (see `TurnEntry.joinable`). `joinedHash` is `hashText` of the joined
   * text (the analyser's result cache computed it): the key of a single turn.
   */
  load(
    turns: readonly string[],
    count: number,
    lastTurnEmpty: boolean,
    matches: CueMatches,
    joinedHash: number,
  ): string | null;
}

/**
 * Builds the memo of user turns over `scanner` and `matcher` (shared with the analyser: a turn is
 * scanned with them when it is first seen). A skeleton is a chain over all tokens and the slot
 * rules look at the whole text, so a turn keeps its token columns, not a hash: loading is a copy
 * per token, against the tokenizer's and cue triggers' work per character.
 */
export function createTurnMemo(scanner: SkeletonScanner, matcher: CueMatcher): TurnMemo {
  const hooks: ScanHooks = {
    matcher,
    matches: matcher.createMatches(),
    language: new LanguageVotes(),
    languageFrom: 0,
  };
  let recent = new Map<number, TurnEntry>();
  let older = new Map<number, TurnEntry>();
  let slab = new Int32Array(SLAB_SIZE);
  let slabUsed = 0;
  const entries: TurnEntry[] = [];
  /** The turn whose tokens the scanner holds, slots marked as alone (its last `analyzeTurn`). */
  let scanned: TurnEntry | null = null;

  function analyzeTurn(text: string): TurnEntry {
    const lowerText = text.toLowerCase();
    const matches = hooks.matches;
    matches.matched.fill(0);
    matches.counts.fill(0);
    matches.anchors.length = 0;
    matches.lineCrossings = 0;
    hooks.language.reset();
    const lines = scanner.tokenizeLines(text, lowerText, hooks);
    const tokens = scanner.tokens;
    const count = tokens.count;
    if (slabUsed + 2 * count > slab.length) {
      slab = new Int32Array(Math.max(SLAB_SIZE, 2 * count));
      slabUsed = 0;
    }
    const target = slab;
    const offset = slabUsed;
    slabUsed += 2 * count;
    scanner.abstractSlots(lines, true);
    for (let token = 0; token < count; token++) {
      target[offset + token] = tokens.literal[token]!;
      target[offset + count + token] =
        tokens.kind[token]! | (tokens.slot[token] === 1 ? SLOT_JOINED : 0);
    }
    // Alone, a one-line turn is not "a long line of a multi-line prompt".
    if (lines <= 1) scanner.abstractSlots(lines, false);
    for (let token = 0; token < count; token++) {
      if (tokens.slot[token] === 1) target[offset + count + token]! |= SLOT_ALONE;
    }
    let cues = NO_CUES;
    for (let cue = 0; cue < matches.matched.length; cue++) {
      if (matches.matched[cue] === 0) continue;
      if (cues === NO_CUES) cues = [];
      cues.push(cue, matches.counts[cue]!);
    }
    scanned = {
      text,
      slab: target,
      offset,
      count,
      cues,
      language: hooks.language.result(),
      joinable: count > 0 && lowerText.length === text.length && matches.lineCrossings === 0,
      fenceLeftOpen: tokens.fenceLeftOpen,
    };
    return scanned;
  }

  function remember(key: number, entry: TurnEntry): void {
    if (recent.size >= TURN_CACHE_SIZE) {
      older = recent;
      recent = new Map();
    }
    recent.set(key, entry);
  }

  function entryOf(text: string, key: number): TurnEntry {
    let entry = recent.get(key);
    if (entry === undefined) {
      entry = older.get(key);
      if (entry !== undefined && entry.text === text) remember(key, entry);
    }
    // A hash collision is a miss: the newer text takes the key.
    if (entry !== undefined && entry.text === text) return entry;
    entry = analyzeTurn(text);
    remember(key, entry);
    return entry;
  }

  return {
    load(turns, count, lastTurnEmpty, matches, joinedHash) {
      scanned = null;
      const joined = count > 1;
      let total = 0;
      let exact = true;
      for (let turn = 0; turn < count && exact; turn++) {
        const text = turns[turn]!;
        const entry = entryOf(text, count === 1 ? joinedHash : hashText(text));
        entries[turn] = entry;
        total += entry.count;
        exact = !joined || (entry.joinable && (!entry.fenceLeftOpen || turn === count - 1));
      }
      let language: string | null = null;
      if (exact) {
        // A single turn just scanned is in the scanner's columns already.
        const copy = joined || count === 0 || scanned !== entries[0];
        const tokens = copy ? scanner.reserve(total) : scanner.tokens;
        const slotMark = joined ? SLOT_JOINED : SLOT_ALONE;
        matches.matched.fill(0);
        matches.counts.fill(0);
        let at = 0;
        for (let turn = 0; turn < count; turn++) {
          const { slab: source, offset, count: turnTokens, cues } = entries[turn]!;
          for (let token = 0; copy && token < turnTokens; token++) {
            const packed = source[offset + turnTokens + token]!;
            tokens.literal[at] = source[offset + token]!;
            tokens.kind[at] = packed & KIND_MASK;
            tokens.slot[at] = (packed & slotMark) === 0 ? 0 : 1;
            at += 1;
          }
          for (let index = 0; index < cues.length; index += 2) {
            const cue = cues[index]!;
            matches.matched[cue] = 1;
            matches.counts[cue] = Math.min(0xffff, matches.counts[cue]! + cues[index + 1]!);
          }
        }
        language = lastTurnEmpty || count === 0 ? 'und' : entries[count - 1]!.language;
      }
      // Remembered turns are held by the cache only.
      entries.fill(undefined as unknown as TurnEntry, 0, count);
      return language;
    },
  };
}
