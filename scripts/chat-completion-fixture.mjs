// The upstream answer the gateway bench scripts serve (`gateway-request-cpu`, `gateway-store-cpu`,
// `gateway-store-identity`): one small OpenAI chat completion, fixed so runs compare.
export const completion = JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 0,
  model: 'm',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'The answer is 42.' },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 },
});
