import type { ExchangeRequest } from '../../log/exchange.js';
import { isRecord } from '../../shared/is-record.js';
import { CAPABILITIES, type Capability } from './capability.js';
import type { PromptFeatures } from './prompt-features.js';

/**
 * The prompt features a store keeps when it drops a body (`request.x_prompt_features`, log-v1
 * extension: docs/log-format.md): codes, scores and hashes, never text. The MinHash signature
 * and the LSH bands after the first are left out: the engine reads neither.
 */
export type StoredPromptFeatures = Omit<PromptFeatures, 'minhash'> & { v: 1 };

const NO_MINHASH = new Uint32Array(0);
const capabilities = new Set<string>(CAPABILITIES);

/** The features as a store keeps them. */
export function toStoredPromptFeatures(features: PromptFeatures): StoredPromptFeatures {
  const { minhash: _minhash, lshKeys, ...rest } = features;
  return { v: 1, ...rest, lshKeys: lshKeys.slice(0, 1) };
}

/**
 * The features a store kept for a request whose body it dropped, or undefined when the request
 * carries none (or an unreadable set: the analysers then read what text there is).
 */
export function storedPromptFeatures(request: ExchangeRequest): PromptFeatures | undefined {
  const stored = request.x_prompt_features;
  if (!isRecord(stored) || stored.v !== 1) return undefined;
  const numbers = [
    'reasoningElicitation',
    'rubricGrading',
    'censorshipRewrite',
    'userTurns',
    'promptChars',
  ];
  for (const field of numbers) if (typeof stored[field] !== 'number') return undefined;
  if (typeof stored.language !== 'string' || typeof stored.templateHash !== 'string') {
    return undefined;
  }
  if (typeof stored.capability !== 'string' || !capabilities.has(stored.capability)) {
    return undefined;
  }
  const strings = (value: unknown) =>
    Array.isArray(value) && value.every((item) => typeof item === 'string');
  if (!strings(stored.cues) || !strings(stored.lshKeys)) return undefined;
  const hash = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    language: stored.language,
    reasoningElicitation: stored.reasoningElicitation as number,
    rubricGrading: stored.rubricGrading as number,
    censorshipRewrite: stored.censorshipRewrite as number,
    cues: stored.cues as string[],
    capability: stored.capability as Capability,
    userTurns: stored.userTurns as number,
    hasImage: stored.hasImage === true,
    hasTools: stored.hasTools === true,
    templateHash: stored.templateHash,
    minhash: NO_MINHASH,
    lshKeys: stored.lshKeys as string[],
    systemPromptHash: hash(stored.systemPromptHash),
    toolSetHash: hash(stored.toolSetHash),
    promptChars: stored.promptChars as number,
  };
}
