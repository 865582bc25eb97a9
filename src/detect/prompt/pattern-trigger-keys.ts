import { CHAR_CLASS, CLASS_DIGIT, CLASS_WORD, PREFIX_CHARS, triggerKeyAt } from './char-class.js';

/**
 * Trigger keys of a regex source: the keys (see `triggerKeyAt`) of every token a match can start
 * with. A cue pattern then only runs, sticky, where the text has a token with one of its keys,
 * instead of at every character. Handles the subset of regex syntax the cue catalogs use;
 * returns null when a match could start with an unbounded token (the caller scans globally).
 */
export function patternTriggerKeys(source: string): number[] | null {
  let node: Node;
  try {
    node = new Parser(source).parse();
  } catch {
    return null;
  }
  const prefixes = new Set<string>();
  const ok = expand(node, { text: '', done: false }, (state) => {
    if (!state.done) return false;
    prefixes.add(state.text);
    return prefixes.size <= MAX_PREFIXES;
  });
  if (!ok || prefixes.size === 0) return null;
  const keys = new Set<number>();
  for (const prefix of prefixes) keys.add(triggerKeyAt(prefix, 0));
  return [...keys];
}

const MAX_PREFIXES = 400;
const MAX_SET = 40;

type Node =
  | { type: 'sequence'; items: Node[] }
  | { type: 'alternation'; options: Node[] }
  | { type: 'set'; chars: string[] | null; wordFree: boolean }
  | { type: 'boundary' }
  | { type: 'empty' }
  | { type: 'repeat'; item: Node; min: number; max: number };

interface PrefixState {
  text: string;
  done: boolean;
}

function addChar(state: PrefixState, character: string): PrefixState {
  if (state.done) return state;
  const code = character.charCodeAt(0);
  const charClass = CHAR_CLASS[code]!;
  if (state.text === '') {
    if (charClass === CLASS_DIGIT) return { text: '0', done: true };
    if (charClass !== CLASS_WORD) return { text: character, done: true };
    return { text: character, done: PREFIX_CHARS[code] === 1 };
  }
  if (charClass !== CLASS_WORD) return { text: state.text, done: true };
  const text = state.text + character;
  return { text, done: text.length >= PREFIX_CHARS[text.charCodeAt(0)]! };
}

/** Calls `next` with every prefix state reachable through `node`; false aborts (uncertain). */
function expand(node: Node, state: PrefixState, next: (state: PrefixState) => boolean): boolean {
  if (state.done) return next(state);
  switch (node.type) {
    case 'empty':
      return next(state);
    case 'boundary':
      return next(state.text === '' ? state : { text: state.text, done: true });
    case 'set': {
      if (state.text !== '' && node.wordFree) return next({ text: state.text, done: true });
      if (node.chars === null) return false;
      for (const character of node.chars) if (!next(addChar(state, character))) return false;
      return true;
    }
    case 'alternation':
      for (const option of node.options) if (!expand(option, state, next)) return false;
      return true;
    case 'sequence': {
      const walk = (index: number, current: PrefixState): boolean =>
        index === node.items.length || current.done
          ? next(current)
          : expand(node.items[index]!, current, (after) => walk(index + 1, after));
      return walk(0, state);
    }
    case 'repeat': {
      const limit = Math.min(node.max, node.min + 3);
      const repeat = (count: number, current: PrefixState): boolean => {
        if (count >= node.min && !next(current)) return false;
        if (count >= limit || current.done) return true;
        return expand(node.item, current, (after) => repeat(count + 1, after));
      };
      return repeat(0, state);
    }
  }
}

const CLASS_ESCAPES: Record<string, { chars: string[] | null; wordFree: boolean }> = {
  d: { chars: ['0'], wordFree: true },
  s: { chars: [' ', '\n', '\t'], wordFree: true },
  w: { chars: null, wordFree: false },
  W: { chars: null, wordFree: false },
  S: { chars: null, wordFree: false },
  D: { chars: null, wordFree: false },
};

class Parser {
  private index = 0;
  constructor(private readonly source: string) {}

  parse(): Node {
    const node = this.alternation();
    if (this.index < this.source.length) throw new Error(`unexpected ${this.source[this.index]}`);
    return node;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.source[this.index] === '|') {
      this.index += 1;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { type: 'alternation', options };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.index < this.source.length) {
      const character = this.source[this.index]!;
      if (character === '|' || character === ')') break;
      items.push(this.quantified(this.atom()));
    }
    return { type: 'sequence', items };
  }

  private quantified(item: Node): Node {
    const character = this.source[this.index];
    let min = 1;
    let max = 1;
    if (character === '?') [min, max] = [0, 1];
    else if (character === '*') [min, max] = [0, Number.POSITIVE_INFINITY];
    else if (character === '+') [min, max] = [1, Number.POSITIVE_INFINITY];
    else if (character === '{') {
      const close = this.source.indexOf('}', this.index);
      const bounds = /^\{(\d+)(,(\d*))?\}$/.exec(this.source.slice(this.index, close + 1));
      if (close < 0 || bounds === null) throw new Error('bad quantifier');
      min = Number(bounds[1]);
      max =
        bounds[2] === undefined
          ? min
          : bounds[3] === ''
            ? Number.POSITIVE_INFINITY
            : Number(bounds[3]);
      this.index = close;
    } else return item;
    this.index += 1;
    if (this.source[this.index] === '?') this.index += 1;
    return { type: 'repeat', item, min, max };
  }

  private atom(): Node {
    const character = this.source[this.index]!;
    this.index += 1;
    if (character === '(') {
      let lookaround = false;
      let lookahead = false;
      if (this.source[this.index] === '?') {
        const kind = this.source.slice(this.index, this.index + 3);
        if (kind.startsWith('?:')) this.index += 2;
        else if (kind === '?<=' || kind === '?<!') {
          this.index += 3;
          lookaround = true;
        } else if (kind.startsWith('?=') || kind.startsWith('?!')) {
          this.index += 2;
          lookahead = true;
        } else throw new Error('unsupported group');
      }
      const inner = this.alternation();
      if (this.source[this.index] !== ')') throw new Error('unclosed group');
      this.index += 1;
      // A lookbehind constrains what precedes the token; a lookahead ends the word ("код(?![а-я])").
      if (lookahead) return { type: 'boundary' };
      return lookaround ? { type: 'empty' } : inner;
    }
    if (character === '[') return this.characterClass();
    if (character === '.') return { type: 'set', chars: null, wordFree: false };
    if (character === '^' || character === '$') return { type: 'empty' };
    if (character === '\\') {
      const escaped = this.source[this.index]!;
      this.index += 1;
      if (escaped === 'b') return { type: 'boundary' };
      if (escaped === 'B') return { type: 'empty' };
      const known = CLASS_ESCAPES[escaped];
      if (known !== undefined) return { type: 'set', ...known };
      if (escaped === 'n') return { type: 'set', chars: ['\n'], wordFree: true };
      if (escaped === 't') return { type: 'set', chars: ['\t'], wordFree: true };
      return {
        type: 'set',
        chars: [escaped],
        wordFree: CHAR_CLASS[escaped.charCodeAt(0)] !== CLASS_WORD,
      };
    }
    return {
      type: 'set',
      chars: [character],
      wordFree: CHAR_CLASS[character.charCodeAt(0)] !== CLASS_WORD,
    };
  }

  private characterClass(): Node {
    let negated = false;
    if (this.source[this.index] === '^') {
      negated = true;
      this.index += 1;
    }
    const chars: string[] = [];
    let wordFree = true;
    let unbounded = false;
    while (this.index < this.source.length && this.source[this.index] !== ']') {
      let character = this.source[this.index]!;
      this.index += 1;
      if (character === '\\') {
        const escaped = this.source[this.index]!;
        this.index += 1;
        const known = CLASS_ESCAPES[escaped];
        if (known !== undefined) {
          if (known.chars === null) unbounded = true;
          else chars.push(...known.chars);
          if (!known.wordFree) wordFree = false;
          continue;
        }
        character = escaped;
      }
      if (this.source[this.index] === '-' && this.source[this.index + 1] !== ']') {
        const last = this.source[this.index + 1]!;
        this.index += 2;
        for (let code = character.charCodeAt(0); code <= last.charCodeAt(0); code++) {
          chars.push(String.fromCharCode(code));
          if (chars.length > MAX_SET) unbounded = true;
        }
        continue;
      }
      chars.push(character);
    }
    this.index += 1;
    for (const character of chars)
      if (CHAR_CLASS[character.charCodeAt(0)] === CLASS_WORD) wordFree = false;
    if (negated) return { type: 'set', chars: null, wordFree: false };
    return { type: 'set', chars: unbounded || chars.length > MAX_SET ? null : chars, wordFree };
  }
}
