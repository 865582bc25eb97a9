import type { ToolSpec } from './request-builder.js';

const object = (properties: Record<string, unknown>, required: string[]) => ({
  type: 'object',
  properties,
  required,
});
const text = (description: string) => ({ type: 'string', description });

/** General agent tools (search, browsing, data, messaging). */
export const AGENT_TOOLS: readonly ToolSpec[] = [
  {
    name: 'web_search',
    description: 'Search the web and return the top results.',
    parameters: object({ query: text('search query') }, ['query']),
  },
  {
    name: 'fetch_url',
    description: 'Fetch a web page and return its text.',
    parameters: object({ url: text('absolute URL') }, ['url']),
  },
  {
    name: 'get_weather',
    description: 'Current weather and 5-day forecast for a city.',
    parameters: object({ city: text('city name') }, ['city']),
  },
  {
    name: 'run_sql',
    description: 'Run a read-only SQL query on the analytics database.',
    parameters: object({ sql: text('SQL query') }, ['sql']),
  },
  {
    name: 'send_email',
    description: 'Send an email.',
    parameters: object({ to: text('recipient'), subject: text('subject'), body: text('body') }, [
      'to',
      'subject',
      'body',
    ]),
  },
  {
    name: 'create_calendar_event',
    description: 'Create a calendar event and invite attendees.',
    parameters: object(
      {
        title: text('title'),
        start: text('RFC 3339 start'),
        attendees: { type: 'array', items: { type: 'string' } },
      },
      ['title', 'start'],
    ),
  },
  {
    name: 'python',
    description: 'Execute Python code in a sandbox and return stdout.',
    parameters: object({ code: text('Python source') }, ['code']),
  },
];

/** Coding-agent tools (repository access, tests, shell). */
export const CODING_TOOLS: readonly ToolSpec[] = [
  {
    name: 'read_file',
    description: 'Read a file from the repository.',
    parameters: object({ path: text('repository path') }, ['path']),
  },
  {
    name: 'write_file',
    description: 'Create or overwrite a file.',
    parameters: object({ path: text('repository path'), content: text('new content') }, [
      'path',
      'content',
    ]),
  },
  {
    name: 'search_code',
    description: 'Search the repository with a regular expression.',
    parameters: object({ pattern: text('regex') }, ['pattern']),
  },
  {
    name: 'run_tests',
    description: 'Run the test suite, optionally filtered.',
    parameters: object({ filter: text('test name filter') }, []),
  },
  {
    name: 'bash',
    description: 'Run a shell command in the workspace.',
    parameters: object({ command: text('command line') }, ['command']),
  },
];

/** Tools a SaaS support product exposes to its assistant (honest function calling). */
export const SUPPORT_TOOLS: readonly ToolSpec[] = [
  {
    name: 'lookup_order',
    description: 'Look up an order by number.',
    parameters: object({ order_id: text('order number') }, ['order_id']),
  },
  {
    name: 'search_help_center',
    description: 'Search help-center articles.',
    parameters: object({ query: text('query') }, ['query']),
  },
  {
    name: 'create_ticket',
    description: 'Escalate to a human agent.',
    parameters: object({ summary: text('summary') }, ['summary']),
  },
];
