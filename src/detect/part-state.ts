/**
 * A part of the engine whose state can be taken out and put back (a detector snapshot,
 * docs/fleet.md, Checkpoints). The state is plain data: numbers, strings, arrays, typed arrays,
 * Maps, Sets and plain objects, taken together with every other part's in one structured clone,
 * so objects two parts share (an account's state, a campaign) stay shared after a restore.
 */
export interface StatefulPart {
  /** The live state (not a copy): serialise it before the engine observes anything more. */
  exportState(): PartState;
  /** Replaces this part's state with one `exportState` returned (after a structured clone). */
  importState(state: PartState): void;
}

export type PartState = Record<string, unknown>;

/**
 * Replaces a collection's contents in place: other parts hold the same array, Map or Set (the
 * assessor reads membership's accounts array), so it keeps its identity.
 */
export function refill<Value>(target: Value[], source: unknown): void;
export function refill<Key, Value>(target: Map<Key, Value>, source: unknown): void;
export function refill<Value>(target: Set<Value>, source: unknown): void;
export function refill(
  target: unknown[] | Map<unknown, unknown> | Set<unknown>,
  source: unknown,
): void {
  if (Array.isArray(target)) {
    target.length = 0;
    for (const value of source as unknown[]) target.push(value);
  } else if (target instanceof Map) {
    target.clear();
    for (const [key, value] of source as Map<unknown, unknown>) target.set(key, value);
  } else {
    target.clear();
    for (const value of source as Set<unknown>) target.add(value);
  }
}
