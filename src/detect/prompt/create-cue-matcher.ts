import type { CueDefinition } from './cue-definition.js';
import {
  SCRIPT_ARABIC,
  SCRIPT_CYRILLIC,
  SCRIPT_HAN,
  SCRIPT_HANGUL,
  SCRIPT_KANA,
  SCRIPT_LATIN,
  scriptsOf,
} from './script-profile.js';

/** Per-call match state, reused between calls by its owner. */
export interface CueMatches {
  /** 1 where the cue at that index matched. */
  matched: Uint8Array;
  /** Number of matches per cue (capability keywords vote by count). */
  counts: Uint16Array;
  /** Flat `[start, end, …]` spans of non-capability matches in the anchored text, in order. */
  anchors: number[];
}

/** Finds cues in lowercased text with one precompiled regex per script present. */
export interface CueMatcher {
  readonly cues: readonly CueDefinition[];
  createMatches(): CueMatches;
  /**
   * Adds the cues found in `lowerText` to `matches`; spans go to `matches.anchors` when `anchor`.
   * `scripts` is the text's script set (see `scriptsOf`); groups for absent scripts are skipped.
   */
  match(lowerText: string, scripts: number, matches: CueMatches, anchor: boolean): void;
}

/** Makes plain `(` groups non-capturing, so that group numbers map to cues. */
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

/** Script groups: a pattern goes to the group of its non-ASCII letters (ASCII-only: Latin). */
const GROUPS = [
  SCRIPT_LATIN,
  SCRIPT_CYRILLIC,
  SCRIPT_HAN | SCRIPT_KANA,
  SCRIPT_HANGUL,
  SCRIPT_ARABIC,
] as const;

function groupOf(pattern: string): number {
  const scripts = scriptsOf(pattern.replace(/\\./g, ''));
  for (const group of GROUPS) if (group !== SCRIPT_LATIN && (scripts & group) !== 0) return group;
  return SCRIPT_LATIN;
}

const LONG_MATCH_CHARS = 24;

interface CompiledGroup {
  scripts: number;
  regex: RegExp;
  /** Capture group number - 1 → cue index. */
  cueOfGroup: Int32Array;
}

/**
 * Compiles cue definitions once: per script group, one global regex with one capturing group per
 * cue (its phrasings joined). Matching a text is one scan per script it contains.
 */
export function createCueMatcher(cues: readonly CueDefinition[]): CueMatcher {
  const compiled: CompiledGroup[] = [];
  for (const group of GROUPS) {
    const sources: string[] = [];
    const cueOfGroup: number[] = [];
    cues.forEach((cue, cueIndex) => {
      const patterns = cue.patterns.filter((pattern) => groupOf(pattern) === group);
      if (patterns.length === 0) return;
      sources.push(`(${patterns.map(toNonCapturing).join('|')})`);
      cueOfGroup.push(cueIndex);
    });
    if (sources.length === 0) continue;
    compiled.push({
      scripts: group,
      regex: new RegExp(sources.join('|'), 'g'),
      cueOfGroup: Int32Array.from(cueOfGroup),
    });
  }
  const capabilityCue = new Uint8Array(cues.length);
  cues.forEach((cue, index) => {
    capabilityCue[index] = cue.family === 'capability' ? 1 : 0;
  });

  return {
    cues,
    createMatches() {
      return { matched: new Uint8Array(cues.length), counts: new Uint16Array(cues.length), anchors: [] };
    },
    match(lowerText, scripts, matches, anchor) {
      for (const group of compiled) {
        // ASCII-only patterns (tags, \\boxed, JSON keys) apply to every script.
        if (group.scripts !== SCRIPT_LATIN && (group.scripts & scripts) === 0) continue;
        const regex = group.regex;
        regex.lastIndex = 0;
        for (let found = regex.exec(lowerText); found !== null; found = regex.exec(lowerText)) {
          if (found[0].length === 0) {
            regex.lastIndex += 1;
            continue;
          }
          for (let groupNumber = 1; groupNumber < found.length; groupNumber++) {
            if (found[groupNumber] === undefined) continue;
            const cueIndex = group.cueOfGroup[groupNumber - 1]!;
            matches.matched[cueIndex] = 1;
            if (matches.counts[cueIndex]! < 0xffff) matches.counts[cueIndex]! += 1;
            if (anchor && capabilityCue[cueIndex] === 0) {
              matches.anchors.push(found.index, found.index + found[0].length);
            }
            break;
          }
          // A long match (".{0,80}" phrasings) may hide a shorter cue inside it: rescan from its start.
          if (found[0].length > LONG_MATCH_CHARS) regex.lastIndex = found.index + 1;
        }
      }
    },
  };
}
