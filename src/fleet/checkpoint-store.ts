import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Where the detector service keeps its last snapshot, version 1. */
export interface CheckpointStore {
  readonly version: 1;
  /** The stored snapshot as parsed JSON (unchecked), or null when there is none. */
  load(): Promise<unknown>;
  /** Replaces the stored snapshot atomically: a crash mid-write leaves the previous one. */
  save(snapshot: unknown): Promise<void>;
}

/**
 * A checkpoint file: written to `<path>.tmp`, then renamed over `<path>`.
 *
 * @example
 * const checkpoints = createFileCheckpointStore('/var/lib/distillguard/detect.checkpoint.json');
 */
export function createFileCheckpointStore(path: string): CheckpointStore {
  return {
    version: 1,
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return { malformed: path };
      }
    },
    async save(snapshot) {
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.tmp`;
      await writeFile(temporary, JSON.stringify(snapshot));
      await rename(temporary, path);
    },
  };
}

/** A checkpoint kept in memory (tests; a service that may forget on restart). */
export function createMemoryCheckpointStore(): CheckpointStore {
  let stored: string | null = null;
  return {
    version: 1,
    load: async () => (stored === null ? null : (JSON.parse(stored) as unknown)),
    save: async (snapshot) => {
      stored = JSON.stringify(snapshot);
    },
  };
}
