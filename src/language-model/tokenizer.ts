/** Id of the unknown piece (a character outside printable ASCII). */
export const UNKNOWN_TOKEN = 0;
/** Id of the end-of-text token; also pads the context at the start of a text. */
export const END_OF_TEXT_TOKEN = 1;

const UNKNOWN_PIECE = '\uFFFD';
// A piece is a newline, or an optional single leading space plus a word (with an apostrophe
// suffix), a digit, or one other character. Runs of spaces collapse to one: the tokenizer is
// lossless for normalised text, which is all the demo model sees.
const PIECE_PATTERN = /\n|([ \t\r]*)([A-Za-z]+(?:'[A-Za-z]+)?|[0-9]|[^\s])/g;

/** Word + punctuation tokenizer over a fixed vocabulary, with a character fallback. */
export interface Tokenizer {
  readonly pieces: readonly string[];
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  decodeToken(id: number): string;
}

/** Splits text into pieces (`' the'`, `','`, `'\n'`), the unit the vocabulary is built from. */
export function splitPieces(text: string): string[] {
  const pieces: string[] = [];
  for (const match of text.matchAll(PIECE_PATTERN)) {
    if (match[0] === '\n') pieces.push('\n');
    else pieces.push((match[1] ? ' ' : '') + (match[2] ?? ''));
  }
  return pieces;
}

/** Builds a tokenizer whose vocabulary is the `maxVocabulary` most frequent pieces plus ASCII. */
export function createTokenizer(
  pieceCounts: ReadonlyMap<string, number>,
  maxVocabulary: number,
): Tokenizer {
  const pieces: string[] = [UNKNOWN_PIECE, ''];
  const seen = new Set<string>(pieces);
  const add = (piece: string) => {
    if (seen.has(piece)) return;
    seen.add(piece);
    pieces.push(piece);
  };
  add('\n');
  for (let code = 33; code < 127; code += 1) {
    add(String.fromCharCode(code));
    add(` ${String.fromCharCode(code)}`);
  }
  const ranked = [...pieceCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  for (const [piece] of ranked) {
    if (pieces.length >= maxVocabulary) break;
    add(piece);
  }
  const idOf = new Map<string, number>(pieces.map((piece, id) => [piece, id]));

  return {
    pieces,
    encode(text) {
      const ids: number[] = [];
      for (const piece of splitPieces(text)) {
        const id = idOf.get(piece);
        if (id !== undefined) {
          ids.push(id);
          continue;
        }
        // Unknown word: spell it with single-character pieces, the first keeping the space.
        let first = true;
        for (const character of piece.startsWith(' ') ? piece.slice(1) : piece) {
          const characterPiece = first && piece.startsWith(' ') ? ` ${character}` : character;
          ids.push(idOf.get(characterPiece) ?? UNKNOWN_TOKEN);
          first = false;
        }
      }
      return ids;
    },
    decode(ids) {
      let text = '';
      for (const id of ids) text += pieces[id] ?? UNKNOWN_PIECE;
      return text;
    },
    decodeToken(id) {
      return pieces[id] ?? UNKNOWN_PIECE;
    },
  };
}
