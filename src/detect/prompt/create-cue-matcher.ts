import {
  CHAR_CLASS,
  CLASS_DIGIT,
  CLASS_NEWLINE,
  CLASS_SPACE,
  CLASS_WORD,
  triggerKeyAt,
} from './char-class.js';
import type { CueDefinition } from './cue-definition.js';
import { patternTriggerKeys } from './pattern-trigger-keys.js';
import {
  distributeLeadingGroup,
  isAsciiWordCode,
  literalOf,
  literalPrefixOf,
  splitAlternatives,
  toNonCapturing,
} from './regex-literals.js';

/** Per-call match state, reused between calls by its owner. */
export interface CueMatches {
  /** 1 where the cue at that index matched. */
  matched: Uint8Array;
  /** Number of matches per cue (capability keywords vote by count). */
  counts: Uint16Array;
  /** Flat `[start, end, …]` spans of non-capability matches in the anchored text, by start. */
  anchors: number[];
  /**
   * Trigger positions whose patterns could match a line break (`\s`, `$`, …): only there can
   * what follows a text's last line change its matches (see `create-turn-memo.ts`). Counted, not reset.
   */
  lineCrossings: number;
}

/** Finds cues in lowercased text. */
export interface CueMatcher {
  readonly cues: readonly CueDefinition[];
  /** Patterns that could not be indexed by trigger key and scan the whole text (should be none). */
  readonly unindexedPatterns: readonly string[];
  createMatches(): CueMatches;
  /** Adds the cues found in `lowerText` to `matches`; spans go to `matches.anchors` when `anchor`. */
  match(lowerText: string, matches: CueMatches, anchor: boolean): void;
  /**
   * Runs the patterns filed under `key` at `position` (for a tokenizer that already walks the
   * text and computed the key, see `triggerKeyAt`). Call in text order; then `matchUnindexed`.
   */
  matchAt(
    lowerText: string,
    position: number,
    key: number,
    matches: CueMatches,
    anchor: boolean,
  ): void;
  /**
   * First-probe slots of the key table (`triggerSlots[key & triggerMask] === -1` means no pattern
   * has that key): lets a tokenizer skip `matchAt` for most tokens without a call.
   */
  readonly triggerSlots: Int32Array;
  readonly triggerMask: number;
  /** Runs the (normally zero) patterns that have no trigger key over the whole text. */
  matchUnindexed(lowerText: string, matches: CueMatches, anchor: boolean): void;
}

/** Escapes that never match or assert on a line break: `\b \B \d \w` and escaped punctuation. */
const LINE_LOCAL_ESCAPE = /[bBdw]|[^0-9A-Za-z]/;

/**
 * Whether a regex source (compiled without the `s`, `m` flags) could match a line break or test
 * for the end of the text: a class escape such as `\s`, a negated class, `^`, `$`, or an escape
 * it does not know. Conservative: false means every match stays inside one line.
 */
export function mayTouchLineBreak(source: string): boolean {
  let inClass = false;
  for (let index = 0; index < source.length; index++) {
    const character = source[index]!;
    if (character === '\\') {
      index += 1;
      if (!LINE_LOCAL_ESCAPE.test(source[index] ?? '')) return true;
    } else if (inClass) inClass = character !== ']';
    else if (character === '[') {
      if (source[index + 1] === '^') return true;
      inClass = true;
    } else if (character === '^' || character === '$') return true;
  }
  return false;
}

/** Where a literal is probed before a full comparison (see `literalProbeOffset`). */
function probeOffsetOf(literal: string): number {
  return Math.max(0, Math.min(literal.length - 1, 4));
}

/** Open-addressing table: trigger key → range of pattern ids (no Map lookups in the hot loop). */
interface TriggerTable {
  mask: number;
  keys: Int32Array;
  /** Slot → [from, to) into `patternIds`; from = -1 for an empty slot. */
  from: Int32Array;
  to: Int32Array;
  patternIds: Int32Array;
}

function buildTriggerTable(byKey: Map<number, number[]>): TriggerTable {
  let size = 16;
  while (size < byKey.size * 4) size *= 2;
  const table: TriggerTable = {
    mask: size - 1,
    keys: new Int32Array(size),
    from: new Int32Array(size).fill(-1),
    to: new Int32Array(size),
    patternIds: new Int32Array([...byKey.values()].reduce((sum, ids) => sum + ids.length, 0)),
  };
  let next = 0;
  for (const [key, ids] of byKey) {
    let slot = key & table.mask;
    while (table.from[slot] !== -1) slot = (slot + 1) & table.mask;
    table.keys[slot] = key | 0;
    table.from[slot] = next;
    for (const id of ids) table.patternIds[next++] = id;
    table.to[slot] = next;
  }
  return table;
}

/**
 * Compiles cue definitions once. Each top-level alternative of each pattern becomes a sticky
 * regex indexed by the trigger keys of the tokens it can start with (`patternTriggerKeys`).
 * Matching walks the text once, computes each token's key, and runs only the few patterns
 * filed under it at that position: cost grows with tokens, not with the size of the catalog.
 * Fenced code blocks are skipped (code is not an instruction).
 */
export function createCueMatcher(cues: readonly CueDefinition[]): CueMatcher {
  const regexes: RegExp[] = [];
  const cueOfPattern: number[] = [];
  const sourceOfPattern: string[] = [];
  const byKey = new Map<number, number[]>();
  const unindexed: string[] = [];
  const fallback: { regex: RegExp; cue: number }[] = [];
  cues.forEach((cue, cueIndex) => {
    for (const pattern of cue.patterns) {
      for (const alternative of splitAlternatives(pattern).flatMap(distributeLeadingGroup)) {
        const keys = patternTriggerKeys(alternative);
        const source = toNonCapturing(alternative);
        if (keys === null) {
          unindexed.push(alternative);
          fallback.push({ regex: new RegExp(source, 'g'), cue: cueIndex });
          continue;
        }
        const id = regexes.length;
        regexes.push(new RegExp(source, 'y'));
        cueOfPattern.push(cueIndex);
        sourceOfPattern.push(source);
        for (const key of keys) {
          const ids = byKey.get(key);
          if (ids === undefined) byKey.set(key, [id]);
          else ids.push(id);
        }
      }
    }
  });
  const table = buildTriggerTable(byKey);
  const patternCue = Int32Array.from(cueOfPattern);
  // Plain words ("python", "how many") are compared as strings; the other patterns filed under a
  // key are merged into one sticky regex, so a miss (nearly every token) costs at most one call.
  const literals = sourceOfPattern.map(literalOf);
  const literalText = literals.map((literal) => (literal === null ? '' : literal.text));
  const literalEndsWord = Uint8Array.from(literals, (literal) => (literal?.endsWord ? 1 : 0));
  const isLiteral = Uint8Array.from(literals, (literal) => (literal === null ? 0 : 1));
  // One character of each literal, compared before `startsWith`: a necessary condition that
  // turns most misses away without a call. The text already matched the trigger key (up to the
  // first 4 characters), so the 5th character (or the last, when shorter) tells most apart.
  const literalProbeOffset = Int32Array.from(literalText, (text) => probeOffsetOf(text));
  const literalProbeCode = Int32Array.from(literalText, (text) =>
    text.charCodeAt(probeOffsetOf(text)),
  );
  const slotRegex: (RegExp | null)[] = [];
  // Literal starts of a slot's regex patterns ("without ", "you are "): a common word that shares
  // its trigger key ("with", "your") is turned away by `startsWith`, without entering the regex.
  // Null when some pattern has no literal start (the regex then always runs).
  const slotPrefixes: (string[] | null)[] = [];
  const slotHasLiterals = new Uint8Array(table.mask + 1);
  for (let slot = 0; slot <= table.mask; slot++) {
    const ids: number[] = [];
    for (let cursor = table.from[slot]!; cursor >= 0 && cursor < table.to[slot]!; cursor++) {
      const id = table.patternIds[cursor]!;
      if (isLiteral[id] === 1) slotHasLiterals[slot] = 1;
      else ids.push(id);
    }
    slotRegex.push(
      ids.length === 0 ? null : new RegExp(ids.map((id) => sourceOfPattern[id]!).join('|'), 'y'),
    );
    const prefixes = ids.map((id) => literalPrefixOf(sourceOfPattern[id]!));
    const shortest = [...new Set(prefixes)]
      .sort((a, b) => a.length - b.length)
      .filter((prefix, index, sorted) => !sorted.slice(0, index).some((p) => prefix.startsWith(p)));
    slotPrefixes.push(
      ids.length === 0 || shortest.some((prefix) => prefix.length < 2) ? null : shortest,
    );
  }
  const anchorCue = Uint8Array.from(cues, (cue) => (cue.family === 'capability' ? 0 : 1));
  const slotCrossesLines = new Uint8Array(table.mask + 1);
  for (let slot = 0; slot <= table.mask; slot++) {
    for (let cursor = table.from[slot]!; cursor >= 0 && cursor < table.to[slot]!; cursor++) {
      const id = table.patternIds[cursor]!;
      if (isLiteral[id] === 0 && mayTouchLineBreak(sourceOfPattern[id]!))
        slotCrossesLines[slot] = 1;
    }
  }

  function record(
    matches: CueMatches,
    cue: number,
    start: number,
    end: number,
    anchor: boolean,
  ): void {
    matches.matched[cue] = 1;
    if (matches.counts[cue]! < 0xffff) matches.counts[cue]! += 1;
    if (anchor && anchorCue[cue] === 1) {
      const anchors = matches.anchors;
      // Keep spans sorted by start; matches arrive in text order except fallback ones.
      let position = anchors.length;
      while (position >= 2 && anchors[position - 2]! > start) position -= 2;
      anchors.splice(position, 0, start, end);
    }
  }

  function runTrigger(
    text: string,
    position: number,
    triggerKey: number,
    matches: CueMatches,
    anchor: boolean,
  ): void {
    const key = triggerKey | 0;
    let slot = key & table.mask;
    while (table.from[slot] !== -1) {
      if (table.keys[slot] === key) {
        if (slotCrossesLines[slot] === 1) matches.lineCrossings += 1;
        const from = table.from[slot]!;
        const to = table.to[slot]!;
        if (slotHasLiterals[slot] === 1) {
          for (let cursor = from; cursor < to; cursor++) {
            const id = table.patternIds[cursor]!;
            if (isLiteral[id] === 0) continue;
            if (text.charCodeAt(position + literalProbeOffset[id]!) !== literalProbeCode[id]!)
              continue;
            const literal = literalText[id]!;
            if (!text.startsWith(literal, position)) continue;
            const end = position + literal.length;
            if (literalEndsWord[id] === 1 && isAsciiWordCode(text.charCodeAt(end))) continue;
            record(matches, patternCue[id]!, position, end, anchor);
          }
        }
        const prefilter = slotRegex[slot];
        if (prefilter === null || prefilter === undefined) return;
        const prefixes = slotPrefixes[slot];
        if (prefixes !== null && prefixes !== undefined) {
          let possible = false;
          for (let index = 0; index < prefixes.length && !possible; index++) {
            const prefix = prefixes[index]!;
            const offset = probeOffsetOf(prefix);
            possible =
              text.charCodeAt(position + offset) === prefix.charCodeAt(offset) &&
              text.startsWith(prefix, position);
          }
          if (!possible) return;
        }
        prefilter.lastIndex = position;
        if (!prefilter.test(text)) return;
        // Rare: something matched here; find every cue that did.
        let lastCue = -1;
        for (let cursor = from; cursor < to; cursor++) {
          const id = table.patternIds[cursor]!;
          const cue = patternCue[id]!;
          if (cue === lastCue || isLiteral[id] === 1) continue;
          const regex = regexes[id]!;
          regex.lastIndex = position;
          if (regex.test(text)) {
            record(matches, cue, position, regex.lastIndex, anchor);
            lastCue = cue;
          }
        }
        return;
      }
      slot = (slot + 1) & table.mask;
    }
  }

  return {
    cues,
    unindexedPatterns: unindexed,
    createMatches() {
      return {
        matched: new Uint8Array(cues.length),
        counts: new Uint16Array(cues.length),
        anchors: [],
        lineCrossings: 0,
      };
    },
    match(lowerText, matches, anchor) {
      const length = lowerText.length;
      let previousClass = CLASS_SPACE;
      let index = 0;
      while (index < length) {
        const code = lowerText.charCodeAt(index);
        const charClass = CHAR_CLASS[code]!;
        if (charClass === CLASS_SPACE || charClass === CLASS_NEWLINE) {
          previousClass = CLASS_SPACE;
          index += 1;
          continue;
        }
        if (code === 0x60 && lowerText.startsWith('```', index)) {
          const close = lowerText.indexOf('```', index + 3);
          index = close < 0 ? length : close + 3;
          previousClass = CLASS_SPACE;
          continue;
        }
        if (
          charClass !== previousClass ||
          (charClass !== CLASS_WORD && charClass !== CLASS_DIGIT)
        ) {
          runTrigger(lowerText, index, triggerKeyAt(lowerText, index), matches, anchor);
        }
        previousClass = charClass;
        index += 1;
      }
      matchUnindexed(lowerText, matches, anchor);
    },
    matchAt: runTrigger,
    triggerSlots: table.from,
    triggerMask: table.mask,
    matchUnindexed,
  };

  function matchUnindexed(lowerText: string, matches: CueMatches, anchor: boolean): void {
    for (const { regex, cue } of fallback) {
      regex.lastIndex = 0;
      for (let found = regex.exec(lowerText); found !== null; found = regex.exec(lowerText)) {
        record(matches, cue, found.index, found.index + found[0].length, anchor);
        if (found[0].length === 0) regex.lastIndex += 1;
      }
    }
  }
}
