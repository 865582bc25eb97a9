import { createSeededRandom } from './seeded-random.js';

// The demo model's training text is generated here from a small hand-written grammar of
// assistant-style English (explanations, advice, steps), so the repository ships no third-party
// text and no data files. Word lists are wide on purpose: the watermark needs entropy per token.

const TOPICS = {
  cooking: {
    nouns: ['soup', 'bread', 'sauce', 'oven', 'recipe', 'onion', 'garlic', 'pan', 'rice', 'dough', 'salad', 'kitchen', 'spice', 'butter', 'flour', 'stew', 'salt', 'pepper', 'lemon', 'cheese'],
    verbs: ['stir', 'bake', 'chop', 'season', 'taste', 'simmer', 'boil', 'mix', 'slice', 'heat', 'roast', 'cool', 'whisk', 'serve', 'measure'],
    adjectives: ['fresh', 'warm', 'crisp', 'rich', 'light', 'smooth', 'hot', 'sweet', 'salty', 'golden', 'thick', 'tender'],
  },
  programming: {
    nouns: ['function', 'variable', 'server', 'database', 'test', 'loop', 'module', 'request', 'cache', 'query', 'library', 'compiler', 'bug', 'interface', 'file', 'thread', 'value', 'error', 'program', 'record'],
    verbs: ['debug', 'compile', 'deploy', 'refactor', 'test', 'call', 'write', 'read', 'parse', 'store', 'log', 'measure', 'profile', 'review', 'update'],
    adjectives: ['clean', 'slow', 'safe', 'small', 'stable', 'new', 'old', 'short', 'clear', 'strict', 'shared', 'local'],
  },
  gardening: {
    nouns: ['plant', 'seed', 'soil', 'garden', 'flower', 'tree', 'root', 'leaf', 'tomato', 'rose', 'bed', 'compost', 'water', 'sun', 'weed', 'branch', 'pot', 'fence', 'lawn', 'bulb'],
    verbs: ['plant', 'water', 'prune', 'dig', 'grow', 'feed', 'trim', 'cover', 'move', 'check', 'harvest', 'protect', 'sow', 'mulch', 'train'],
    adjectives: ['green', 'healthy', 'dry', 'wet', 'young', 'strong', 'bright', 'shady', 'rich', 'sandy', 'tall', 'weak'],
  },
  travel: {
    nouns: ['trip', 'train', 'hotel', 'city', 'map', 'ticket', 'bag', 'flight', 'road', 'station', 'guide', 'museum', 'beach', 'passport', 'route', 'bus', 'market', 'village', 'coast', 'bridge'],
    verbs: ['book', 'visit', 'pack', 'walk', 'plan', 'explore', 'travel', 'drive', 'pay', 'ask', 'follow', 'cross', 'leave', 'reach', 'compare'],
    adjectives: ['cheap', 'busy', 'quiet', 'long', 'early', 'late', 'crowded', 'famous', 'local', 'scenic', 'remote', 'friendly'],
  },
  health: {
    nouns: ['sleep', 'exercise', 'diet', 'muscle', 'heart', 'habit', 'routine', 'walk', 'meal', 'stress', 'body', 'doctor', 'breath', 'energy', 'posture', 'stretch', 'water', 'rest', 'weight', 'mind'],
    verbs: ['rest', 'stretch', 'breathe', 'move', 'eat', 'drink', 'train', 'relax', 'track', 'reduce', 'improve', 'build', 'avoid', 'keep', 'notice'],
    adjectives: ['regular', 'gentle', 'steady', 'active', 'calm', 'tired', 'balanced', 'daily', 'deep', 'mild', 'good', 'hard'],
  },
  finance: {
    nouns: ['budget', 'loan', 'account', 'rate', 'saving', 'payment', 'bill', 'tax', 'fund', 'price', 'income', 'cost', 'bank', 'debt', 'plan', 'stock', 'bond', 'fee', 'salary', 'balance'],
    verbs: ['save', 'spend', 'invest', 'borrow', 'pay', 'track', 'compare', 'reduce', 'plan', 'check', 'cancel', 'earn', 'lend', 'budget', 'review'],
    adjectives: ['monthly', 'fixed', 'low', 'high', 'annual', 'safe', 'risky', 'small', 'steady', 'total', 'extra', 'fair'],
  },
  science: {
    nouns: ['cell', 'atom', 'energy', 'light', 'planet', 'star', 'wave', 'force', 'gene', 'experiment', 'theory', 'sample', 'model', 'field', 'particle', 'climate', 'ocean', 'rock', 'molecule', 'signal'],
    verbs: ['observe', 'measure', 'predict', 'explain', 'test', 'record', 'compare', 'model', 'detect', 'absorb', 'release', 'reflect', 'study', 'describe', 'estimate'],
    adjectives: ['small', 'heavy', 'bright', 'cold', 'dense', 'random', 'stable', 'rare', 'common', 'strong', 'distant', 'simple'],
  },
  writing: {
    nouns: ['essay', 'story', 'letter', 'draft', 'paragraph', 'sentence', 'reader', 'title', 'argument', 'chapter', 'note', 'word', 'outline', 'report', 'poem', 'voice', 'scene', 'idea', 'summary', 'editor'],
    verbs: ['write', 'edit', 'read', 'revise', 'outline', 'cut', 'explain', 'describe', 'organize', 'support', 'summarize', 'argue', 'polish', 'share', 'draft'],
    adjectives: ['short', 'clear', 'vivid', 'formal', 'personal', 'strong', 'final', 'rough', 'careful', 'direct', 'honest', 'brief'],
  },
} as const;

// Pairs with the same meaning; both spellings appear so that a lexical watermark has a choice.
const SYNONYMS: readonly (readonly [string, string])[] = [
  ['big', 'large'],
  ['begin', 'start'],
  ['quick', 'fast'],
  ['help', 'assist'],
  ['often', 'frequently'],
  ['maybe', 'perhaps'],
  ['buy', 'purchase'],
  ['show', 'demonstrate'],
  ['need', 'require'],
  ['choose', 'select'],
  ['get', 'obtain'],
  ['important', 'essential'],
  ['easy', 'simple'],
  ['toward', 'towards'],
  ['among', 'amongst'],
  ['also', 'additionally'],
  ['usually', 'typically'],
  ['enough', 'sufficient'],
  ['try', 'attempt'],
  ['check', 'verify'],
];

const OPENERS = ['Sure', 'Of course', 'Good question', 'Here is a short answer', 'Certainly', 'Great idea', 'Happy to help'];
const CONNECTORS = ['First', 'Next', 'Then', 'After that', 'Finally', 'In practice', 'For example', 'As a rule', 'On the other hand', 'In short', 'Meanwhile', 'Later'];
const SUBJECTS = ['you', 'we', 'most people', 'a beginner', 'an expert', 'many teams', 'the best approach', 'a good friend', 'your neighbour', 'the guide'];
const ADVERBS = ['carefully', 'slowly', 'gently', 'quickly', 'regularly', 'always', 'rarely', 'never', 'sometimes', 'honestly', 'calmly', 'early'];
const NUMBERS = ['two', 'three', 'four', 'five', 'ten', 'twenty', 'a few', 'several', 'many', 'some'];
const UNITS = ['minutes', 'hours', 'days', 'weeks', 'steps', 'times', 'pages', 'tries'];

type Topic = (typeof TOPICS)[keyof typeof TOPICS];

/**
 * The demo model's built-in English training text: `documents` short assistant-style answers,
 * generated deterministically from a grammar (same seed, same text).
 */
export function builtInCorpus(documents = 2500, seed = 7): string[] {
  const random = createSeededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const word = (index: number) => {
    const pair = SYNONYMS[index]!;
    return random() < 0.5 ? pair[0] : pair[1];
  };
  const topics = Object.values(TOPICS);

  const sentence = (topic: Topic): string => {
    const noun = pick(topic.nouns);
    const other = pick(topic.nouns);
    const verb = pick(topic.verbs);
    const adjective = pick(topic.adjectives);
    const templates: (() => string)[] = [
      () => `${pick(SUBJECTS)} should ${verb} the ${noun} ${pick(ADVERBS)}`,
      () => `it is ${word(11)} to ${verb} the ${adjective} ${noun} before the ${other}`,
      () => `${word(6)} ${pick(SUBJECTS)} can ${verb} a ${word(0)} ${noun} in ${pick(NUMBERS)} ${pick(UNITS)}`,
      () => `${word(16)}, the ${noun} is ${adjective} and the ${other} is ${pick(topic.adjectives)}`,
      () => `${word(3)} yourself and ${word(1)} with a ${adjective} ${noun}`,
      () => `you ${word(8)} a ${noun} and ${pick(NUMBERS)} ${pick(UNITS)} to ${verb} it`,
      () => `a ${word(2)} way to ${verb} the ${noun} is to ${pick(topic.verbs)} the ${other} ${word(13)} the ${pick(topic.nouns)}`,
      () => `${pick(SUBJECTS)} ${word(4)} ${verb} the ${noun} when it looks ${adjective}`,
      () => `${word(9)} a ${adjective} ${noun} and ${word(19)} that the ${other} is ${pick(topic.adjectives)}`,
      () => `this will ${word(7)} why the ${noun} matters ${word(14)} all the ${other}s`,
      () => `${word(15)}, ${word(18)} to ${verb} the ${noun} ${pick(ADVERBS)}`,
      () => `${word(10)} ${word(17)} ${noun} and ${word(5)} a ${adjective} ${other}`,
      () => `if the ${noun} is too ${adjective}, ${verb} it and wait ${pick(NUMBERS)} ${pick(UNITS)}`,
      () => `do not ${verb} the ${noun} unless the ${other} is ${adjective}`,
      () => `the ${noun} and the ${other} work well together when both are ${adjective}`,
      () => `${word(12)} tools make it ${word(12)} to ${verb} a ${noun}`,
      () => `you can ${word(5)} ${word(5)} ${verb} the ${noun}, but ${word(9)} the ${other} first`,
      () => `I would ${word(9)} the ${adjective} ${noun} and ${verb} it ${pick(ADVERBS)}`,
    ];
    return pick(templates)();
  };

  const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
  const texts: string[] = [];
  for (let index = 0; index < documents; index += 1) {
    const topic = pick(topics);
    const parts = [`${pick(OPENERS)}.`];
    const count = 3 + Math.floor(random() * 6);
    for (let line = 0; line < count; line += 1) {
      const body = sentence(topic);
      const ending = random() < 0.1 ? '!' : '.';
      parts.push(
        random() < 0.35
          ? `${pick(CONNECTORS)}, ${body}${ending}`
          : `${capitalise(body)}${ending}`,
      );
    }
    texts.push(parts.join(random() < 0.2 ? '\n' : ' '));
  }
  return texts;
}
