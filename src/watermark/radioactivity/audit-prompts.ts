/** Built-in audit prompts: ordinary assistant requests across everyday topics. */
export const AUDIT_PROMPTS: readonly string[] = [
  'How do I bake bread at home?',
  'Any tips for a small vegetable garden?',
  'How should I plan a cheap trip by train?',
  'How can I write a clearer essay?',
  'What is a good way to start saving money?',
  'How do I debug a slow database query?',
  'How can I sleep better?',
  'Explain how scientists measure the energy of a star.',
  'How do I make a simple soup?',
  'What should I check before I deploy a new server?',
  'How do I keep roses healthy?',
  'How do I build a daily exercise routine?',
  'How do I compare two loans?',
  'How can I revise the first draft of a story?',
  'What should I pack for a week at the coast?',
  'How do I test a function that reads a file?',
];
