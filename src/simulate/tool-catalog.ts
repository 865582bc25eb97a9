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

const fn = (name: string, description: string, params: string[]): ToolSpec => ({
  name,
  description,
  parameters: object(
    Object.fromEntries(params.map((param) => [param, text(param.replaceAll('_', ' '))])),
    params.slice(0, 1),
  ),
});

/**
 * A public function-calling collection's tool definitions (the kind of fixed pool a harvesting
 * harness or a public dataset draws 3–8 tools per request from).
 */
export const FUNCTION_POOL: readonly ToolSpec[] = [
  fn('get_stock_price', 'Get the latest price of a stock.', ['symbol']),
  fn('convert_currency', 'Convert an amount between currencies.', ['amount', 'from', 'to']),
  fn('book_flight', 'Book a flight.', ['origin', 'destination', 'date']),
  fn('search_hotels', 'Find hotels in a city.', ['city', 'check_in', 'nights']),
  fn('get_directions', 'Driving directions between two places.', ['origin', 'destination']),
  fn('translate_text', 'Translate text.', ['text', 'target_language']),
  fn('calculate_mortgage', 'Monthly mortgage payment.', ['principal', 'rate', 'years']),
  fn('get_news', 'Latest news headlines on a topic.', ['topic']),
  fn('create_reminder', 'Create a reminder.', ['text', 'time']),
  fn('search_recipes', 'Find recipes by ingredient.', ['ingredients']),
  fn('get_exchange_rate', 'Exchange rate between two currencies.', ['base', 'quote']),
  fn('track_package', 'Track a parcel.', ['tracking_number']),
  fn('play_music', 'Play a song or playlist.', ['query']),
  fn('order_food', 'Order food from a restaurant.', ['restaurant', 'items']),
  fn('check_availability', 'Check a calendar for free slots.', ['date']),
  fn('get_movie_showtimes', 'Cinema showtimes near a place.', ['location', 'date']),
  fn('calculate_bmi', 'Body-mass index.', ['weight_kg', 'height_m']),
  fn('lookup_definition', 'Dictionary definition of a word.', ['word']),
  fn('generate_password', 'Generate a random password.', ['length']),
  fn('get_air_quality', 'Air quality index for a city.', ['city']),
  fn('schedule_meeting', 'Schedule a meeting.', ['title', 'participants', 'time']),
  fn('find_nearby_places', 'Places of a kind near a location.', ['location', 'kind']),
  fn('analyze_sentiment', 'Sentiment of a text.', ['text']),
  fn('get_sports_scores', 'Latest scores of a league.', ['league']),
];
