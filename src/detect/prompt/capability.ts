/** The capability a prompt exercises: what a distilled student would learn from the answer. */
export type Capability =
  | 'coding'
  | 'math_reasoning'
  | 'agentic_tool_use'
  | 'computer_use'
  | 'vision'
  | 'creative_writing'
  | 'rubric_grading'
  | 'translation'
  | 'data_extraction'
  | 'general_chat';

/** Every capability, in a stable order (index = capability id in compact tables). */
export const CAPABILITIES: readonly Capability[] = [
  'coding',
  'math_reasoning',
  'agentic_tool_use',
  'computer_use',
  'vision',
  'creative_writing',
  'rubric_grading',
  'translation',
  'data_extraction',
  'general_chat',
];
