export { coActivePairs } from './co-activity.js';
export { isOverwhelming, overwhelmingEvidence } from './overwhelming-individual.js';
export { populationCommunities } from './population-communities.js';
export {
  createPopulationTracker,
  type PopulationFinding,
  type PopulationTracker,
} from './population-tracker.js';
