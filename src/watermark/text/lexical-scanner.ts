import { LEXICAL_VARIANTS, VARIANT_INDEX } from './lexical-variants.js';

/** An occurrence of a variant word where a keyed choice is allowed. */
export interface LexicalCandidate {
  /** Previous word in lower case ('' at the start or after code, a URL, a number…). */
  readonly previousWord: string;
  readonly classIndex: number;
  readonly variant: number;
}

const SIMPLE_RUN = /^(\(?)([A-Za-z]+)([,.;:!?)]*)$/;

/**
 * Walks text run by run (a run = characters between whitespace) and tracks where lexical choices
 * are forbidden: fenced and inline code, double-quoted strings, and any run that is not a plain
 * word with light punctuation (URLs, numbers, identifiers, hyphenated or apostrophised words).
 * The stage and the detector share it, so both see the same candidates.
 */
export function createLexicalScanner() {
  let inFence = false;
  let inInlineCode = false;
  let inQuote = false;
  let previousWord = '';

  return {
    /**
     * Scans one run. When it is a candidate, `choose` returns the variant index to write (or the
     * current one); the run is returned rewritten accordingly.
     */
    run(run: string, choose: (candidate: LexicalCandidate) => number): string {
      const protectedBefore = inFence || inInlineCode || inQuote;
      if (run.startsWith('```')) {
        inFence = !inFence;
      } else if (!inFence) {
        if (countOf(run, '`') % 2 === 1) inInlineCode = !inInlineCode;
        if (!inInlineCode) {
          if (countOf(run, '"') % 2 === 1) inQuote = !inQuote;
          if (run.includes('\u201c')) inQuote = true;
          if (run.includes('\u201d')) inQuote = false;
        }
      }
      const match = SIMPLE_RUN.exec(run);
      if (!match || protectedBefore || inFence || inInlineCode) {
        previousWord = '';
        return run;
      }
      const word = match[2]!;
      const lower = word.toLowerCase();
      const entry = VARIANT_INDEX.get(lower);
      const casing = lower === word ? 'lower' : capitalise(lower) === word ? 'capital' : 'other';
      let output = run;
      let current = lower;
      if (entry && casing !== 'other' && !inQuote) {
        const [classIndex, variant] = entry;
        const chosen = choose({ previousWord, classIndex, variant });
        if (chosen !== variant) {
          current = variantWord(classIndex, chosen);
          output = match[1]! + (casing === 'capital' ? capitalise(current) : current) + match[3]!;
        }
      }
      previousWord = current;
      return output;
    },
  };
}

function variantWord(classIndex: number, variant: number): string {
  return LEXICAL_VARIANTS[classIndex]![variant]!;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function countOf(text: string, character: string): number {
  let count = 0;
  for (const item of text) if (item === character) count += 1;
  return count;
}
