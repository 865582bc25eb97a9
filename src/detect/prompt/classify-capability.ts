import type { Capability } from './capability.js';

/** What the capability decision looks at; keyword votes come from the capability cues. */
export interface CapabilityEvidence {
  hasImage: boolean;
  hasTools: boolean;
  hasToolTraffic: boolean;
  hasComputerUse: boolean;
  codeBlocks: number;
  numbers: number;
  rubricGrading: number;
  /** Keyword votes per capability (missing = 0). */
  votes: Partial<Record<Capability, number>>;
}

/** Keyword categories in tie-break order: the more specific request wins a tie. */
const TEXT_CATEGORIES: readonly Capability[] = [
  'translation',
  'coding',
  'math_reasoning',
  'data_extraction',
  'creative_writing',
  'computer_use',
  'agentic_tool_use',
];

/**
 * Primary capability: structure first (a computer-use tool, an image, tools), then a rubric
 * grading request, then the strongest keyword vote; `general_chat` when nothing votes.
 * Maths needs two votes, or one and a number, because "how many"/"calculate" is everyday speech.
 *
 * @example classifyCapability({ ...evidence, votes: { coding: 3 } }) // 'coding'
 */
export function classifyCapability(evidence: CapabilityEvidence): Capability {
  const votes = evidence.votes;
  if (evidence.hasComputerUse) return 'computer_use';
  if (evidence.hasImage) {
    return (votes.computer_use ?? 0) >= 2 && evidence.hasTools ? 'computer_use' : 'vision';
  }
  if (evidence.hasTools || evidence.hasToolTraffic) return 'agentic_tool_use';
  if (evidence.rubricGrading >= 0.5) return 'rubric_grading';
  let best: Capability = 'general_chat';
  let bestVotes = 0;
  for (const category of TEXT_CATEGORIES) {
    let vote = votes[category] ?? 0;
    if (category === 'coding') vote += evidence.codeBlocks * 2;
    if (category === 'math_reasoning' && vote < 2 && evidence.numbers === 0) vote = 0;
    if (category === 'computer_use' || category === 'agentic_tool_use') vote = vote >= 2 ? vote : 0;
    if (vote > bestVotes) {
      best = category;
      bestVotes = vote;
    }
  }
  return best;
}
