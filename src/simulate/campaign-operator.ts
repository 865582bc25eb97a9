// Past the ~400-line guide: one operator's whole life (accounts, regrowth after bans, schedule,
// evasion-cell choices) shares its state in one closure. Candidate split: the regrowth policy.
import {
  type AccountBlueprint,
  type AccountFactory,
  homeNetwork,
  pickCountry,
} from './account-factory.js';
import {
  type ActivityShape,
  DAY,
  HOUR,
  HUMAN_CURVE,
  MINUTE,
  nextActiveTime,
} from './activity-clock.js';
import { composeAttackTask, createOperatorStyle, type OperatorStyle } from './attack-tasks.js';
import type { Behaviour, Draft, SimulationContext } from './behaviour.js';
import { type ClientProfile, pickClient } from './client-profiles.js';
import { createCustomerBehaviour } from './customer-personas.js';
import { LOCAL_CHAT } from './multilingual-phrases.js';
import { type AddressBlock, blocksOf } from './network-registry.js';
import { createDailyCounter, nextInWindow, windowShare } from './operator-schedule.js';
import { ASSISTANT_REPLIES } from './prompt-content.js';
import { aggregatorBlueprint, createAggregatorBehaviour } from './red-team-c-look-alikes.js';
import { composeRedTeamCTask, withHarnessPacing } from './red-team-c-tasks.js';
import { composeRedTeamTask } from './red-team-tasks.js';
import {
  type CampaignSpec,
  type Language,
  RED_TEAM_C_TASK_KINDS,
  RED_TEAM_TASK_KINDS,
  type RedTeamCTaskKind,
  type RedTeamTaskKind,
  TASK_KINDS,
  type TaskKind,
} from './scenario.js';
import {
  type AccountNetwork,
  DISPOSABLE_EMAIL_DOMAINS,
  FREE_EMAIL_DOMAINS,
  type SimulatedAccount,
} from './simulated-account.js';
import type { CampaignSummary } from './simulation-types.js';

const TEMPERATURES = [0.6, 0.7, 0.8, 1];
const MAX_TOKENS = [2048, 4096, 8192];
const WORDS = [
  'blue',
  'delta',
  'forge',
  'nimbus',
  'apex',
  'river',
  'stone',
  'echo',
  'quill',
  'zen',
];

/** Exchanges a day of an aged account before it switches to harvesting (casual chat). */
const WARM_UP_PER_DAY = 4;

const isRedTeamKind = (kind: TaskKind): kind is RedTeamTaskKind =>
  (RED_TEAM_TASK_KINDS as readonly string[]).includes(kind);
const isRedTeamCKind = (kind: TaskKind): kind is RedTeamCTaskKind =>
  (RED_TEAM_C_TASK_KINDS as readonly string[]).includes(kind);

/** One attack campaign: its operator's infrastructure, habits, account pool and reactions. */
export interface CampaignOperator {
  readonly spec: CampaignSpec;
  readonly startAt: number;
  readonly endAt: number;
  readonly summary: CampaignSummary;
  /** The initial accounts (attack and mixed), not yet signed up. */
  readonly initialAccounts: readonly SimulatedAccount[];
  /** A new account: a replacement after a ban (inheriting some fingerprints) or an extra one. */
  createAccount(at?: number, like?: SimulatedAccount): SimulatedAccount;
  /** The account starts (or stops) sending the campaign's traffic. */
  join(account: SimulatedAccount): void;
  leave(account: SimulatedAccount): void;
  /** Mean gap of the campaign-level dispatcher, or null when each account runs its own clock. */
  readonly dispatchGap: number | null;
  nextDispatch(from: number): number;
  /** The account that sends the next dispatched exchange (undefined: none usable now). */
  pickAccount(at: number): SimulatedAccount | undefined;
  compose(account: SimulatedAccount, at: number): Draft;
  /** Per-account clock for human cadence (attack accounts). */
  attackBehaviour(account: SimulatedAccount): Behaviour;
  /** The reseller's real customers' traffic on a mixed account. */
  customerBehaviour(account: SimulatedAccount): Behaviour;
  model(at: number): string;
  isMixed(account: SimulatedAccount): boolean;
}

export function createCampaignOperator(
  spec: CampaignSpec,
  context: SimulationContext,
  factory: AccountFactory,
  scale: number,
): CampaignOperator {
  const { random, pools, scenario, start, end, releaseAt } = context;
  const startAt = start + spec.startHour * HOUR;
  const endAt = Math.min(end, spec.endHour === undefined ? end : start + spec.endHour * HOUR);
  const spanDays = Math.max((endAt - startAt) / DAY, 1 / 24);
  const accountCount = Math.max(1, Math.round(spec.accounts * scale));
  const exchangeTarget = Math.max(10, Math.round(spec.exchanges * scale));
  const takeover = spec.takeover;
  const resellerCount = spec.reseller ? Math.max(1, Math.round(spec.reseller.accounts * scale)) : 0;
  // A stolen key carries only the thief's harvest besides its owner's traffic.
  const attackShare = takeover ? 1 : spec.reseller ? spec.reseller.attackShare : 0;
  const rewrite = spec.wording === 'rewrite';
  const scripted = createOperatorStyle(random, (spec.adaptive?.paraphrase ?? false) || rewrite);
  // Rewording every request leaves no system prompt or wrapper shared between requests.
  const style: OperatorStyle = rewrite
    ? { ...scripted, system: undefined, rewrite: true }
    : scripted;
  const taskKinds: TaskKind[] = TASK_KINDS.filter((kind) => (spec.tasks[kind] ?? 0) > 0);
  const taskWeights = taskKinds.map((kind) => spec.tasks[kind] ?? 0);
  const rotateLanguages =
    ((spec.adaptive?.languageRotation ?? false) || rewrite) && !spec.sale?.oneLanguage;
  const cap = spec.dailyCap;
  const daily = createDailyCounter();
  const humanLike = spec.adaptive !== undefined;

  // Infrastructure: a couple of cloud providers' /24s, a residential proxy pool, shared cards.
  const providers = blocksOf('datacenter').filter((block) => !block.network.prefix.includes(':'));
  const preferred = [random.pick(providers), random.pick(providers)];
  const subnets: AddressBlock[] = [];
  for (let index = 0; index < Math.min(spec.network.subnets, accountCount); index++) {
    subnets.push((preferred[index % 2] as AddressBlock).subnet(random));
  }
  const residential = blocksOf('residential');
  const mobile = blocksOf('mobile');
  const payments: string[] = [];
  for (let index = 0; index < spec.paymentFingerprints; index++)
    payments.push(factory.paymentFingerprint());
  const throwawayDomain = () => `${random.pick(WORDS)}${random.pick(WORDS)}-${random.hex(3)}.com`;
  const customDomains = [0, 1, 2].map(throwawayDomain);
  if (spec.signup.domains !== undefined) {
    customDomains.length = Math.min(3, spec.signup.domains);
    while (customDomains.length < spec.signup.domains) customDomains.push(throwawayDomain());
  }
  const eduDomains = [0, 1].map(() => `${random.pick(WORDS)}-institute.edu`);
  const perAccountClient = spec.client === 'rotating' || spec.client === 'browser';
  const primaryClient = pickClient(random, spec.client);
  const secondaryClient = pickClient(random, spec.client);
  const resellerSubnets = [0, 1].map(() => random.pick(providers).subnet(random));
  const resellerClient = pickClient(random, 'backend');
  // Drawn only for the campaigns that use them, so older scenarios keep their seeded stream.
  const organisation = spec.signup.organisation ? `org_${random.hex(10)}` : undefined;
  const switchAt = new Map<string, number>();
  // Established aggregators: the operator's own sub-accounts at each (end-user ids it passes on).
  const established = spec.reseller?.established === true;
  const endUserBase = new Map<string, number>();
  /** Bought accounts whose seller's use is in the log: the seller's own device and home. */
  const sellers = new Map<string, { client: ClientProfile; network: AccountNetwork }>();
  /** Stolen keys: when the thief starts, the owner's habit, and the thief's exit for the key. */
  const stolen = new Map<
    string,
    { takenAt: number; owner: 'chat' | 'dev_tools_ci'; exit: AccountNetwork }
  >();

  const summary: CampaignSummary = {
    campaignId: spec.id,
    operator: spec.operator,
    profile: spec.profile,
    accounts: 0,
    mixedAccounts: 0,
    replacements: 0,
    suspended: 0,
    exchanges: 0,
    exchangesViaMixed: 0,
    exchangesOnReleasedModel: 0,
  };

  const mixedIds = new Set<string>();
  const languages = new Map<string, Language>();
  const pool: SimulatedAccount[] = [];
  const resellers: SimulatedAccount[] = [];
  let cursor = 0;
  let languageCursor = 0;

  const network = (
    kind: CampaignSpec['network']['kind'],
  ): { network: AccountNetwork; block: AddressBlock } => {
    if (kind === 'residential-daily') {
      // One proxy session per account and day, in the account's claimed country: no exit is
      // shared with another account, and none is reused the next day.
      const local = blocksOf('residential', [pickCountry(random)]);
      const block = random.pick(local);
      const home = block.address(random);
      return {
        network: { home, blocks: local, rotation: 0, daily: { day: -1, address: home } },
        block,
      };
    }
    const effective = kind === 'mixed' ? (random.chance(0.5) ? 'datacenter' : 'residential') : kind;
    if (effective === 'datacenter') {
      const subnet = random.pick(subnets);
      return {
        network: { home: subnet.address(random), blocks: [subnet], rotation: 0.3 },
        block: subnet,
      };
    }
    if (humanLike) {
      // Sticky residential sessions in one claimed country, as a careful operator buys them.
      const country = pickCountry(random);
      const local = blocksOf(effective === 'mobile' ? 'mobile' : 'residential', [country]);
      const block = random.pick(local);
      return { network: { home: block.address(random), blocks: local, rotation: 0.15 }, block };
    }
    const blocks = effective === 'mobile' ? mobile : residential;
    const block = random.pick(blocks);
    return { network: { home: block.address(random), blocks, rotation: 1 }, block };
  };

  const createdAt = (at: number | undefined): number => {
    // A replacement for a banned aged account is another one bought, as old as the first.
    if (spec.signup.pattern === 'aged') {
      const oldest = Math.max(61, spec.signup.days ?? 540);
      return startAt - (60 + random.next() * (oldest - 60)) * DAY - MINUTE;
    }
    if (at !== undefined) return at;
    if (spec.signup.pattern === 'spread') return startAt - random.next() * 20 * DAY - MINUTE;
    if (spec.signup.pattern === 'staggered')
      return startAt - random.next() * (spec.signup.days ?? 14) * DAY - MINUTE;
    if (spec.signup.pattern === 'bursts') {
      // Clumps of ~50 accounts opened over ~40 minutes, on each of the days before the start.
      const days = Math.max(1, Math.round(spec.signup.days ?? 3));
      const clump = random.int(Math.max(1, Math.round(accountCount / 50)));
      const dayStart = startAt - (1 + (clump % days)) * DAY;
      return dayStart + ((clump * 7) % 20) * HOUR + random.next() * 40 * MINUTE;
    }
    // Burst: clumps of sign-ups minutes apart, in the hours before the campaign starts.
    const clump = random.int(Math.max(1, Math.round(accountCount / 20)));
    return startAt - 3 * HOUR + ((clump * 37) % 170) * MINUTE + random.exponential(2 * MINUTE);
  };

  const blueprint = (
    mixed: boolean,
    at: number | undefined,
    like: SimulatedAccount | undefined,
  ): AccountBlueprint => {
    const keep = () => like !== undefined && random.chance(spec.regrowth?.keepFingerprint ?? 0.5);
    const created = createdAt(at);
    if (mixed && takeover) return stolenKeyBlueprint();
    if (mixed && established)
      return aggregatorBlueprint(context, factory, {
        label: 'mixed',
        campaign_id: spec.id,
        operator: spec.operator,
        persona: 'aggregator',
        group: null,
      });
    if (mixed) {
      const subnet = random.pick(resellerSubnets);
      const home = subnet.address(random);
      return {
        createdAt: like ? created : start - random.exponential(120 * DAY) - HOUR,
        country: 'US',
        client: resellerClient,
        network: { home, blocks: [subnet], rotation: 0.5 },
        signupBlock: subnet,
        signupIp: home,
        emailDomain: random.pick(FREE_EMAIL_DOMAINS),
        paymentFingerprint: factory.paymentFingerprint(),
        verification: 'card',
        program: null,
        apiKeys: random.between(1, 3),
        truth: {
          label: 'mixed',
          campaign_id: spec.id,
          operator: spec.operator,
          persona: 'reseller',
          group: null,
        },
      };
    }
    const place =
      like && spec.network.kind !== 'residential-daily' && keep()
        ? { network: like.network, block: like.network.blocks[0] as AddressBlock }
        : network(spec.network.kind);
    const client: ClientProfile =
      like && keep()
        ? like.client
        : perAccountClient
          ? pickClient(random, spec.client)
          : random.chance(0.8)
            ? primaryClient
            : secondaryClient;
    const emailDomain =
      like && keep()
        ? (like.record.email_domain as string)
        : spec.signup.program === 'edu'
          ? random.pick(eduDomains)
          : spec.signup.emailDomains === 'disposable'
            ? random.pick(DISPOSABLE_EMAIL_DOMAINS)
            : spec.signup.emailDomains === 'custom'
              ? random.pick(customDomains)
              : random.pick(FREE_EMAIL_DOMAINS);
    const payment =
      like && keep() && like.record.payment_fingerprint
        ? like.record.payment_fingerprint
        : payments.length > 0
          ? random.pick(payments)
          : factory.paymentFingerprint();
    const signupAddress =
      place.network.blocks.length > 0 ? random.pick(place.network.blocks) : place.block;
    const signupIp = signupAddress.address(random);
    return {
      createdAt: created,
      country:
        place.block.network.kind === 'residential'
          ? place.block.network.country
          : random.chance(0.5)
            ? 'US'
            : pickCountry(random),
      client,
      network: place.network,
      signupBlock: signupAddress,
      signupIp,
      emailDomain,
      paymentFingerprint: payment,
      verification: spec.signup.verification,
      program: spec.signup.program,
      orgId:
        organisation ?? (spec.signup.program === 'startup' ? `org_${random.hex(10)}` : undefined),
      truth: {
        label: 'attack',
        campaign_id: spec.id,
        operator: spec.operator,
        persona: spec.profile,
        group: null,
      },
    };
  };

  // A real customer whose key leaked (a public repository, a CI log): an account years old, its
  // own card and home or office network, a developer's client; none of it the thief's.
  const stolenKeyBlueprint = (): AccountBlueprint => {
    const country = pickCountry(random);
    const home = homeNetwork(context, country);
    return {
      createdAt: start - (90 + random.exponential(400)) * DAY,
      country,
      client: pickClient(random, 'developer'),
      network: home.network,
      signupBlock: home.block,
      signupIp: home.network.home,
      emailDomain: random.pick(FREE_EMAIL_DOMAINS),
      paymentFingerprint: factory.paymentFingerprint(),
      verification: 'card',
      program: null,
      truth: {
        label: 'mixed',
        campaign_id: spec.id,
        operator: spec.operator,
        persona: spec.profile,
        group: null,
      },
    };
  };

  // The thief's exit for one key: a daily residential session in the owner's country (so the
  // geography matches), or the operator's own cloud subnets.
  const thiefExit = (country: string): AccountNetwork => {
    if (spec.network.kind !== 'residential-daily') return network(spec.network.kind).network;
    const local = blocksOf('residential', [country]);
    const blocks = local.length > 0 ? local : residential;
    const home = random.pick(blocks).address(random);
    return { home, blocks, rotation: 0, daily: { day: -1, address: home } };
  };

  const initial: SimulatedAccount[] = [];
  const operator: CampaignOperator = {
    spec,
    startAt,
    endAt,
    summary,
    initialAccounts: initial,
    createAccount(at, like) {
      const mixed =
        (takeover !== undefined && like === undefined) ||
        (like !== undefined && mixedIds.has(like.record.account_id));
      const account = factory.create(blueprint(mixed, at, like));
      const id = account.record.account_id;
      if (takeover) {
        // A replacement is another leaked key, taken over soon after the last one was stopped.
        const from = at ?? startAt;
        stolen.set(id, {
          takenAt: from + random.next() * (at === undefined ? takeover.withinHours : 2) * HOUR,
          owner: random.chance(0.5) ? 'dev_tools_ci' : 'chat',
          exit: thiefExit(account.country),
        });
      }
      if (spec.warmUpHours !== undefined) {
        const from = Math.max(startAt, at ?? startAt);
        switchAt.set(id, from + ((1 + 2 * random.next()) / 3) * spec.warmUpHours * HOUR);
        if (spec.sale?.sellerUse)
          sellers.set(id, {
            client: pickClient(random, 'chat'),
            network: homeNetwork(context, account.country).network,
          });
      }
      if (mixed) {
        mixedIds.add(account.record.account_id);
        summary.mixedAccounts += 1;
      } else {
        summary.accounts += 1;
      }
      // Operators split the languages across accounts (each account one language, all covered).
      languages.set(
        account.record.account_id,
        spec.languages[languageCursor++ % spec.languages.length] as Language,
      );
      return account;
    },
    join(account) {
      (mixedIds.has(account.record.account_id) ? resellers : pool).push(account);
    },
    leave(account) {
      const list = mixedIds.has(account.record.account_id) ? resellers : pool;
      const index = list.indexOf(account);
      if (index >= 0) list.splice(index, 1);
    },
    dispatchGap:
      spec.cadence === 'human'
        ? attackShare > 0
          ? (endAt - startAt) / (exchangeTarget * attackShare)
          : null
        : ((endAt - startAt) * windowShare(spec.windows)) / exchangeTarget,
    nextDispatch(from) {
      const gap = operator.dispatchGap ?? Number.POSITIVE_INFINITY;
      const jittered = spec.cadence === 'round-robin' && !spec.adaptive?.jitter;
      const next =
        Math.max(from, startAt) +
        (jittered ? gap * (0.95 + 0.1 * random.next()) : random.exponential(gap));
      return spec.windows ? nextInWindow(next, spec.windows) : next;
    },
    pickAccount(at) {
      const useReseller =
        resellers.length > 0 && (spec.cadence === 'human' || random.next() < attackShare);
      const list = takeover
        ? resellers.filter((account) => (stolen.get(account.record.account_id)?.takenAt ?? 0) <= at)
        : useReseller
          ? resellers
          : pool.length > 0
            ? pool
            : resellers;
      if (list.length === 0) return undefined;
      let skipped = 0;
      for (let attempt = 0; attempt < 4; attempt++) {
        const account =
          spec.cadence === 'round-robin'
            ? (list[cursor++ % list.length] as SimulatedAccount)
            : random.pick(list);
        if (cap !== undefined && daily.used(account.record.account_id, at) >= cap) {
          // Past its daily budget: the scheduler moves on to the next account of the pool.
          if (skipped++ < list.length) attempt -= 1;
          continue;
        }
        // A throttled key is used less; the operator shifts the load to the others.
        if (account.throttle >= 1 || random.next() < account.throttle) return account;
      }
      return undefined;
    },
    compose(account, at) {
      const warming = at < (switchAt.get(account.record.account_id) ?? 0);
      const kind = warming ? 'cover_chat' : (taskKinds[random.weighted(taskWeights)] as TaskKind);
      const language = rotateLanguages
        ? random.pick(spec.languages)
        : (languages.get(account.record.account_id) ?? 'en');
      // The composed task is a fresh object: completing it in place avoids a copy per exchange.
      const draft = (
        isRedTeamCKind(kind)
          ? composeRedTeamCTask(kind, random, pools, language, account)
          : isRedTeamKind(kind)
            ? composeRedTeamTask(kind, random, pools, language, style)
            : composeAttackTask(kind, random, pools, language, style)
      ) as Draft;
      // Only the long-form harvest asks for its own output budget (set by its composer).
      const asked = draft.maxTokens as number | undefined;
      draft.temperature = style.paraphrase ? random.pick(TEMPERATURES) : 0.7;
      draft.maxTokens = style.paraphrase ? random.pick(MAX_TOKENS) : 8192;
      if (asked !== undefined) draft.maxTokens = asked;
      draft.stream = style.paraphrase ? random.chance(0.5) : false;
      draft.model = operator.model(at);
      const seller = warming ? sellers.get(account.record.account_id) : undefined;
      if (seller) draft.via = seller;
      const key = stolen.get(account.record.account_id);
      if (key)
        draft.via = {
          client: random.chance(0.8) ? primaryClient : secondaryClient,
          network: key.exit,
        };
      if (spec.followUps !== undefined && !draft.toolCall && random.chance(spec.followUps)) {
        const local = LOCAL_CHAT[language].followUps;
        draft.turns.push(
          { kind: 'assistant', text: random.pick(ASSISTANT_REPLIES) },
          {
            kind: 'user',
            text:
              local.length > 0 && random.chance(0.7)
                ? random.pick(local)
                : random.pick(pools.chatFollowUps),
          },
        );
      }
      if (established && mixedIds.has(account.record.account_id)) {
        // The aggregator passes on which of its users sent the request: one of the operator's.
        let base = endUserBase.get(account.record.account_id);
        if (base === undefined) {
          base = 1_000_000 + random.int(1_000_000);
          endUserBase.set(account.record.account_id, base);
        }
        const endUser = `eu_${(((base + random.int(40)) * 2654435761) >>> 0).toString(16)}`;
        draft.extra =
          account.client.style === 'anthropic'
            ? { ...draft.extra, metadata: { user_id: endUser } }
            : { ...draft.extra, user: endUser };
      }
      if (cap !== undefined) daily.add(account.record.account_id, at);
      return draft;
    },
    attackBehaviour(account) {
      const perDay = exchangeTarget / accountCount / spanDays;
      const switchTime = switchAt.get(account.record.account_id) ?? 0;
      const shape: ActivityShape = {
        curve: HUMAN_CURVE,
        offsetHours: account.offsetHours,
        weekend: 0.85,
      };
      // Sessions hold 1 + floor(Exp(3)) exchanges: 1 + 1/(e^(1/3) − 1) ≈ 3.53 on average.
      const meanSession = 3.53;
      let remaining = 0;
      const behaviour: Behaviour = {
        nextTime(from) {
          let next: number;
          if (remaining > 0) {
            remaining -= 1;
            next = from + 20_000 + random.exponential(90_000);
          } else {
            remaining = Math.floor(random.exponential(3));
            // Before the switch the account is used lightly, as its honest-looking history was.
            const rate = from < switchTime ? WARM_UP_PER_DAY : perDay;
            next = nextActiveTime(random, Math.max(from, startAt), rate / meanSession, shape);
          }
          if (cap !== undefined && daily.used(account.record.account_id, next) >= cap) {
            remaining = 0;
            const tomorrow = (Math.floor(next / DAY) + 1) * DAY;
            next = nextActiveTime(random, tomorrow, perDay / meanSession, shape);
          }
          return next > endAt ? Number.POSITIVE_INFINITY : next;
        },
        compose: (at) => operator.compose(account, at),
      };
      if ((spec.tasks.self_play ?? 0) === 0) return behaviour;
      return withHarnessPacing(behaviour, account, random, endAt, (at) =>
        cap === undefined ? false : daily.used(account.record.account_id, at) >= cap,
      );
    },
    customerBehaviour(account) {
      const key = stolen.get(account.record.account_id);
      if (key && takeover) {
        return createCustomerBehaviour(key.owner, account, context, takeover.ownerExchangesPerDay);
      }
      if (established) {
        return createAggregatorBehaviour(
          account,
          context,
          spec.reseller?.customerExchangesPerDay ?? 150,
        );
      }
      return createCustomerBehaviour(
        'reseller',
        account,
        context,
        spec.reseller?.customerExchangesPerDay ?? 150,
      );
    },
    model(at) {
      const release = scenario.models.release;
      if (release && spec.pivot && at >= releaseAt) {
        const ramp = Math.min(1, (at - releaseAt) / (spec.pivot.withinHours * HOUR));
        if (random.next() < spec.pivot.fraction * ramp) return release.model;
      }
      return random.chance(0.9)
        ? (scenario.models.available[0] as string)
        : random.pick(scenario.models.available);
    },
    isMixed: (account) => mixedIds.has(account.record.account_id),
  };

  // An operator routing through established aggregators runs no accounts of its own.
  const ownAccounts = established ? 0 : accountCount;
  for (let index = 0; index < ownAccounts; index++) initial.push(operator.createAccount());
  for (let index = 0; index < resellerCount; index++) {
    const account = factory.create(blueprint(true, undefined, undefined));
    mixedIds.add(account.record.account_id);
    summary.mixedAccounts += 1;
    languages.set(account.record.account_id, random.pick(spec.languages));
    initial.push(account);
  }
  return operator;
}
