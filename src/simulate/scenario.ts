import { z } from 'zod';

/** Customer personas; each legit account's truth `group` is its persona name. */
export const PERSONAS = [
  'chat',
  'eval_harness',
  'etl_batch',
  'multi_tenant_saas',
  'shared_nat',
  'dev_tools_ci',
] as const;
/**
 * Honest look-alikes (docs/simulator.md#look-alikes): customers who innocently carry one of the
 * evidence families a hydra campaign carries (a shared system prompt, a sign-up cohort, changing
 * IPs, a scheduler over many accounts, step-by-step reasoning). Each is its own truth `group`.
 */
export const LOOK_ALIKE_PERSONAS = [
  'oss_coding_agent',
  'homework_students',
  'startup_cohort',
  'vpn_privacy',
  'agent_platform',
  'reasoning_lab',
  'campus_classroom',
  'translation_agency',
] as const;
export type LookAlikePersona = (typeof LOOK_ALIKE_PERSONAS)[number];
/**
 * Look-alikes a sceptical reviewer raises (docs/simulator.md#look-alikes): a data-labelling
 * vendor's annotators, a benchmarking company's service accounts on a cloud, teachers writing
 * exams in several languages, mobile users behind a carrier-grade NAT, new students of one course
 * behind rotating consumer VPN exits, and another course's on mobile data (both red-team cell only).
 */
export const REVIEWER_LOOK_ALIKES = [
  'labelling_vendor',
  'benchmark_service',
  'exam_teacher',
  'mobile_cgnat',
  'vpn_course',
  'mobile_course',
] as const;
export type ReviewerLookAlike = (typeof REVIEWER_LOOK_ALIKES)[number];
/**
 * The second red team's honest counterparts (`evasion:red-team-b` only,
 * docs/simulator.md#red-team-b-campaigns): a company rolling out many employee seats in one week,
 * long-standing customers who start a batch evaluation job from a cloud machine, and a class given
 * course seats in a new university organisation.
 */
export const RED_TEAM_B_LOOK_ALIKES = ['enterprise_rollout', 'veteran_eval', 'course_org'] as const;
export type RedTeamBLookAlike = (typeof RED_TEAM_B_LOOK_ALIKES)[number];
/**
 * The third red team's honest counterparts (`evasion:red-team-c` only,
 * docs/simulator.md#red-team-c-campaigns): an honest API aggregator whose few keys carry many end
 * users, users of a bring-your-own-key chat app (multi-turn, one language each, a launch wave of
 * sign-ups), authors using a book-writing tool (few requests a day, very long outputs), and a
 * lab's scripted multi-turn eval harness (second turns sent as soon as the first answer is in).
 */
export const RED_TEAM_C_LOOK_ALIKES = [
  'honest_aggregator',
  'byok_chat',
  'book_writer',
  'eval_lab',
] as const;
export type RedTeamCLookAlike = (typeof RED_TEAM_C_LOOK_ALIKES)[number];
/**
 * Honest carriers of a handover (`evasion:red-team-b-mono`/`-sold` only): long-standing customers
 * who move to a new device and network and start a new project the same week, and a company's
 * veteran accounts upgrading their SDK on the same day.
 */
export const HANDOVER_LOOK_ALIKES = ['veteran_move', 'sdk_fleet'] as const;
export type HandoverLookAlike = (typeof HANDOVER_LOOK_ALIKES)[number];
export type PersonaName =
  | (typeof PERSONAS)[number]
  | LookAlikePersona
  | ReviewerLookAlike
  | RedTeamBLookAlike
  | RedTeamCLookAlike
  | HandoverLookAlike;

/**
 * Task kinds only the red-team campaigns ask for (docs/simulator.md#red-team-campaigns): expert
 * Q&A in one domain, casual cover chat, preference pairs / re-sampling, long agent trajectories.
 */
export const RED_TEAM_TASK_KINDS = [
  'expert_qa',
  'cover_chat',
  'preference_pair',
  'agent_trajectory',
] as const;
/**
 * Task kinds only the third red team asks for (docs/simulator.md#red-team-c-campaigns): multi-turn
 * self-play conversations whose follow-ups a student model writes, and long-form harvests (a whole
 * textbook chapter or solution set per request).
 */
export const RED_TEAM_C_TASK_KINDS = ['self_play', 'longform'] as const;
export type RedTeamTaskKind = (typeof RED_TEAM_TASK_KINDS)[number];
export type RedTeamCTaskKind = (typeof RED_TEAM_C_TASK_KINDS)[number];

/** What an attack exchange asks for (the public reports' capability targets). */
export const TASK_KINDS = [
  'reasoning_trace',
  'rubric_grading',
  'censorship_rewrite',
  'tool_use',
  'computer_use',
  'vision',
  'coding',
  /** Public function-calling data: 3–8 tools drawn from one fixed pool, tool-result follow-ups. */
  'function_calling',
  ...RED_TEAM_TASK_KINDS,
  ...RED_TEAM_C_TASK_KINDS,
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** Languages the built-in generator writes prompts in. */
export const LANGUAGES = ['en', 'zh', 'es', 'ru', 'ko', 'ja', 'fr', 'de', 'pt', 'ar'] as const;
export type Language = (typeof LANGUAGES)[number];

const positiveInteger = z.number().int().positive();
const fraction = z.number().min(0).max(1);

const personaSchema = z.strictObject({
  persona: z.enum([
    ...PERSONAS,
    ...LOOK_ALIKE_PERSONAS,
    ...REVIEWER_LOOK_ALIKES,
    ...RED_TEAM_B_LOOK_ALIKES,
    ...RED_TEAM_C_LOOK_ALIKES,
    ...HANDOVER_LOOK_ALIKES,
  ]),
  accounts: positiveInteger,
  /** Mean exchanges per account per active day; each persona has a realistic default. */
  exchangesPerDay: z.number().positive().optional(),
  /**
   * shared_nat: how many NATs (universities / companies) the accounts sit behind; look-alikes:
   * how many groups they form (universities, classes, organisations, labs, VPN providers).
   */
  networks: positiveInteger.optional(),
});

const campaignSchema = z.strictObject({
  id: z
    .string()
    .min(1)
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, - and _'),
  operator: z.string().min(1),
  /** A label for the profile (e.g. `reasoning`), reported as the truth `persona`. */
  profile: z.string().min(1),
  /** Relative weights of the task kinds this campaign asks for. */
  tasks: z.partialRecord(z.enum(TASK_KINDS), z.number().nonnegative()),
  accounts: positiveInteger,
  /** Attack exchanges the campaign sends if nobody stops it. */
  exchanges: positiveInteger,
  startHour: z.number().nonnegative().default(0),
  /** Defaults to the end of the scenario. */
  endHour: z.number().positive().optional(),
  languages: z.array(z.enum(LANGUAGES)).min(1).default(['en']),
  network: z
    .strictObject({
      /** `residential-daily`: each account its own residential exit, a new one every day. */
      kind: z.enum(['datacenter', 'residential', 'mobile', 'mixed', 'residential-daily']),
      /** Datacenter /24 subnets the accounts share (ignored for pure residential pools). */
      subnets: positiveInteger.default(4),
    })
    .default({ kind: 'datacenter', subnets: 4 }),
  /** 0: every account its own card; n: the accounts share n payment fingerprints. */
  paymentFingerprints: z.number().int().nonnegative().default(0),
  signup: z
    .strictObject({
      /**
       * burst: clumps minutes apart just before the start; spread: over the 20 days before;
       * staggered: evenly over `days` days before the start; bursts: clumps of ~50 accounts over
       * ~40 minutes, one clump a day over `days` days ending at the start; aged: bought on a
       * marketplace, opened between 60 and `days` (default 540) days before the start.
       */
      pattern: z.enum(['burst', 'spread', 'staggered', 'bursts', 'aged']).default('burst'),
      days: z.number().positive().optional(),
      /** custom domains only: how many throwaway domains the operator registered (default 3). */
      domains: positiveInteger.optional(),
      program: z.enum(['edu', 'research', 'startup']).nullable().default(null),
      verification: z.enum(['none', 'email', 'phone', 'card', 'id', 'org']).default('email'),
      emailDomains: z.enum(['disposable', 'free', 'custom']).default('free'),
      /** Every account is a seat of one organisation (one `org_id`), as a front company's are. */
      organisation: z.boolean().optional(),
    })
    .default({ pattern: 'burst', program: null, verification: 'email', emailDomains: 'free' }),
  /** round-robin: synchronised rotation across accounts; poisson: random; human: diurnal sessions. */
  cadence: z.enum(['round-robin', 'poisson', 'human']).default('round-robin'),
  /** Daily UTC windows [fromHour, toHour) the dispatcher works in (a scheduler's shifts). */
  windows: z.array(z.tuple([z.number().min(0).max(24), z.number().min(0).max(24)])).optional(),
  /** Hard cap of attack exchanges per account per UTC day (staying under per-key limits). */
  dailyCap: positiveInteger.optional(),
  /** `browser`: every account its own browser user agent. */
  client: z
    .enum(['python-sdk', 'node-sdk', 'http-library', 'rotating', 'browser'])
    .default('python-sdk'),
  /**
   * script: fixed wrappers and system prompts; rewrite: every request reworded (no shared
   * system prompt, wrapper or template; the language may change per request).
   */
  wording: z.enum(['script', 'rewrite']).optional(),
  /** Share of exchanges that are a second turn (the answer, then a follow-up question). */
  followUps: fraction.optional(),
  adaptive: z
    .strictObject({
      paraphrase: z.boolean().default(false),
      languageRotation: z.boolean().default(false),
      jitter: z.boolean().default(false),
    })
    .optional(),
  /** Moves `fraction` of the traffic to the released model within `withinHours` of its release. */
  pivot: z
    .strictObject({ fraction, withinHours: z.number().positive().default(24) })
    .nullable()
    .default(null),
  /** Replaces banned accounts after a delay, often keeping old fingerprints. */
  regrowth: z
    .strictObject({
      delayMinutes: z.number().nonnegative().default(45),
      keepFingerprint: fraction.default(0.6),
    })
    .nullable()
    .default({ delayMinutes: 45, keepFingerprint: 0.6 }),
  /** Reseller (proxy) accounts that carry this campaign's traffic mixed with real customers'. */
  reseller: z
    .strictObject({
      accounts: positiveInteger,
      /** Share of the campaign's exchanges sent through the reseller accounts. */
      attackShare: fraction,
      /** Customer exchanges per reseller account per day. */
      customerExchangesPerDay: z.number().positive().default(150),
      /**
       * Established API aggregators (years-old business accounts, each its own organisation,
       * domain, card and backend) rather than the operator's own proxy accounts; the campaign then
       * runs no accounts of its own (`accounts` is ignored) and passes each request's end user on.
       */
      established: z.boolean().optional(),
    })
    .nullable()
    .default(null),
  /**
   * Each account first sends only light casual chat (an aged account's honest-looking use), then
   * switches to the campaign's tasks at a time drawn evenly between a third of this many hours
   * and this many hours after its start.
   */
  warmUpHours: z.number().positive().optional(),
  /**
   * Bought accounts (docs/simulator.md#red-team-b-variants): `oneLanguage` keeps each account in
   * one language even when rewording (a buyer serving one market); `sellerUse` puts the seller's
   * light use before the switch (`warmUpHours`) in the log, from the seller's own device and home
   * network (a detector running for months holds it), the buyer's harvest after it coming from the
   * account's client and exits.
   */
  sale: z
    .strictObject({
      oneLanguage: z.boolean().default(true),
      sellerUse: z.boolean().default(false),
    })
    .optional(),
  /**
   * Account takeover: `accounts` are real customers' accounts whose keys the operator stole. The
   * owner's own traffic goes on (truth label `mixed`); the operator harvests through each key from
   * its own exits (`network`) and harness (`client`), from a time within `withinHours` of the
   * start (the key's leak).
   */
  takeover: z
    .strictObject({
      withinHours: z.number().positive().default(48),
      /** The owners' own exchanges per account per day. */
      ownerExchangesPerDay: z.number().positive().default(20),
    })
    .optional(),
  /** Probability that a challenged account passes the step-up (otherwise it is abandoned). */
  challengePass: fraction.default(0.3),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(''),
  /** RFC 3339 start of the simulated span. */
  start: z.iso.datetime({ offset: true }),
  days: z.number().positive().max(366),
  models: z
    .strictObject({
      available: z.array(z.string().min(1)).min(1),
      /** A model released during the span (the pivot target). */
      release: z
        .strictObject({ model: z.string().min(1), atHour: z.number().nonnegative() })
        .optional(),
    })
    .default({ available: ['atlas-2', 'atlas-2-mini'] }),
  personas: z.array(personaSchema).min(1),
  campaigns: z.array(campaignSchema).default([]),
});

/** A validated scenario (the parsed form of a scenario file; defaults filled in). */
export type Scenario = z.output<typeof scenarioSchema>;
/** What a scenario file may contain (defaults optional). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type PersonaSpec = Scenario['personas'][number];
export type CampaignSpec = Scenario['campaigns'][number];
