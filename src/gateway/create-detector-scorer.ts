import { createDetector, type Detector, type DetectorOptions } from '../detect/index.js';
import type { RequestScorer } from './request-scorer.js';

/**
 * The default scorer: the detection engine itself, fed each request as a log-v1 exchange, so the
 * gateway decides live with the same code `analyze` replays. The response is not known when a
 * request is scored, so the engine sees the exchange with a provisional status of 200.
 *
 * @example
 * const gateway = createGateway({ ..., scorer: createDetectorScorer() });
 */
export function createDetectorScorer({
  detector,
  detectorOptions = {},
}: {
  detector?: Detector;
  detectorOptions?: DetectorOptions;
} = {}): RequestScorer & { detector: Detector } {
  const engine = detector ?? createDetector(detectorOptions);
  return {
    version: 1,
    detector: engine,
    observeAccount: (account) => engine.observeAccount(account),
    score(exchange) {
      const assessment = engine.observe({ ...exchange, status: 200 });
      return {
        accountId: assessment.accountId,
        score: assessment.score,
        verdict: assessment.verdict,
        campaignId: assessment.campaignId,
        reasons: assessment.reasons,
      };
    },
  };
}
