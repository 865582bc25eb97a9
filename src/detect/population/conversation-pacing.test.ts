import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Exchange } from '../../log/exchange.js';
import type { PromptFeatures } from '../prompt/prompt-features.js';
import {
  createPacingTracker,
  followUpPace,
  isMachinePaced,
  type NextTurn,
  type PreviousAnswer,
} from './conversation-pacing.js';
import { createPopulationTracker } from './population-tracker.js';

/** A 600-token answer started at 0 and complete after 10 s: a skim needs 40 s from its start. */
const ANSWER: PreviousAnswer = { startMs: 0, endMs: 10_000, outputTokens: 600, userTurns: 2 };
const next = (startMs: number, fields: Partial<NextTurn> = {}): NextTurn => ({
  startMs,
  userTurns: 3,
  hasTools: false,
  ...fields,
});

const PACES: readonly [
  string,
  PreviousAnswer | undefined,
  NextTurn,
  ReturnType<typeof followUpPace>,
][] = [
  ['a harness: next turn 3 s after the answer completed', ANSWER, next(13_000), 'machine'],
  ['a reader: next turn 90 s after it started', ANSWER, next(90_000), 'read'],
  [
    'a fast skimmer (30 s) is still faster than a skim of 600 tokens',
    ANSWER,
    next(30_000),
    'machine',
  ],
  ['sent before the answer completed: a parallel conversation', ANSWER, next(5_000), 'overlap'],
  ['an agent loop offers tools: no person pacing', ANSWER, next(11_000, { hasTools: true }), null],
  ['not the next turn of the same history', ANSWER, next(11_000, { userTurns: 5 }), null],
  ['a first turn', ANSWER, next(11_000, { userTurns: 1 }), null],
  ['a short answer is read in seconds', { ...ANSWER, outputTokens: 80 }, next(11_000), null],
  ['no previous answer', undefined, next(11_000), null],
];

for (const [name, previous, turn, expected] of PACES) {
  test(`follow-up pace: ${name}`, () => {
    assert.equal(followUpPace(previous, turn), expected);
  });
}

const ACCOUNTS: readonly [string, { machine: number; read: number; overlap: number }, boolean][] = [
  ['self-play operator: every follow-up unread', { machine: 20, read: 1, overlap: 0 }, true],
  ['innocent fast replier: skims a third of the time', { machine: 6, read: 12, overlap: 0 }, false],
  [
    '"continue" clicker on short sessions: too few judged',
    { machine: 5, read: 0, overlap: 0 },
    false,
  ],
  ['parallel conversations: pairing unreliable', { machine: 15, read: 1, overlap: 6 }, false],
];

for (const [name, counts, expected] of ACCOUNTS) {
  test(`machine-paced account: ${name}`, () => {
    assert.equal(isMachinePaced(counts), expected);
  });
}

const FEATURES = (userTurns: number): PromptFeatures =>
  ({ userTurns, hasTools: false }) as unknown as PromptFeatures;
const exchange = (latency: number, tokens: number, status = 200): Exchange =>
  ({
    status,
    latency_ms: latency,
    response: { input_tokens: 10, output_tokens: tokens, stop_reason: 'stop' },
  }) as unknown as Exchange;

test('pacing tracker: pairs consecutive turns and skips the retry of a failed request', () => {
  const tracker = createPacingTracker();
  tracker.observe(0, exchange(8000, 500), FEATURES(1), 0);
  tracker.observe(0, exchange(8000, 500), FEATURES(2), 11_000); // machine
  tracker.observe(0, exchange(0, 0, 500), FEATURES(3), 200_000); // read, failed
  tracker.observe(0, exchange(8000, 500), FEATURES(3), 201_000); // retry: not judged
  assert.deepEqual(tracker.counts(0), { machine: 1, read: 1, overlap: 0 });
  assert.deepEqual(tracker.counts(1), { machine: 0, read: 0, overlap: 0 });
});

test('population state exported before pacing existed restores with an empty pacing history', () => {
  const before = createPopulationTracker();
  const state = structuredClone(before.exportState()) as Record<string, unknown>;
  delete state.pacing;
  const after = createPopulationTracker();
  after.importState(state);
  assert.deepEqual(after.pacing.counts(0), { machine: 0, read: 0, overlap: 0 });
  const again = createPopulationTracker();
  again.pacing.observe(3, exchange(8000, 500), FEATURES(1), 0);
  again.pacing.observe(3, exchange(8000, 500), FEATURES(2), 9000);
  const restored = createPopulationTracker();
  restored.importState(structuredClone(again.exportState()));
  assert.deepEqual(restored.pacing.counts(3), { machine: 1, read: 0, overlap: 0 });
});
