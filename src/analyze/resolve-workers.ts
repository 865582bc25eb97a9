import { stat } from 'node:fs/promises';

/**
 * Past this, more workers only wait on the engine's thread: a worker parses and analyses an
 * exchange in about twice the engine's time (docs/detection.md, Performance).
 */
export const MAX_AUTO_WORKERS = 3;

/**
 * Below this much input on disk (all files together; ~30k exchanges gzipped), `auto` runs no
 * worker: a worker isolate loads the modules and warms its JIT again, and on the 11k-exchange
 * bench logs that made analyze cost 1.8× the CPU of one thread and take longer on the clock
 * (docs/performance.md, analyze).
 */
export const AUTO_WORKERS_MIN_INPUT_BYTES = 4 * 2 ** 20;

/**
 * The worker count `analyze` runs: `workers` itself when a number; for `'auto'` one fewer than
 * the cores, at most {@link MAX_AUTO_WORKERS}, and none on one core or for a small input.
 */
export function resolveWorkers(
  workers: number | 'auto',
  machine: { readonly cores: number; readonly inputBytes: number },
): number {
  if (workers !== 'auto') return workers;
  if (machine.inputBytes < AUTO_WORKERS_MIN_INPUT_BYTES) return 0;
  return Math.max(0, Math.min(machine.cores - 1, MAX_AUTO_WORKERS));
}

/** Bytes on disk of the files (a file that cannot be read counts as large: workers decide). */
export async function inputBytes(files: readonly string[]): Promise<number> {
  let total = 0;
  for (const file of files) {
    try {
      total += (await stat(file)).size;
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  }
  return total;
}
