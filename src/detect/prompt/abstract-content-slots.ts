import { CHAR_CLASS, CLASS_NEWLINE } from './char-class.js';
import { isQuestionMark, isSentenceEnd, isWordKind, TOKEN_PUNCTUATION } from './skeleton-token.js';

/** A line may be a header (`Question:`, `[Response]`, `### Input`, `<doc>`) when this short. */
const HEADER_MAX_WORDS = 5;
/** In a multi-line prompt, a line this long without an instruction cue is content, not template. */
const LONG_LINE_WORDS = 12;

/** The tokenizer's view of a text: tokens (kind, start) grouped into lines; `slot` is written. */
export interface SlotLayout {
  readonly text: string;
  readonly count: number;
  readonly kind: Uint8Array;
  readonly start: Int32Array;
  readonly slot: Uint8Array;
  readonly anchored: Uint8Array;
  /** First token of each line, plus one past the last line. */
  readonly lineFirst: Int32Array;
  readonly lineWords: Int32Array;
  readonly lineParagraphStart: Uint8Array;
  readonly lineAnchored: Uint8Array;
}

/**
 * Marks filler tokens as content slots, by line shape (README "Template skeletons"): lines under
 * a short header, text after a short `Label:`, long lines of a multi-line prompt, and question
 * sentences with their context. Lines holding an instruction cue (anchored) stay literal.
 * `multiLine`: the text the lines belong to has more than one (a turn of a conversation does).
 */
export function abstractContentSlots(
  layout: SlotLayout,
  lineCount: number,
  multiLine = lineCount > 1,
): void {
  const { text, kind, start, slot, anchored, lineFirst } = layout;
  let inHeaderBlock = false;
  for (let lineIndex = 0; lineIndex < lineCount; lineIndex++) {
    const first = lineFirst[lineIndex]!;
    const end = lineFirst[lineIndex + 1]!;
    const words = layout.lineWords[lineIndex]!;
    const lineAnchored = layout.lineAnchored[lineIndex] === 1;
    if (layout.lineParagraphStart[lineIndex] === 1) inHeaderBlock = false;
    if (end <= first) continue;
    const lastCode = text.charCodeAt(lastCharOfLine(layout, end));
    const firstCode = text.charCodeAt(start[first]!);
    const header =
      words <= HEADER_MAX_WORDS &&
      (lastCode === 0x3a ||
        lastCode === 0xff1a ||
        lastCode === 0x5d ||
        lastCode === 0x3e ||
        lastCode === 0x3011 ||
        firstCode === 0x23);
    if (header) {
      inHeaderBlock = true;
      continue;
    }
    if (!lineAnchored && inHeaderBlock) {
      slot.fill(1, first, end);
      continue;
    }
    inHeaderBlock = false;
    // "Label: content" - the content after a label is filler, up to an instruction cue.
    let colon = -1;
    let wordsBefore = 0;
    for (let token = first; token < end; token++) {
      const tokenKind = kind[token]!;
      if (anchored[token] === 1) break;
      if (tokenKind === TOKEN_PUNCTUATION) {
        const code = text.charCodeAt(start[token]!);
        if (code === 0x3a || code === 0xff1a) {
          colon = token;
          break;
        }
      } else if (isWordKind(tokenKind)) wordsBefore += 1;
    }
    const shortLabel = colon >= 0 && wordsBefore >= 1 && wordsBefore <= HEADER_MAX_WORDS;
    if (!lineAnchored && !shortLabel && multiLine && words >= LONG_LINE_WORDS) {
      slot.fill(1, first, end);
      continue;
    }
    if (colon >= 0 && wordsBefore >= 1) {
      let stop = colon + 1;
      let sentenceStop = colon + 1;
      while (stop < end && anchored[stop] === 0) {
        if (kind[stop] === TOKEN_PUNCTUATION && isSentenceEnd(text.charCodeAt(start[stop]!))) {
          sentenceStop = stop + 1;
        }
        stop += 1;
      }
      slot.fill(1, colon + 1, stop === end ? end : sentenceStop);
      if (stop === end) continue;
    }
    // A question (with the context sentences before it) is filler; instructions stay.
    let sentenceStart = first;
    for (let token = first; token < end; token++) {
      if (anchored[token] === 1) {
        sentenceStart = -1;
        continue;
      }
      if (kind[token] !== TOKEN_PUNCTUATION) continue;
      const code = text.charCodeAt(start[token]!);
      if (!isSentenceEnd(code)) continue;
      if (sentenceStart < 0) {
        sentenceStart = token + 1;
        continue;
      }
      if (isQuestionMark(code) && token - sentenceStart >= 3) {
        slot.fill(1, sentenceStart, token + 1);
      }
      if (isQuestionMark(code)) sentenceStart = token + 1;
    }
  }
}

function lastCharOfLine(layout: SlotLayout, endToken: number): number {
  const text = layout.text;
  let position = endToken < layout.count ? layout.start[endToken]! - 1 : text.length - 1;
  while (
    position > 0 &&
    CHAR_CLASS[text.charCodeAt(position)]! <= CLASS_NEWLINE &&
    CHAR_CLASS[text.charCodeAt(position)]! > 0
  ) {
    position -= 1;
  }
  return position;
}
