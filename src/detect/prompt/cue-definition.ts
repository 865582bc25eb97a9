import type { Capability } from './capability.js';

/** The score a cue contributes to. */
export type CueFamily = 'reasoning' | 'rubric' | 'censorship' | 'capability';

/**
 * One cue: a stable code, its weight as evidence (combined by noisy-OR within a family) and its
 * phrasings. Patterns are regular-expression sources matched against lowercased text; plain
 * `( )` groups are fine (they are made non-capturing when compiled). ASCII-only patterns should
 * carry their own `\b`; other scripts match as substrings (JS `\b` is ASCII-only).
 */
export interface CueDefinition {
  code: string;
  family: CueFamily;
  weight: number;
  /** For `capability` cues: the category the keyword votes for. */
  capability?: Capability;
  /** Counts only when this other cue code matched too (e.g. a generic rewrite needs a sensitive topic). */
  requires?: string;
  patterns: readonly string[];
}
