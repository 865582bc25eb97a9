import { CHAR_CLASS, CLASS_DIGIT, CLASS_SPACE, CLASS_WORD, CLASS_NEWLINE, triggerKeyAt } from './char-class.js';
import type { CueDefinition } from './cue-definition.js';
import { patternTriggerKeys } from './pattern-trigger-keys.js';

/** Per-call match state, reused between calls by its owner. */
export interface CueMatches {
  /** 1 where the cue at that index matched. */
  matched: Uint8Array;
  /** Number of matches per cue (capability keywords vote by count). */
  counts: Uint16Array;
  /** Flat `[start, end, …]` spans of non-capability matches in the anchored text, by start. */
  anchors: number[];
}

/** Finds cues in lowercased text. */
export interface CueMatcher {
  readonly cues: readonly CueDefinition[];
  /** Patterns that could not be indexed by trigger key and scan the whole text (should be none). */
  readonly unindexedPatterns: readonly string[];
  createMatches(): CueMatches;
  /** Adds the cues found in `lowerText` to `matches`; spans go to `matches.anchors` when `anchor`. */
  match(lowerText: string, matches: CueMatches, anchor: boolean): void;
}

/** Splits a regex source at its top-level `|`. */
export function splitAlternatives(pattern: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index]!;
    if (character === '\\') {
      index += 1;
      continue;
    }
    if (inClass) {
      if (character === ']') inClass = false;
      continue;
    }
    if (character === '[') inClass = true;
    else if (character === '(') depth += 1;
    else if (character === ')') depth -= 1;
    else if (character === '|' && depth === 0) {
      parts.push(pattern.slice(from, index));
      from = index + 1;
    }
  }
  parts.push(pattern.slice(from));
  return parts;
}

/** Makes plain `(` groups non-capturing (cheaper, and nothing reads them). */
function toNonCapturing(pattern: string): string {
  let output = '';
  let inClass = false;
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index]!;
    if (character === '\\') {
      output += character + (pattern[index + 1] ?? '');
      index += 1;
      continue;
    }
    if (inClass) {
      if (character === ']') inClass = false;
      output += character;
      continue;
    }
    if (character === '[') inClass = true;
    if (character === '(' && pattern[index + 1] !== '?') output += '(?:';
    else output += character;
  }
  return output;
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
  const byKey = new Map<number, number[]>();
  const unindexed: string[] = [];
  const fallback: { regex: RegExp; cue: number }[] = [];
  cues.forEach((cue, cueIndex) => {
    for (const pattern of cue.patterns) {
      for (const alternative of splitAlternatives(pattern)) {
        const keys = patternTriggerKeys(alternative);
        if (keys === null) {
          unindexed.push(alternative);
          fallback.push({ regex: new RegExp(toNonCapturing(alternative), 'g'), cue: cueIndex });
          continue;
        }
        const id = regexes.length;
        regexes.push(new RegExp(toNonCapturing(alternative), 'y'));
        cueOfPattern.push(cueIndex);
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
  const anchorCue = Uint8Array.from(cues, (cue) => (cue.family === 'capability' ? 0 : 1));

  function record(matches: CueMatches, cue: number, start: number, end: number, anchor: boolean): void {
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

  function runTrigger(text: string, position: number, matches: CueMatches, anchor: boolean): void {
    const key = triggerKeyAt(text, position) | 0;
    let slot = key & table.mask;
    while (table.from[slot] !== -1) {
      if (table.keys[slot] === key) {
        const to = table.to[slot]!;
        let lastCue = -1;
        for (let cursor = table.from[slot]!; cursor < to; cursor++) {
          const id = table.patternIds[cursor]!;
          const cue = patternCue[id]!;
          if (cue === lastCue) continue;
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
        if (charClass !== previousClass || (charClass !== CLASS_WORD && charClass !== CLASS_DIGIT)) {
          runTrigger(lowerText, index, matches, anchor);
        }
        previousClass = charClass;
        index += 1;
      }
      for (const { regex, cue } of fallback) {
        regex.lastIndex = 0;
        for (let found = regex.exec(lowerText); found !== null; found = regex.exec(lowerText)) {
          record(matches, cue, found.index, found.index + found[0].length, anchor);
          if (found[0].length === 0) regex.lastIndex += 1;
        }
      }
    },
  };
}
