import type { AccountRecord, Exchange } from '../../log/exchange.js';

/**
 * Hand-built traffic for the engine's tests: a small distillation campaign and the hard
 * negatives that look like one on a single axis (an evaluation harness, a shared NAT, a developer
 * tool's shared system prompt, plain chat users). Deterministic, no simulator needed.
 */
export interface Traffic {
  accounts: AccountRecord[];
  exchanges: Exchange[];
  attackAccounts: string[];
  legitAccounts: string[];
}

const START = Date.parse('2026-02-02T00:00:00.000Z');
const MATH = [
  'A train travels 60 km in 1.5 hours. What is its average speed?',
  'If 3x + 7 = 22, what is x?',
  'A rectangle has a perimeter of 30 and a width of 5. What is its area?',
  'What is the sum of the first 50 positive integers?',
  'A shop sells pens at 3 for $2. How much do 12 pens cost?',
  'How many ways can 4 books be arranged on a shelf?',
  'What is 15% of 240?',
  'Solve for y: 2y - 9 = 3y + 4.',
];
const CHAT = [
  'Can you recommend a good pasta recipe for tonight?',
  'What should I pack for a weekend hiking trip in the Alps?',
  'Help me write a birthday message for my sister.',
  'What is the difference between a latte and a flat white?',
  'Suggest three names for a grey cat.',
  'How do I politely decline a meeting invitation?',
  'Summarise the plot of Pride and Prejudice in two sentences.',
  'Which houseplants survive in low light?',
];
const CODE = [
  'Fix this function: def add(a, b): return a - b',
  'Why does my React effect run twice in development?',
  'Write a SQL query that counts orders per customer.',
  'Refactor this loop into a list comprehension: for x in xs: out.append(x * 2)',
];

/** Small deterministic PRNG (mulberry32) so fixtures never depend on Math.random. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function exchange(
  id: string,
  timeMs: number,
  account: string,
  ip: string,
  request: Exchange['request'],
  outputTokens: number,
  client = 'OpenAI/Python 1.40.0',
): Exchange {
  return {
    id,
    ts: new Date(timeMs).toISOString(),
    account_id: account,
    ip,
    user_agent: client,
    tls_fingerprint: '773906b0efdefa24a7f2b8eb6985bf37',
    header_order: 'host,accept,content-type,user-agent,authorization',
    endpoint: 'chat.completions',
    model: 'atlas-2',
    request,
    response: { input_tokens: 80, output_tokens: outputTokens, stop_reason: 'stop' },
    status: 200,
  };
}

export interface TrafficOptions {
  seed?: number;
  attackAccounts?: number;
  /** Hours of traffic. */
  hours?: number;
}

export interface CampaignFixture {
  /** Account ids are `${prefix}-0`, `${prefix}-1`, …; payment methods `pay-${prefix}-0` and `-1`. */
  prefix: string;
  accounts: number;
  startMs: number;
  endMs: number;
  /** One exchange per this many ms, round-robin over the accounts. */
  everyMs: number;
  /** The proxy /24 (`a.b.c`): twenty exit addresses in it. */
  subnet: string;
  domain: string;
  /** Uniform draws in [0, 1) choosing the questions. */
  draw: () => number;
  id: () => string;
}

/**
 * One campaign: accounts signed up within minutes an hour before it starts, two shared payment
 * methods, one proxy /24, a templated step-by-step maths harvest at fixed parameters, round-robin
 * over accounts.
 */
export function buildCampaign({
  prefix,
  accounts: count,
  startMs,
  endMs,
  everyMs,
  subnet,
  domain,
  draw,
  id,
}: CampaignFixture): { accounts: AccountRecord[]; exchanges: Exchange[]; members: string[] } {
  const accounts: AccountRecord[] = [];
  const exchanges: Exchange[] = [];
  const members: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const account = `${prefix}-${index}`;
    members.push(account);
    accounts.push({
      account_id: account,
      created_at: new Date(startMs - 3660_000 + index * 20_000).toISOString(),
      email_domain: domain,
      payment_fingerprint: `pay-${prefix}-${index % 2}`,
      verification: 'email',
      program: 'edu',
    });
  }
  for (let time = startMs, turn = 0; time < endMs; time += everyMs, turn += 1) {
    const account = members[turn % members.length] as string;
    const question = MATH[Math.floor(draw() * MATH.length)] as string;
    exchanges.push(
      exchange(
        id(),
        time,
        account,
        `${subnet}.${10 + (turn % 20)}`,
        {
          messages: [
            {
              role: 'user',
              content: `Solve the following problem step by step and show your full reasoning before the final answer: ${question}`,
            },
          ],
          max_tokens: 4096,
          temperature: 0,
        },
        1500,
      ),
    );
  }
  return { accounts, exchanges, members };
}

/** Builds the fixture traffic sorted by time. */
export function buildTraffic({
  seed = 1,
  attackAccounts = 8,
  hours = 6,
}: TrafficOptions = {}): Traffic {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const accounts: AccountRecord[] = [];
  const exchanges: Exchange[] = [];
  const attack: string[] = [];
  const legit: string[] = [];
  let counter = 0;
  const id = () => `x${(counter++).toString().padStart(6, '0')}`;
  const end = START + hours * 3600_000;

  const campaign = buildCampaign({
    prefix: 'attack',
    accounts: attackAccounts,
    startMs: START + 60_000,
    endMs: end,
    everyMs: 45_000,
    subnet: '45.76.12',
    domain: 'mail-harvest.example',
    draw: next,
    id,
  });
  accounts.push(...campaign.accounts);
  exchanges.push(...campaign.exchanges);
  attack.push(...campaign.members);

  // Plain chat users: own addresses, multi-turn, varied parameters.
  for (let index = 0; index < 30; index += 1) {
    const account = `chat-${index}`;
    legit.push(account);
    accounts.push({
      account_id: account,
      created_at: new Date(START - 30 * 86_400_000 + index * 7_777_000).toISOString(),
      email_domain: 'gmail.com',
      payment_fingerprint: `pay-chat-${index}`,
    });
    const count = 3 + Math.floor(next() * 10);
    for (let turn = 0; turn < count; turn += 1) {
      const time = START + Math.floor(next() * (end - START));
      exchanges.push(
        exchange(
          id(),
          time,
          account,
          `73.${index}.${Math.floor(next() * 4)}.${Math.floor(next() * 250)}`,
          {
            messages: [
              { role: 'user', content: pick(CHAT) },
              { role: 'assistant', content: 'Sure, here you go.' },
              { role: 'user', content: pick(CHAT) },
            ],
            temperature: pick([0.7, 1, 0.5]),
          },
          200 + Math.floor(next() * 300),
          'Mozilla/5.0',
        ),
      );
    }
  }

  // Shared NAT: twenty university accounts behind one address, chatting and sometimes asking to
  // think step by step (students do).
  for (let index = 0; index < 20; index += 1) {
    const account = `nat-${index}`;
    legit.push(account);
    accounts.push({
      account_id: account,
      created_at: new Date(START - 90 * 86_400_000 + index * 86_400_000).toISOString(),
      email_domain: 'uni.example',
      payment_fingerprint: `pay-nat-${index}`,
    });
    const count = 4 + Math.floor(next() * 6);
    for (let turn = 0; turn < count; turn += 1) {
      const time = START + Math.floor(next() * (end - START));
      const content = turn % 3 === 0 ? `Explain step by step: ${pick(MATH)}` : pick(CHAT);
      exchanges.push(
        exchange(
          id(),
          time,
          account,
          '128.32.1.1',
          { messages: [{ role: 'user', content }], temperature: pick([0.7, 1]) },
          400,
        ),
      );
    }
  }

  // Evaluation harness: one account, a benchmark sweep with chain-of-thought prompts at fixed
  // parameters and a metronome cadence, from one CI address.
  legit.push('eval-harness');
  accounts.push({
    account_id: 'eval-harness',
    created_at: new Date(START - 200 * 86_400_000).toISOString(),
    email_domain: 'lab.example',
    payment_fingerprint: 'pay-lab',
    verification: 'org',
  });
  for (let time = START + 5_000, turn = 0; time < end; time += 30_000, turn += 1) {
    exchanges.push(
      exchange(
        id(),
        time,
        'eval-harness',
        '34.70.1.5',
        {
          messages: [
            {
              role: 'user',
              content: `Q: ${MATH[turn % MATH.length]}\nA: Let's think step by step.`,
            },
          ],
          max_tokens: 512,
          temperature: 0,
        },
        300,
      ),
    );
  }

  // Developer tool users: one shared system prompt and tool set, each from their own network.
  const tools = [
    { type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } },
  ];
  for (let index = 0; index < 12; index += 1) {
    const account = `dev-${index}`;
    legit.push(account);
    accounts.push({
      account_id: account,
      created_at: new Date(START - 60 * 86_400_000 + index * 3_600_000).toISOString(),
      email_domain: `company${index}.example`,
      payment_fingerprint: `pay-dev-${index}`,
    });
    for (let time = START + index * 60_000; time < end; time += 600_000) {
      exchanges.push(
        exchange(
          id(),
          time,
          account,
          `99.${index}.7.${index + 1}`,
          {
            messages: [
              {
                role: 'system',
                content:
                  'You are CodePilot, an expert pair programmer inside the editor. Use the tools.',
              },
              { role: 'user', content: pick(CODE) },
            ],
            tools,
            max_tokens: 2048,
            temperature: 0.2,
          },
          600,
          'CodePilot/3.1',
        ),
      );
    }
  }

  exchanges.sort((a, b) => a.ts.localeCompare(b.ts) || a.id.localeCompare(b.id));
  return { accounts, exchanges, attackAccounts: attack, legitAccounts: legit };
}
