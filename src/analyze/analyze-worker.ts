// Worker side of `readAnalyzedBatches`: each batch of raw lines is parsed and analysed by the
// worker's own line analyser, whose answers its decoder on the main thread reads in sending order.
import { parentPort } from 'node:worker_threads';
import type { LineBatch } from './analyzed-batch.js';
import { createLineAnalyzer } from './create-line-analyzer.js';

const analyzeLines = createLineAnalyzer();

parentPort?.on('message', (job: LineBatch) => {
  const { batch, transfer } = analyzeLines(job);
  parentPort?.postMessage(batch, transfer);
});
