import {
  type AccountBlueprint,
  type AccountFactory,
  adoptionTime,
  freeEmailDomain,
  homeNetwork,
  pickClientFor,
  pickCountry,
} from './account-factory.js';
import { DAY, HOUR } from './activity-clock.js';
import type { Behaviour, SimulationContext } from './behaviour.js';
import { type ClientProfile, pickClient } from './client-profiles.js';
import { createCustomerBehaviour } from './customer-personas.js';
import { homeworkBehaviour, startupBehaviour } from './look-alike-behaviours.js';
import { blocksOf } from './network-registry.js';
import type { HandoverLookAlike, PersonaSpec } from './scenario.js';
import type { AccountNetwork, SimulatedAccount } from './simulated-account.js';
import { CODING_TOOLS } from './tool-catalog.js';

/** Mean exchanges per account per day of the usual use (the new project runs at twice that). */
const EXCHANGES_PER_DAY: Readonly<Record<HandoverLookAlike, number>> = {
  veteran_move: 10,
  sdk_fleet: 12,
};
/** Accounts of one company upgrading together. */
const FLEET_SIZE = 20;
/** Where a mover works from on the new device: home most, then campus or office, then cafés. */
const PLACES = { home: 0.65, institution: 0.2 } as const;

const PROJECT_SYSTEM =
  'You are a careful pair programmer. Explain each change before making it and keep diffs small.';

export interface HandoverLookAlikeAgent {
  account: SimulatedAccount;
  behaviour: Behaviour;
}

/**
 * Honest carriers of a handover (docs/simulator.md#red-team-b-variants). `veteran_move`: a
 * customer of years who buys a new laptop, changes ISP (or moves house) and starts a new project
 * the same week — a thesis with step-by-step reasoning, or a coding job — working from home, the
 * campus or office, and cafés; the old device stops. `sdk_fleet`: a company's veteran developer
 * accounts (each from its own home, remote staff) upgrade their SDK on one day, and its CI jobs
 * move to a cloud the same day: many handovers of one client to another, in one day.
 */
export function createHandoverLookAlikes(
  spec: PersonaSpec,
  persona: HandoverLookAlike,
  count: number,
  context: SimulationContext,
  factory: AccountFactory,
  volumeFactor: number,
): HandoverLookAlikeAgent[] {
  const { random, start } = context;
  const perDay = (spec.exchangesPerDay ?? EXCHANGES_PER_DAY[persona]) * volumeFactor;
  const agents: HandoverLookAlikeAgent[] = [];
  let fleet: { country: string; at: number; client: ClientProfile; cloud: AccountNetwork } | null =
    null;
  for (let index = 0; index < count; index++) {
    const rate = perDay * (0.5 + random.next());
    if (persona === 'veteran_move') {
      const country = pickCountry(random);
      const account = factory.create(veteranBlueprint(context, factory, country, persona, 'chat'));
      agents.push({ account, behaviour: moverBehaviour(account, context, rate) });
      continue;
    }
    if (fleet === null || index % FLEET_SIZE === 0) {
      const vm = random.pick(blocksOf('datacenter')).subnet(random);
      fleet = {
        country: pickCountry(random),
        at: start + (12 + random.next() * 48) * HOUR,
        client: pickClient(random, 'python-sdk'),
        cloud: { home: vm.address(random), blocks: [vm], rotation: 0.2 },
      };
    }
    const account = factory.create(
      veteranBlueprint(context, factory, fleet.country, persona, 'developer'),
    );
    const upgrade = { client: fleet.client, network: random.chance(0.5) ? fleet.cloud : null };
    agents.push({ account, behaviour: fleetBehaviour(account, context, rate, fleet.at, upgrade) });
  }
  return agents;
}

function veteranBlueprint(
  context: SimulationContext,
  factory: AccountFactory,
  country: string,
  persona: HandoverLookAlike,
  mix: 'chat' | 'developer',
): AccountBlueprint {
  const { random, start } = context;
  const home = homeNetwork(context, country);
  return {
    createdAt: start - (365 + random.next() * 3 * 365) * DAY,
    country,
    client: pickClientFor(context, mix),
    network: home.network,
    signupBlock: home.block,
    signupIp: home.network.home,
    emailDomain: freeEmailDomain(context),
    paymentFingerprint: factory.paymentFingerprint(),
    verification: 'card',
    program: null,
    truth: { label: 'legit', campaign_id: null, operator: null, persona, group: persona },
    adoptsReleaseAt: adoptionTime(context, 0.5),
  };
}

/**
 * The usual chat from the old device until the move, then the new project from the new laptop:
 * each session from one place (the new home, the campus or office, or a café's line).
 */
function moverBehaviour(
  account: SimulatedAccount,
  context: SimulationContext,
  perDay: number,
): Behaviour {
  const { random, start } = context;
  const moveAt = start + (12 + random.next() * 48) * HOUR;
  const usual = createCustomerBehaviour('chat', account, context, perDay);
  const project = random.chance(0.5)
    ? homeworkBehaviour(account, context, perDay * 2)
    : startupBehaviour(account, context, perDay * 2, CODING_TOOLS, PROJECT_SYSTEM);
  const laptop = pickClient(random, random.chance(0.5) ? 'chat' : 'developer');
  const newHome = homeNetwork(context, account.country).network;
  const institution = random
    .pick(blocksOf(random.chance(0.5) ? 'university' : 'corporate', [account.country]))
    .subnet(random);
  const campus: AccountNetwork = { home: institution.address(random), blocks: [], rotation: 0 };
  const cafes = blocksOf('residential', [account.country]);
  let place: AccountNetwork = newHome;
  let lastAt = 0;
  return {
    nextTime: (from) =>
      from < moveAt ? Math.min(usual.nextTime(from), moveAt) : project.nextTime(from),
    compose(at) {
      if (at < moveAt) return usual.compose(at);
      // A gap of an hour or more is a new session, possibly somewhere else.
      if (at - lastAt > HOUR) {
        const roll = random.next();
        place =
          roll < PLACES.home
            ? newHome
            : roll < PLACES.home + PLACES.institution
              ? campus
              : { home: random.pick(cafes).address(random), blocks: [], rotation: 0 };
      }
      lastAt = at;
      return { ...project.compose(at), via: { client: laptop, network: place } };
    },
  };
}

/** Coding and agent work; from the upgrade on through the new SDK (CI jobs from the cloud). */
function fleetBehaviour(
  account: SimulatedAccount,
  context: SimulationContext,
  perDay: number,
  upgradeAt: number,
  upgrade: { client: ClientProfile; network: AccountNetwork | null },
): Behaviour {
  const work = startupBehaviour(account, context, perDay, CODING_TOOLS, PROJECT_SYSTEM);
  return {
    nextTime: (from) => work.nextTime(from),
    compose(at) {
      const draft = work.compose(at);
      if (at < upgradeAt) return draft;
      return {
        ...draft,
        via: { client: upgrade.client, network: upgrade.network ?? account.network },
      };
    },
  };
}
