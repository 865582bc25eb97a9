/**
 * Batch analysis, the replay face of the engine: reads exchange logs (on the calling thread or
 * through worker threads that parse lines and run the prompt analysers ahead of the engine),
 * feeds them to `createDetector` and writes `verdicts.jsonl`, `campaigns.json` and the report.
 */
export { type AnalyzeOptions, type AnalyzeSummary, analyze } from './analyze.js';
export {
  AUTO_WORKERS_MIN_INPUT_BYTES,
  MAX_AUTO_WORKERS,
  resolveWorkers,
} from './resolve-workers.js';
