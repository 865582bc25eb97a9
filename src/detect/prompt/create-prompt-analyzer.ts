import type { Endpoint, ExchangeRequest } from '../../log/exchange.js';
import { CAPABILITIES, type Capability } from './capability.js';
import { CAPABILITY_CUES } from './capability-cues.js';
import { CENSORSHIP_CUES } from './censorship-cues.js';
import { classifyCapability } from './classify-capability.js';
import { createCueMatcher } from './create-cue-matcher.js';
import { createSkeletonScanner, type ScanHooks, type Skeleton } from './create-skeleton-scanner.js';
import { createTurnMemo } from './create-turn-memo.js';
import type { CueFamily } from './cue-definition.js';
import { LanguageVotes } from './detect-language.js';
import { extractPromptParts } from './extract-prompt-parts.js';
import { fingerprintSystemPrompt } from './fingerprint-system-prompt.js';
import { fingerprintToolSet } from './fingerprint-tool-set.js';
import { createMinHasher } from './min-hash.js';
import type { PromptAnalyzer, PromptFeatures } from './prompt-features.js';
import { REASONING_CUES } from './reasoning-cues.js';
import { RUBRIC_CUES } from './rubric-cues.js';
import { hashText } from './string-hash.js';
import { withLoggedSystemPromptHash } from './with-logged-system-prompt-hash.js';

/** The order of `Array.prototype.sort()` without a comparator: UTF-16 code units. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The shared empty `cues` / `lshKeys` of most prompts (results are read-only, see below); frozen,
 * so that a caller that mutates one fails loudly instead of changing every other result.
 */
const NO_STRINGS = Object.freeze([]) as unknown as string[];

/** The `minhash` of lean features (see `lean`): shared, and empty, so nothing can change it. */
const NO_SIGNATURE: Uint32Array = new Uint32Array(0);

/** Options of {@link createPromptAnalyzer}. */
export interface PromptAnalyzerOptions {
  /** MinHash slots (default 64). */
  minhashSize?: number;
  /** LSH bands; must divide `minhashSize` (default 16, i.e. 4 rows per band). */
  lshBands?: number;
  /**
   * Only what the detection engine reads (default false): `minhash` is empty and `lshKeys` holds
   * the first band key at most, as `toStoredPromptFeatures` keeps them. A new prompt then costs
   * one band key instead of `lshBands`, and no signature is allocated or cached. For `analyze`.
   */
  lean?: boolean;
  /**
   * Analyse each user turn once while it is remembered (`create-turn-memo.ts`): a conversation
   * re-sends its earlier turns with every exchange. Same features either way. Default false: on
   * the bench logs (earlier turns are 19–49 % of the user characters) the memo's cost per new
   * turn outweighs what it saves (docs/performance.md, "Seventh pass").
   */
  turnMemo?: boolean;
}

/** Distinct system prompts remembered; the cache is dropped whole when full (cheap, and bounded). */
const SYSTEM_CACHE_SIZE = 1024;

interface SystemPromptFeatures {
  hash: string | null;
  matched: Uint8Array;
  counts: Uint16Array;
}

/**
 * Below this many literal words a prompt ("hi", "continue", "thanks!") is no template: its
 * `templateHash` is '' so that thousands of unrelated accounts are not linked by a greeting.
 */
const MIN_TEMPLATE_WORDS = 3;

/** Below this many shingles a prompt gets no LSH keys: "hi" from many accounts is no shared template. */
const MIN_SHINGLES_FOR_LSH = 8;

/**
 * Distinct user texts remembered per generation of the result cache (two generations are kept:
 * about the most recent 32–64k prompts). Logs repeat prompts a lot (eval harnesses, retries,
 * template campaigns): 38–80 % of exchanges in simulated logs hit it.
 */
const RESULT_CACHE_SIZE = 32_768;
/** Longer user texts are not cached (bounded memory; long prompts rarely repeat verbatim). */
const MAX_CACHED_CHARS = 16_384;

/**
 * A cached result, flat (one object per entry: entries live long, so every object counts in the
 * old generation): everything it was computed from, then the features that are not among those.
 */
interface CachedResult {
  userText: string;
  languageFrom: number;
  systemText: string;
  toolSetHash: string | null;
  userTurns: number;
  hasImage: boolean;
  hasToolTraffic: boolean;
  hasComputerUse: boolean;
  language: string;
  reasoningElicitation: number;
  rubricGrading: number;
  censorshipRewrite: number;
  cues: string[];
  capability: Capability;
  hasTools: boolean;
  templateHash: string;
  minhash: Uint32Array;
  lshKeys: string[];
  systemPromptHash: string | null;
  promptChars: number;
}

/** The features of a cached result, as a new object with the same fields in the same order. */
function featuresOf(cached: CachedResult): PromptFeatures {
  return {
    language: cached.language,
    reasoningElicitation: cached.reasoningElicitation,
    rubricGrading: cached.rubricGrading,
    censorshipRewrite: cached.censorshipRewrite,
    cues: cached.cues,
    capability: cached.capability,
    userTurns: cached.userTurns,
    hasImage: cached.hasImage,
    hasTools: cached.hasTools,
    templateHash: cached.templateHash,
    minhash: cached.minhash,
    lshKeys: cached.lshKeys,
    systemPromptHash: cached.systemPromptHash,
    toolSetHash: cached.toolSetHash,
    promptChars: cached.promptChars,
  };
}

/**
 * Builds the prompt analyser: cue regexes, MinHash probe tables and scratch buffers are made
 * once here; `analyze` is then allocation-light (~µs per prompt). Not re-entrant: one per worker.
 * A repeated prompt (same user text, system text, tools and turn structure) is answered from a
 * bounded cache of recent results; the arrays of a result (`cues`, `minhash`, `lshKeys`) are
 * then shared with earlier answers, so callers treat them as read-only.
 *
 * @example
 * const analyzer = createPromptAnalyzer();
 * const features = analyzer.analyze({ messages: [{ role: 'user', content: 'Think step by step.' }] }, 'chat.completions');
 * features.reasoningElicitation; // 0.44
 */
export function createPromptAnalyzer({
  minhashSize = 64,
  lshBands = 16,
  lean = false,
  turnMemo = false,
}: PromptAnalyzerOptions = {}): PromptAnalyzer {
  const cues = [...REASONING_CUES, ...RUBRIC_CUES, ...CENSORSHIP_CUES, ...CAPABILITY_CUES];
  const matcher = createCueMatcher(cues);
  const scanner = createSkeletonScanner();
  const hasher = createMinHasher(minhashSize, lshBands);
  const matches = matcher.createMatches();
  const familyIndex: Record<CueFamily, number> = {
    reasoning: 0,
    rubric: 1,
    censorship: 2,
    capability: 3,
  };
  const cueFamily = Int32Array.from(cues, (cue) => familyIndex[cue.family]);
  const requiredCue = Int32Array.from(cues, (cue) =>
    cue.requires === undefined ? -1 : cues.findIndex((other) => other.code === cue.requires),
  );
  const keep = new Float64Array(3);
  // Codes are emitted in sorted order by walking the cues in code order (no sort per prompt).
  const codeOrder = Int32Array.from(
    cues.map((_, index) => index).sort((a, b) => compareCodeUnits(cues[a]!.code, cues[b]!.code)),
  );
  const kept = new Uint8Array(cues.length);
  // Reused for every prompt: every capability is reset to 0 votes (same as missing).
  const votes: Partial<Record<Capability, number>> = {};

  const language = new LanguageVotes();
  const hooks: ScanHooks = { matcher, matches, language, languageFrom: 0 };
  // Patterns without a trigger key run over the whole text: no turn can be analysed alone then.
  const memo =
    turnMemo && matcher.unindexedPatterns.length === 0 ? createTurnMemo(scanner, matcher) : null;
  const systemCache = new Map<string, SystemPromptFeatures>();
  const systemMatches = matcher.createMatches();
  // Two generations: a hit in the old one is promoted, so prompts in steady use survive a turnover.
  // Keyed by a 30-bit hash of the user text (a small integer key): V8 hashes a fresh string key
  // about twice as slowly as `hashText`, and every exchange brings a fresh string. The entry holds
  // the text itself, so a hash collision is only a miss.
  let recentResults = new Map<number, CachedResult>();
  let olderResults = new Map<number, CachedResult>();

  /** System prompts repeat across requests (that is what makes them a fingerprint): cache them. */
  function analyzeSystemPrompt(systemText: string): SystemPromptFeatures {
    const cached = systemCache.get(systemText);
    if (cached !== undefined) return cached;
    systemMatches.matched.fill(0);
    systemMatches.counts.fill(0);
    systemMatches.anchors.length = 0;
    matcher.match(systemText.toLowerCase(), systemMatches, false);
    const features: SystemPromptFeatures = {
      hash: fingerprintSystemPrompt(systemText),
      matched: systemMatches.matched.slice(),
      counts: systemMatches.counts.slice(),
    };
    if (systemCache.size >= SYSTEM_CACHE_SIZE) systemCache.clear();
    systemCache.set(systemText, features);
    return features;
  }

  const analyzer: PromptAnalyzer = {
    analyze(request: ExchangeRequest, endpoint: Endpoint): PromptFeatures {
      const parts = extractPromptParts(request, endpoint);
      const userText = parts.userText;
      const lastUserText = parts.lastUserText;
      // One user turn: the same string, no character comparison needed.
      const languageFrom =
        lastUserText === userText
          ? 0
          : userText.endsWith(lastUserText)
            ? userText.length - lastUserText.length
            : 0;
      const toolSetHash = fingerprintToolSet(parts.tools);
      // The features are a pure function of these parts: a repeat gets the remembered result.
      const cacheable = userText.length <= MAX_CACHED_CHARS;
      const cacheKey = cacheable ? hashText(userText) : 0;
      if (cacheable) {
        let cached = recentResults.get(cacheKey);
        if (cached === undefined) {
          cached = olderResults.get(cacheKey);
          if (cached !== undefined && cached.userText === userText) promote(cacheKey, cached);
        }
        if (
          cached !== undefined &&
          cached.userText === userText &&
          cached.languageFrom === languageFrom &&
          cached.toolSetHash === toolSetHash &&
          cached.userTurns === parts.userTurns &&
          cached.hasImage === parts.hasImage &&
          cached.hasToolTraffic === parts.hasToolTraffic &&
          cached.hasComputerUse === parts.hasComputerUse &&
          cached.systemText === parts.systemText
        ) {
          return featuresOf(cached);
        }
      }
      let languageCode =
        memo === null || !cacheable
          ? null
          : memo.load(
              parts.userChunks,
              parts.userChunkCount,
              lastUserText === '',
              matches,
              cacheKey,
            );
      let skeleton: Skeleton;
      if (languageCode !== null) skeleton = scanner.skeleton(languageCode === 'de');
      else {
        matches.matched.fill(0);
        matches.counts.fill(0);
        matches.anchors.length = 0;
        language.reset();
        hooks.languageFrom = languageFrom;
        skeleton = scanner.scan(userText, userText.toLowerCase(), hooks);
        languageCode = language.result();
      }
      let systemPromptHash: string | null = null;
      if (parts.systemText !== '') {
        const system = analyzeSystemPrompt(parts.systemText);
        systemPromptHash = system.hash;
        for (let index = 0; index < cues.length; index++) {
          if (system.matched[index] === 1) {
            matches.matched[index] = 1;
            matches.counts[index]! += system.counts[index]!;
          }
        }
      }

      keep.fill(1);
      kept.fill(0);
      let keptCount = 0;
      for (const capability of CAPABILITIES) votes[capability] = 0;
      for (let index = 0; index < cues.length; index++) {
        if (matches.matched[index] === 0) continue;
        const cue = cues[index]!;
        const family = cueFamily[index]!;
        if (family === 3) {
          const capability = cue.capability!;
          votes[capability] = votes[capability]! + cue.weight * matches.counts[index]!;
          continue;
        }
        const required = requiredCue[index]!;
        if (required >= 0 && matches.matched[required] === 0) continue;
        keep[family]! *= 1 - cue.weight;
        kept[index] = 1;
        keptCount += 1;
      }
      const cueCodes: string[] = keptCount === 0 ? NO_STRINGS : [];
      for (let rank = 0; keptCount > 0 && rank < cues.length; rank++) {
        const index = codeOrder[rank]!;
        if (kept[index] === 0) continue;
        cueCodes.push(cues[index]!.code);
        keptCount -= 1;
      }
      const reasoningElicitation = 1 - keep[0]!;
      const rubricGrading = 1 - keep[1]!;
      const censorshipRewrite = 1 - keep[2]!;

      const banded = skeleton.shingleCount >= MIN_SHINGLES_FOR_LSH && skeleton.literalWords > 0;
      let minhash = NO_SIGNATURE;
      let lshKeys = NO_STRINGS;
      if (!lean) {
        minhash = hasher.sign(skeleton.shingles, skeleton.shingleCount);
        if (banded) lshKeys = hasher.bandKeys(minhash);
      } else if (banded) {
        lshKeys = [hasher.firstBandKey(skeleton.shingles, skeleton.shingleCount)];
      }
      const hasTools = parts.tools.length > 0;
      const features: PromptFeatures = {
        language: languageCode,
        reasoningElicitation,
        rubricGrading,
        censorshipRewrite,
        cues: cueCodes,
        capability: classifyCapability({
          hasImage: parts.hasImage,
          hasTools,
          hasToolTraffic: parts.hasToolTraffic,
          hasComputerUse: parts.hasComputerUse,
          codeBlocks: skeleton.codeBlocks,
          numbers: skeleton.numbers,
          rubricGrading,
          votes,
        }),
        userTurns: parts.userTurns,
        hasImage: parts.hasImage,
        hasTools,
        templateHash: skeleton.literalWords >= MIN_TEMPLATE_WORDS ? skeleton.templateHash : '',
        minhash,
        lshKeys,
        systemPromptHash,
        toolSetHash,
        promptChars: parts.userText.length,
      };
      if (cacheable) {
        remember(cacheKey, {
          userText,
          languageFrom,
          systemText: parts.systemText,
          toolSetHash,
          userTurns: parts.userTurns,
          hasImage: parts.hasImage,
          hasToolTraffic: parts.hasToolTraffic,
          hasComputerUse: parts.hasComputerUse,
          language: features.language,
          reasoningElicitation,
          rubricGrading,
          censorshipRewrite,
          cues: cueCodes,
          capability: features.capability,
          hasTools,
          templateHash: features.templateHash,
          // The slab view itself: its slab holds the signatures of the prompts cached just before
          // and after, which leave the cache with it; `promote` copies a signature that stays.
          minhash,
          lshKeys,
          systemPromptHash,
          promptChars: features.promptChars,
        });
      }
      return features;
    },
  };
  // After the cache: a logged hash is not part of the cached result's key.
  return {
    analyze: (request, endpoint) =>
      withLoggedSystemPromptHash(analyzer.analyze(request, endpoint), request),
  };

  /**
   * Keeps a hit of the older generation. Its signature, a view into a slab of 256, is copied
   * first: a view kept for longer than its neighbours would keep their whole slab alive.
   */
  function promote(cacheKey: number, result: CachedResult): void {
    const signature = result.minhash;
    if (signature.byteLength !== signature.buffer.byteLength) result.minhash = signature.slice();
    remember(cacheKey, result);
  }

  function remember(cacheKey: number, result: CachedResult): void {
    if (recentResults.size >= RESULT_CACHE_SIZE) {
      olderResults = recentResults;
      recentResults = new Map();
    }
    recentResults.set(cacheKey, result);
  }
}
