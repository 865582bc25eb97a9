import type { TruthRecord } from '../log/exchange.js';
import {
  type AccountBlueprint,
  type AccountFactory,
  adoptionTime,
  homeNetwork,
  pickCountry,
} from './account-factory.js';
import {
  type ActivityShape,
  DAY,
  FLAT_CURVE,
  HUMAN_CURVE,
  nextActiveTime,
} from './activity-clock.js';
import type { Behaviour, Draft, SimulationContext } from './behaviour.js';
import { pickClient } from './client-profiles.js';
import { EVENING_CURVE, sessions } from './look-alike-behaviours.js';
import { LOCAL_CHAT, REASONING_REQUESTS } from './multilingual-phrases.js';
import { blocksOf } from './network-registry.js';
import { ASSISTANT_REPLIES, SAMPLE_RESPONSES } from './prompt-content.js';
import { readingSessions } from './reading-time.js';
import { evalLabBehaviour, evalLabBlueprint } from './red-team-c-eval-lab.js';
import type { Turn } from './request-builder.js';
import { LANGUAGES, type Language, type PersonaSpec, type RedTeamCLookAlike } from './scenario.js';
import { FREE_EMAIL_DOMAINS, type SimulatedAccount } from './simulated-account.js';
import { CODING_TOOLS } from './tool-catalog.js';

/** Mean exchanges per account per day when a scenario does not say. */
export const RED_TEAM_C_EXCHANGES_PER_DAY: Readonly<Record<RedTeamCLookAlike, number>> = {
  honest_aggregator: 300,
  byok_chat: 12,
  book_writer: 5,
  eval_lab: 160,
};

const ROUTER_WORDS = ['relay', 'switch', 'nexus', 'gate', 'route', 'hub', 'mesh', 'bridge'];

/** The system prompt a bring-your-own-key chat app ships (every user of the app sends it). */
const BYOK_SYSTEM =
  'You are a helpful assistant. Answer in the language the user writes in. Use Markdown for ' +
  'formatting and keep a friendly tone.';
/** The book-writing tool's system prompt (every author using the tool sends it). */
const WRITER_SYSTEM =
  'You are Quillstone, a co-writing assistant for novelists. Continue the manuscript in the ' +
  "author's voice, keep continuity with the outline and earlier chapters, and write full prose.";
const GENRES = ['fantasy', 'crime', 'romance', 'science fiction', 'historical', 'thriller'];
const CHAPTER_ASKS = [
  'Write chapter {n} in full, about 5,000 words, following the outline.',
  'Draft the whole of chapter {n}. Full prose, no summary, keep the tension from the last chapter.',
  'Now write chapter {n} completely, with dialogue, in my voice.',
];
const REWRITE_ASKS = [
  'Rewrite this scene with more interiority and slower pacing:',
  'Expand this passage into a full scene, roughly three times as long:',
  'Polish this chapter draft without changing the plot:',
];

export interface RedTeamCLookAlikeAgent {
  account: SimulatedAccount;
  behaviour: Behaviour;
}

/**
 * An established API aggregator's account: years old, its own organisation, company domain, card
 * and backend (2–4 addresses of one cloud /24), several keys. The third red team's `aggregator`
 * campaign routes its harvest through accounts of exactly this shape; `honest_aggregator` is one
 * with only its own end users.
 */
export function aggregatorBlueprint(
  context: SimulationContext,
  factory: AccountFactory,
  truth: Omit<TruthRecord, 'account_id'>,
): AccountBlueprint {
  const { random, start } = context;
  const subnet = random.pick(blocksOf('datacenter')).subnet(random);
  const addresses = Array.from({ length: random.between(2, 4) }, () => subnet.address(random));
  const home = addresses[0] as string;
  return {
    createdAt: start - (365 + random.next() * 2 * 365) * DAY,
    country: subnet.network.country,
    client: pickClient(random, 'backend'),
    network: { home, blocks: [subnet], rotation: 0, fixed: addresses },
    signupBlock: subnet,
    signupIp: home,
    emailDomain: `${random.pick(ROUTER_WORDS)}${random.pick(ROUTER_WORDS)}.ai`,
    paymentFingerprint: factory.paymentFingerprint(),
    verification: 'org',
    program: null,
    orgId: `org_${random.hex(10)}`,
    apiKeys: random.between(2, 5),
    truth,
    adoptsReleaseAt: adoptionTime(context, 0.9),
  };
}

/**
 * An aggregator's end users, round the clock: chat, coding, reasoning questions in many languages
 * (power users ask for the steps), instructions and agent loops, each request tagged with the end
 * user it came from.
 */
export function createAggregatorBehaviour(
  account: SimulatedAccount,
  context: SimulationContext,
  perDay: number,
): Behaviour {
  const { random, pools } = context;
  const endUsers = random.between(2000, 20_000);
  const shape: ActivityShape = {
    curve: FLAT_CURVE,
    offsetHours: account.offsetHours,
    weekend: 0.9,
  };
  return {
    nextTime: (from) => nextActiveTime(random, from, perDay, shape),
    compose() {
      const roll = random.next();
      const language = random.chance(0.6) ? 'en' : (random.pick(LANGUAGES) as Language);
      let turns: Turn[];
      let output: Draft['output'] = 'chat';
      let reasoning = false;
      let tools: Draft['tools'];
      if (roll < 0.35) {
        turns = [{ kind: 'user', text: random.pick(pools.chatOpeners) }];
      } else if (roll < 0.55) {
        turns = [{ kind: 'user', text: random.pick(pools.coding) }];
        output = 'code';
      } else if (roll < 0.7) {
        const question = random.pick(pools.reasoning[language]);
        const cue = random.chance(0.4) ? ` ${random.pick(REASONING_REQUESTS[language])}` : '';
        turns = [{ kind: 'user', text: `${question}${cue}` }];
        output = 'reasoning';
        reasoning = true;
      } else if (roll < 0.8) {
        turns = [
          { kind: 'user', text: random.pick(pools.chatOpeners) },
          { kind: 'assistant', text: random.pick(ASSISTANT_REPLIES) },
          { kind: 'user', text: random.pick(pools.chatFollowUps) },
        ];
      } else if (roll < 0.9) {
        turns = [{ kind: 'user', text: random.pick(pools.instructions) }];
      } else {
        turns = [{ kind: 'user', text: random.pick(pools.agentGoals) }];
        output = 'agent';
        tools = CODING_TOOLS;
      }
      const endUser = `eu_${((random.int(endUsers) * 2654435761) >>> 0).toString(16)}`;
      return {
        turns,
        tools,
        output,
        reasoning,
        toolCall: tools !== undefined && random.chance(0.5),
        temperature: random.pick([0, 0.3, 0.7, 1]),
        maxTokens: random.pick([1024, 4096, 8192]),
        stream: random.chance(0.7),
        extra:
          account.client.style === 'anthropic'
            ? { metadata: { user_id: endUser } }
            : { user: endUser },
      };
    },
  };
}

/**
 * The honest groups a sceptical reviewer raises against the third red team's campaigns
 * (docs/simulator.md#red-team-c-campaigns): honest API aggregators (few keys, many end users),
 * users of a bring-your-own-key chat app (multi-turn, one language each, many new after the app's
 * launch) and authors using a book-writing tool (few requests a day, very long outputs).
 */
export function createRedTeamCLookAlikes(
  spec: PersonaSpec,
  persona: RedTeamCLookAlike,
  count: number,
  context: SimulationContext,
  factory: AccountFactory,
  volumeFactor: number,
): RedTeamCLookAlikeAgent[] {
  const { random } = context;
  const perDay = (spec.exchangesPerDay ?? RED_TEAM_C_EXCHANGES_PER_DAY[persona]) * volumeFactor;
  const agents: RedTeamCLookAlikeAgent[] = [];
  for (let index = 0; index < count; index++) {
    const rate = perDay * (0.5 + random.next());
    if (persona === 'honest_aggregator') {
      const account = factory.create(
        aggregatorBlueprint(context, factory, {
          label: 'legit',
          campaign_id: null,
          operator: null,
          persona,
          group: persona,
        }),
      );
      agents.push({ account, behaviour: createAggregatorBehaviour(account, context, rate) });
      continue;
    }
    if (persona === 'eval_lab') {
      const account = factory.create(evalLabBlueprint(context, factory));
      agents.push({ account, behaviour: evalLabBehaviour(account, context, rate) });
      continue;
    }
    const account = factory.create(personalBlueprint(context, factory, persona));
    agents.push({
      account,
      behaviour:
        persona === 'byok_chat'
          ? byokBehaviour(account, context, rate)
          : writerBehaviour(account, context, rate),
    });
  }
  return agents;
}

/** A person's own account: own card, free mail, home network; the app decides the client. */
function personalBlueprint(
  context: SimulationContext,
  factory: AccountFactory,
  persona: 'byok_chat' | 'book_writer',
): AccountBlueprint {
  const { random, start } = context;
  const country = pickCountry(random);
  const home = homeNetwork(context, country);
  // The chat app went viral three weeks ago: many of its users opened their key since.
  const createdAt =
    persona === 'byok_chat' && random.chance(0.45)
      ? start - 21 * DAY + Math.min(random.exponential(4 * DAY), 20 * DAY)
      : start - (20 + random.exponential(300)) * DAY;
  return {
    createdAt,
    country,
    client: pickClient(random, persona === 'byok_chat' ? 'browser' : 'node-sdk'),
    network: home.network,
    signupBlock: home.block,
    signupIp: home.network.home,
    emailDomain: random.pick(FREE_EMAIL_DOMAINS),
    paymentFingerprint: factory.paymentFingerprint(),
    verification: 'card',
    program: null,
    truth: { label: 'legit', campaign_id: null, operator: null, persona, group: persona },
    adoptsReleaseAt: adoptionTime(context, 0.3),
  };
}

/** Conversations of several turns in the user's own language, the whole history re-sent. */
function byokBehaviour(
  account: SimulatedAccount,
  context: SimulationContext,
  perDay: number,
): Behaviour {
  const { random, pools } = context;
  const language = account.language;
  const local = LOCAL_CHAT[language];
  const custom = random.chance(0.3);
  const opener = (): string =>
    language === 'en'
      ? random.pick(random.chance(0.5) ? pools.chatOpeners : pools.instructions)
      : local.openers.length > 0 && random.chance(0.5)
        ? random.pick(local.openers)
        : random.pick(pools.reasoning[language]);
  let turns: Turn[] = [];
  // Each next turn waits for the person to read the answer (branch self-play).
  return readingSessions(
    context,
    perDay,
    { curve: HUMAN_CURVE, offsetHours: account.offsetHours, weekend: 1.1 },
    4,
    (first) => {
      if (first) {
        turns = [{ kind: 'user', text: opener() }];
      } else {
        const next = random.chance(0.25)
          ? opener()
          : language !== 'en' && local.followUps.length > 0
            ? random.pick(local.followUps)
            : random.pick(pools.chatFollowUps);
        turns = [
          ...turns,
          { kind: 'assistant', text: random.pick(SAMPLE_RESPONSES) },
          { kind: 'user', text: next },
        ];
      }
      return {
        turns,
        system: custom ? undefined : BYOK_SYSTEM,
        output: 'chat',
        reasoning: false,
        toolCall: false,
        temperature: 0.7,
        maxTokens: 4096,
        stream: true,
      };
    },
  );
}

/** An author's writing evenings: whole chapters of one novel, rewrites of pasted scenes. */
function writerBehaviour(
  account: SimulatedAccount,
  context: SimulationContext,
  perDay: number,
): Behaviour {
  const { random, pools } = context;
  const outline = `Outline of my ${random.pick(GENRES)} novel: ${random.pick(pools.instructions)}`;
  let chapter = 1 + random.int(20);
  return sessions(
    context,
    perDay,
    { curve: EVENING_CURVE, offsetHours: account.offsetHours, weekend: 1.3 },
    1.5,
    600_000,
    () => {
      let text: string;
      if (random.chance(0.65)) {
        text = random.pick(CHAPTER_ASKS).replace('{n}', String(chapter));
        chapter += 1;
      } else {
        text = `${random.pick(REWRITE_ASKS)}\n\n${random.pick(SAMPLE_RESPONSES)}`;
      }
      return {
        turns: [
          { kind: 'user', text: outline },
          { kind: 'assistant', text: random.pick(ASSISTANT_REPLIES) },
          { kind: 'user', text },
        ],
        system: WRITER_SYSTEM,
        output: 'longform',
        reasoning: false,
        toolCall: false,
        temperature: 0.9,
        maxTokens: random.pick([16_000, 32_000]),
        stream: true,
      };
    },
  );
}
