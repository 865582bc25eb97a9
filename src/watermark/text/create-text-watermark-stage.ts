import { toWatermarkKey, type WatermarkKeyInput } from '../keys/watermark-key.js';
import { createLexicalScanner } from './lexical-scanner.js';
import { createTextChoice } from './text-choice.js';

/** Counters of a text watermark stage: the substitution rate is `substitutions / words`. */
export interface TextWatermarkStats {
  readonly words: number;
  /** Words where a keyed choice applied (a variant word outside code, quotes, URLs…). */
  readonly candidates: number;
  /** Candidates whose spelling changed. */
  readonly substitutions: number;
  readonly substitutionRate: number;
}

/** A stream stage: chunks in, chunks out; `flush` returns the held-back tail at the end. */
export interface TextWatermarkStage {
  push(chunk: string): string;
  flush(): string;
  stats(): TextWatermarkStats;
}

/**
 * A text-level watermark for a black-box upstream: keyed, context-conditional word choices
 * (`big`/`large`, `toward`/`towards`, …) applied to streamed text. A word is held back until the
 * whitespace after it arrives; code blocks, inline code, quoted strings, URLs, numbers and
 * identifiers pass through untouched.
 *
 * @example
 * const stage = createTextWatermarkStage({ key });
 * for await (const chunk of upstream) send(stage.push(chunk));
 * send(stage.flush());
 */
export function createTextWatermarkStage({ key }: { key: WatermarkKeyInput }): TextWatermarkStage {
  const scanner = createLexicalScanner();
  const choose = createTextChoice(toWatermarkKey(key));
  let pending = '';
  let words = 0;
  let candidates = 0;
  let substitutions = 0;

  const rewrite = (text: string): string => {
    let output = '';
    let start = 0;
    for (const match of text.matchAll(/\s+/g)) {
      output += rewriteRun(text.slice(start, match.index)) + match[0];
      start = match.index + match[0].length;
    }
    return output + rewriteRun(text.slice(start));
  };
  const rewriteRun = (run: string): string => {
    if (run === '') return run;
    words += 1;
    return scanner.run(run, ({ previousWord, classIndex, variant }) => {
      candidates += 1;
      const chosen = choose(previousWord, classIndex);
      if (chosen !== variant) substitutions += 1;
      return chosen;
    });
  };

  return {
    push(chunk) {
      pending += chunk;
      let cut = pending.length;
      while (cut > 0 && !/\s/.test(pending[cut - 1]!)) cut -= 1;
      if (cut === 0) return '';
      const ready = pending.slice(0, cut);
      pending = pending.slice(cut);
      return rewrite(ready);
    },
    flush() {
      const rest = pending;
      pending = '';
      return rewrite(rest);
    },
    stats() {
      return {
        words,
        candidates,
        substitutions,
        substitutionRate: words === 0 ? 0 : substitutions / words,
      };
    },
  };
}
