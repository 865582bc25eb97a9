// Longer than most files on purpose: it is one single-pass scanner over a prompt's characters (the
// prompt analysers' hot loop, measured in bench/prompt); splitting the loop would cost a call per
// character class and hide the state machine it reads as.
import { abstractContentSlots } from './abstract-content-slots.js';
import {
  CHAR_CLASS,
  CLASS_DIGIT,
  CLASS_IDEOGRAPH,
  CLASS_NEWLINE,
  CLASS_SPACE,
  CLASS_WORD,
  DIGIT_KEY,
  PREFIX_CHARS,
  triggerKeyAt,
} from './char-class.js';
import type { CueMatcher, CueMatches } from './create-cue-matcher.js';
import type { LanguageVotes } from './detect-language.js';
import {
  isWordKind,
  TOKEN_CODE,
  TOKEN_EMAIL,
  TOKEN_IDEOGRAPH,
  TOKEN_LINK,
  TOKEN_NAME,
  TOKEN_NUMBER,
  TOKEN_PUNCTUATION,
  TOKEN_QUOTED,
  TOKEN_WORD,
} from './skeleton-token.js';
import { combineHash, hashString, mixHash, toHex64 } from './string-hash.js';

const PLACEHOLDER_NUMBER = hashString('<num>');
const PLACEHOLDER_QUOTED = hashString('<str>');
const PLACEHOLDER_CODE = hashString('<code>');
const PLACEHOLDER_LINK = hashString('<url>');
const PLACEHOLDER_EMAIL = hashString('<email>');
const PLACEHOLDER_NAME = hashString('<name>');
const PLACEHOLDER_SLOT = hashString('<slot>');

/** Slot abstraction is undone when it would leave fewer literal words than this. */
const MIN_LITERAL_WORDS = 3;
const MAX_QUOTE_CHARS = 300;

/** Closing quote of an opening quote character, or 0. */
function closingQuoteOf(code: number): number {
  if (code === 0x22) return 0x22; // " "
  if (code < 0xab) return 0;
  switch (code) {
    case 0x201c: // “ ”
      return 0x201d;
    case 0x300c: // 「 」
      return 0x300d;
    case 0x300e: // 『 』
      return 0x300f;
    case 0xab: // « »
      return 0xbb;
    case 0x201e: // „ “
      return 0x201c;
    default:
      return 0;
  }
}

/** The skeleton of one text: its token hashes (after slot abstraction) and the template hash. */
export interface Skeleton {
  /** 16 hex digits. */
  templateHash: string;
  /** Shingle hashes (token unigrams and bigrams of the skeleton) in `shingles[0..shingleCount)`. */
  shingles: Uint32Array;
  shingleCount: number;
  /** Literal (non-placeholder) word tokens left in the skeleton. */
  literalWords: number;
  /** Number tokens and code tokens (fenced or inline) in the text. */
  numbers: number;
  codeBlocks: number;
}

/** What the tokenizer feeds while it walks the text, so that nothing walks it twice. */
export interface ScanHooks {
  /** Cue patterns run at each token start; anchors (instruction spans) come back in `matches`. */
  matcher: CueMatcher;
  matches: CueMatches;
  /** Language evidence from tokens at or after `languageFrom` (the last user turn). */
  language: LanguageVotes;
  languageFrom: number;
}

/** Reusable scanner; not re-entrant (buffers are shared between calls). */
export interface SkeletonScanner {
  /**
   * Tokenizes `text` once (running the cue triggers and language votes of `hooks` on the way),
   * then abstracts fillers and content slots into the template skeleton. `lowerText` is
   * `text.toLowerCase()`. Lines holding an instruction cue are never abstracted into slots, and
   * German (capitalised nouns) keeps capitalised words literal instead of `<name>`.
   */
  scan(text: string, lowerText: string, hooks: ScanHooks | null): Skeleton;
  /**
   * `scan`'s first half for one user turn of a conversation (see `create-turn-memo.ts`):
   * tokenizes and marks anchored tokens, but abstracts no slots. Returns the line count; the
   * tokens are in `tokens` until the next call.
   */
  tokenizeLines(text: string, lowerText: string, hooks: ScanHooks | null): number;
  /** Marks content slots of the tokens of `tokenizeLines`, as in a text of more than one line when `multiLine`. */
  abstractSlots(lines: number, multiLine: boolean): void;
  /** The token columns, valid until the next call; `reserve` makes room to load `count` tokens. */
  readonly tokens: SkeletonTokens;
  reserve(count: number): SkeletonTokens;
  /** `scan`'s second half: the skeleton of the token columns as they are (slots marked). */
  skeleton(keepCapitals: boolean): Skeleton;
}

/** The scanner's token columns: per token its literal hash, kind and content-slot mark. */
export interface SkeletonTokens {
  count: number;
  literal: Uint32Array;
  kind: Uint8Array;
  slot: Uint8Array;
  /** A fence (```) of the text was left open, so it ran to the end of the text. */
  fenceLeftOpen: boolean;
}

const EMPTY_SLOTS = Int32Array.of(-1);

/** Scanner state lives in fields (not closures) so the hot loop stays monomorphic. */
class SkeletonScannerState implements SkeletonScanner, SkeletonTokens {
  capacity = 256;
  literal = new Uint32Array(256);
  kind = new Uint8Array(256);
  start = new Int32Array(256);
  line = new Int32Array(256);
  slot = new Uint8Array(256);
  anchored = new Uint8Array(256);
  shingles = new Uint32Array(512);
  // Per-line columns, reused between calls (`array.length = 0` would free a JS array's storage).
  lineCapacity = 64;
  lineFirst = new Int32Array(64);
  lineWords = new Int32Array(64);
  lineParagraphStart = new Uint8Array(64);
  lineAnchored = new Uint8Array(64);
  /** Entries used in `lineFirst` (lines + 1 once tokenizing is done). */
  lineEntries = 0;
  count = 0;
  currentLine = 0;
  previousKind = 0;
  hiddenUntil = 0;
  fenceLeftOpen = false;
  text = '';
  source = '';

  get tokens(): SkeletonTokens {
    return this;
  }

  reserve(count: number): SkeletonTokens {
    while (this.capacity < count) this.grow();
    this.count = count;
    return this;
  }

  grow(): void {
    this.capacity *= 2;
    const literal = new Uint32Array(this.capacity);
    literal.set(this.literal);
    this.literal = literal;
    const kind = new Uint8Array(this.capacity);
    kind.set(this.kind);
    this.kind = kind;
    const start = new Int32Array(this.capacity);
    start.set(this.start);
    this.start = start;
    const line = new Int32Array(this.capacity);
    line.set(this.line);
    this.line = line;
    this.slot = new Uint8Array(this.capacity);
    this.anchored = new Uint8Array(this.capacity);
    this.shingles = new Uint32Array(this.capacity * 2);
  }

  push(tokenKind: number, hash: number, at: number): void {
    if (this.count === this.capacity) this.grow();
    const count = this.count;
    this.literal[count] = hash;
    this.kind[count] = tokenKind;
    this.start[count] = at;
    this.line[count] = this.currentLine;
    if (isWordKind(tokenKind)) this.lineWords[this.currentLine]! += 1;
    this.count = count + 1;
    this.previousKind = tokenKind;
  }

  growLines(): void {
    this.lineCapacity *= 2;
    const lineFirst = new Int32Array(this.lineCapacity);
    lineFirst.set(this.lineFirst);
    this.lineFirst = lineFirst;
    const lineWords = new Int32Array(this.lineCapacity);
    lineWords.set(this.lineWords);
    this.lineWords = lineWords;
    const lineParagraphStart = new Uint8Array(this.lineCapacity);
    lineParagraphStart.set(this.lineParagraphStart);
    this.lineParagraphStart = lineParagraphStart;
    const lineAnchored = new Uint8Array(this.lineCapacity);
    lineAnchored.set(this.lineAnchored);
    this.lineAnchored = lineAnchored;
  }

  startLine(paragraphStart: boolean): void {
    if (this.lineEntries === this.lineCapacity) this.growLines();
    const line = this.lineEntries;
    this.lineFirst[line] = this.count;
    this.lineWords[line] = 0;
    this.lineParagraphStart[line] = paragraphStart ? 1 : 0;
    this.lineAnchored[line] = 0;
    this.lineEntries = line + 1;
  }

  tokenHash(index: number, keepCapitals: boolean): number {
    switch (this.kind[index]) {
      case TOKEN_NUMBER:
        return PLACEHOLDER_NUMBER;
      case TOKEN_QUOTED:
        return PLACEHOLDER_QUOTED;
      case TOKEN_CODE:
        return PLACEHOLDER_CODE;
      case TOKEN_LINK:
        return PLACEHOLDER_LINK;
      case TOKEN_EMAIL:
        return PLACEHOLDER_EMAIL;
      case TOKEN_NAME:
        return keepCapitals ? this.literal[index]! : PLACEHOLDER_NAME;
      default:
        return this.literal[index]!;
    }
  }

  scan(text: string, lowerText: string, hooks: ScanHooks | null): Skeleton {
    const lines = this.tokenizeLines(text, lowerText, hooks);
    this.abstractSlots(lines, lines > 1);
    return this.skeleton(hooks !== null && hooks.language.result() === 'de');
  }

  tokenizeLines(text: string, lowerText: string, hooks: ScanHooks | null): number {
    this.text = text;
    this.tokenize(text, lowerText, hooks);
    if (hooks !== null) hooks.matcher.matchUnindexed(this.source, hooks.matches, true);
    const anchors = hooks === null ? [] : hooks.matches.anchors;
    const count = this.count;

    // Tokens inside an instruction cue (and their lines) are template, never filler.
    const anchored = this.anchored;
    anchored.fill(0, 0, count);
    let anchorIndex = 0;
    for (let token = 0; token < count && anchorIndex < anchors.length; token++) {
      const position = this.start[token]!;
      while (anchorIndex < anchors.length && anchors[anchorIndex + 1]! <= position)
        anchorIndex += 2;
      if (anchorIndex < anchors.length && anchors[anchorIndex]! <= position) {
        anchored[token] = 1;
        this.lineAnchored[this.line[token]!] = 1;
      }
    }

    return this.lineEntries - 1;
  }

  abstractSlots(lines: number, multiLine: boolean): void {
    this.slot.fill(0, 0, this.count);
    abstractContentSlots(this, lines, multiLine);
  }

  skeleton(keepCapitals: boolean): Skeleton {
    const count = this.count;
    const slot = this.slot;
    const kind = this.kind;
    let literalWords = 0;
    let slotted = false;
    let numbers = 0;
    let codeBlocks = 0;
    for (let token = 0; token < count; token++) {
      const tokenKind = kind[token]!;
      if (tokenKind === TOKEN_NUMBER) numbers += 1;
      else if (tokenKind === TOKEN_CODE) codeBlocks += 1;
      if (slot[token] === 1) slotted = true;
      else if (tokenKind === TOKEN_WORD || tokenKind === TOKEN_IDEOGRAPH) literalWords += 1;
    }
    if (slotted && literalWords < MIN_LITERAL_WORDS) {
      slot.fill(0, 0, count);
      literalWords = 0;
      for (let token = 0; token < count; token++) {
        if (kind[token] === TOKEN_WORD || kind[token] === TOKEN_IDEOGRAPH) literalWords += 1;
      }
    }

    const shingles = this.shingles;
    let high = 0x2545f491;
    let low = 0x811c9dc5;
    let shingleCount = 0;
    let previousHash = 0;
    let emitted = 0;
    for (let token = 0; token < count; token++) {
      let hash: number;
      if (slot[token] === 1) {
        if (token > 0 && slot[token - 1] === 1) continue;
        hash = PLACEHOLDER_SLOT;
      } else {
        hash = this.tokenHash(token, keepCapitals);
        // "Warsaw" and "New York" fill the same slot: a run of names is one <name>.
        if (hash === PLACEHOLDER_NAME && emitted > 0 && previousHash === PLACEHOLDER_NAME) continue;
      }
      high = combineHash(high, hash);
      low = Math.imul(low ^ hash, 0x01000193);
      shingles[shingleCount++] = hash;
      if (emitted > 0) shingles[shingleCount++] = combineHash(previousHash, hash);
      previousHash = hash;
      emitted += 1;
    }
    return {
      templateHash: toHex64(high, mixHash(low ^ emitted)),
      shingles,
      shingleCount,
      literalWords,
      numbers,
      codeBlocks,
    };
  }

  /** Emits a token to the skeleton, unless it lies inside a quote or inline code. */
  emit(tokenKind: number, hash: number, at: number): void {
    if (at < this.hiddenUntil) return;
    this.push(tokenKind, hash, at);
  }

  tokenize(text: string, lowerText: string, hooks: ScanHooks | null): void {
    const source = lowerText.length === text.length ? lowerText : text;
    this.source = source;
    const length = text.length;
    this.count = 0;
    this.currentLine = 0;
    this.previousKind = 0;
    this.hiddenUntil = 0;
    this.fenceLeftOpen = false;
    this.lineEntries = 0;
    this.startLine(true);
    const matcher = hooks === null ? null : hooks.matcher;
    const triggerSlots = matcher === null ? EMPTY_SLOTS : matcher.triggerSlots;
    const triggerMask = matcher === null ? 0 : matcher.triggerMask;
    const matches = hooks === null ? null : hooks.matches;
    const language = hooks === null ? null : hooks.language;
    const languageFrom = hooks === null ? length : hooks.languageFrom;
    let previousCode = 0x0a;

    let index = 0;
    while (index < length) {
      const code = source.charCodeAt(index);
      const charClass = CHAR_CLASS[code]!;
      if (charClass === CLASS_SPACE) {
        index += 1;
        continue;
      }
      if (charClass === CLASS_NEWLINE) {
        // A blank line makes the (still empty) current line a paragraph start.
        if (this.lineFirst[this.currentLine] === this.count) {
          this.lineParagraphStart[this.currentLine] = 1;
        } else {
          this.currentLine += 1;
          this.startLine(false);
        }
        this.previousKind = 0;
        previousCode = code;
        index += 1;
        continue;
      }
      const at = index;
      if (charClass === CLASS_WORD) {
        let hash = 0x811c9dc5;
        let end = index;
        // The trigger key: FNV-1a of the word's first 1–4 characters (`PREFIX_CHARS`), or of all
        // of them before a joiner or the end when fewer; the rest of the word extends the hash.
        const keyEnd = Math.min(length, index + PREFIX_CHARS[code]!);
        while (end < keyEnd) {
          const next = source.charCodeAt(end);
          if (CHAR_CLASS[next] !== CLASS_WORD) break;
          hash = Math.imul(hash ^ next, 0x01000193);
          end += 1;
        }
        const key = hash;
        while (end < length) {
          const next = source.charCodeAt(end);
          if (CHAR_CLASS[next] === CLASS_WORD) {
            hash = Math.imul(hash ^ next, 0x01000193);
            end += 1;
          } else if (
            (next === 0x27 || next === 0x2019 || next === 0x2d) &&
            end + 1 < length &&
            CHAR_CLASS[source.charCodeAt(end + 1)] === CLASS_WORD
          ) {
            hash = Math.imul(hash ^ next, 0x01000193);
            end += 1;
            // "step-by-step", "d'étape": the part after the joiner is a word start for cues.
            if (matcher !== null)
              matcher.matchAt(source, end, triggerKeyAt(source, end), matches!, true);
          } else break;
        }
        if (triggerSlots[key & triggerMask] !== -1) {
          // `| 0`, not `>>> 0`: a signed key stays a small integer (an unsigned one above 2^31 is boxed).
          matcher!.matchAt(source, at, key | 0, matches!, true);
        }
        if (language !== null && at >= languageFrom && !language.full) {
          language.addWord(code, hash >>> 0);
        }
        if (
          end + 1 < length &&
          source.charCodeAt(end) === 0x40 &&
          CHAR_CLASS[source.charCodeAt(end + 1)] === CLASS_WORD
        ) {
          end += 1;
          while (end < length) {
            const next = source.charCodeAt(end);
            if (CHAR_CLASS[next] === CLASS_WORD || next === 0x2e || next === 0x2d) end += 1;
            else break;
          }
          this.emit(TOKEN_EMAIL, PLACEHOLDER_EMAIL, at);
          index = end;
          previousCode = 0x61;
          continue;
        }
        if (
          end - index >= 3 &&
          (code === 0x68 || code === 0x77) &&
          (source.startsWith('://', end) || source.startsWith('www.', index))
        ) {
          while (end < length) {
            const nextClass = CHAR_CLASS[source.charCodeAt(end)];
            if (nextClass === CLASS_SPACE || nextClass === CLASS_NEWLINE) break;
            end += 1;
          }
          this.emit(TOKEN_LINK, PLACEHOLDER_LINK, at);
          index = end;
          previousCode = 0x61;
          continue;
        }
        const original = text.charCodeAt(index);
        const capitalised = original !== code && !(end - index === 1 && original === 0x49);
        const previousKind = this.previousKind;
        const midSentence =
          previousKind !== 0 &&
          (isWordKind(previousKind) || previousKind === TOKEN_NUMBER || previousCode === 0x2c);
        this.emit(capitalised && midSentence ? TOKEN_NAME : TOKEN_WORD, hash | 0, at);
        index = end;
        previousCode = 0x61;
        continue;
      }
      if (charClass === CLASS_IDEOGRAPH) {
        const key = Math.imul(0x811c9dc5 ^ code, 0x01000193) | 0;
        if (triggerSlots[key & triggerMask] !== -1)
          matcher!.matchAt(source, at, key, matches!, true);
        if (language !== null && at >= languageFrom && !language.full) language.addIdeograph(code);
        this.emit(TOKEN_IDEOGRAPH, mixHash(code + 0x10000), at);
        index += 1;
        previousCode = code;
        continue;
      }
      if (charClass === CLASS_DIGIT) {
        if (matcher !== null) matcher.matchAt(source, at, DIGIT_KEY, matches!, true);
        index += 1;
        while (index < length) {
          const next = source.charCodeAt(index);
          if (CHAR_CLASS[next] === CLASS_DIGIT) index += 1;
          else if (
            (next === 0x2e || next === 0x2c || next === 0x3a || next === 0x2f || next === 0x2d) &&
            index + 1 < length &&
            CHAR_CLASS[source.charCodeAt(index + 1)] === CLASS_DIGIT
          )
            index += 2;
          else break;
        }
        this.emit(TOKEN_NUMBER, PLACEHOLDER_NUMBER, at);
        previousCode = 0x30;
        continue;
      }
      // Punctuation and symbols.
      if (code === 0x60 && source.startsWith('```', index)) {
        // A fenced block is one placeholder, and code is not an instruction: no cues inside.
        const close = source.indexOf('```', index + 3);
        this.emit(TOKEN_CODE, PLACEHOLDER_CODE, at);
        if (close < 0) this.fenceLeftOpen = true;
        index = close < 0 ? length : close + 3;
        previousCode = 0x60;
        continue;
      }
      const key = Math.imul(0x811c9dc5 ^ code, 0x01000193) | 0;
      // Most punctuation starts no cue: the first probe of the key table says so without a call.
      if (triggerSlots[key & triggerMask] !== -1) matcher!.matchAt(source, at, key, matches!, true);
      if (at >= this.hiddenUntil) {
        // `inline code` and "quotes" are one placeholder in the skeleton; cue triggers still run
        // inside ("wrap it in `<think>` tags").
        const closing = code === 0x60 ? 0x60 : closingQuoteOf(code);
        if (closing !== 0) {
          // Bounded search: an unclosed quote must not cost a scan to the end of the text.
          const limit = Math.min(length, index + MAX_QUOTE_CHARS + 1);
          let close = -1;
          for (let position = index + 1; position < limit; position++) {
            const next = source.charCodeAt(position);
            if (next === closing) {
              close = position;
              break;
            }
            if (next === 0x0a) break;
          }
          if (close > 0) {
            this.push(
              code === 0x60 ? TOKEN_CODE : TOKEN_QUOTED,
              code === 0x60 ? PLACEHOLDER_CODE : PLACEHOLDER_QUOTED,
              at,
            );
            this.hiddenUntil = close + 1;
            index += 1;
            previousCode = code;
            continue;
          }
        }
      }
      this.emit(TOKEN_PUNCTUATION, mixHash(code), at);
      previousCode = code;
      index += 1;
    }
    // Close the last line (an empty trailing line after a newline is its own end marker).
    if (this.lineFirst[this.currentLine] !== this.count || this.currentLine === 0) {
      if (this.lineEntries === this.lineCapacity) this.growLines();
      this.lineFirst[this.lineEntries] = this.count;
      this.lineEntries += 1;
    }
  }
}

/**
 * Builds a scanner that reduces a prompt to its template skeleton in one pass over the characters
 * (no regexes, no per-token strings), then abstracts content slots by line structure.
 */
export function createSkeletonScanner(): SkeletonScanner {
  return new SkeletonScannerState();
}
