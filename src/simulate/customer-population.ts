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
import { createCustomerBehaviour, PERSONA_EXCHANGES_PER_DAY } from './customer-personas.js';
import { createHandoverLookAlikes } from './handover-look-alikes.js';
import { createLookAlikePopulation } from './look-alike-population.js';
import { type AddressBlock, blocksOf } from './network-registry.js';
import { createRedTeamBLookAlikes } from './red-team-b-look-alikes.js';
import { createRedTeamCLookAlikes } from './red-team-c-look-alikes.js';
import { createReviewerLookAlikes } from './reviewer-look-alikes.js';
import {
  HANDOVER_LOOK_ALIKES,
  type HandoverLookAlike,
  LOOK_ALIKE_PERSONAS,
  type LookAlikePersona,
  type PersonaSpec,
  RED_TEAM_B_LOOK_ALIKES,
  RED_TEAM_C_LOOK_ALIKES,
  REVIEWER_LOOK_ALIKES,
  type RedTeamBLookAlike,
  type RedTeamCLookAlike,
  type ReviewerLookAlike,
} from './scenario.js';
import type { SimulatedAccount } from './simulated-account.js';

export interface CustomerAgent {
  account: SimulatedAccount;
  behaviour: Behaviour;
}

const COMPANY_WORDS = [
  'nova',
  'quant',
  'lumen',
  'pixel',
  'arbor',
  'vector',
  'helix',
  'orbit',
  'cobalt',
  'tandem',
];
const COMPANY_SUFFIXES = ['.ai', '.io', '.com', '-labs.com', '.dev', 'corp.com'];

function companyDomain(context: SimulationContext): string {
  const { random } = context;
  return `${random.pick(COMPANY_WORDS)}${random.pick(COMPANY_WORDS)}${random.pick(COMPANY_SUFFIXES)}`;
}

/** Customers exist long before the span; a few sign up during it. */
function customerCreatedAt(context: SimulationContext): number {
  const { random, start, end } = context;
  if (random.chance(0.06)) return start + random.next() * (end - start) * 0.9;
  return start - random.exponential(200 * DAY) - HOUR;
}

interface NatNetwork {
  block: AddressBlock;
  addresses: string[];
  university: boolean;
  country: string;
  domain: string;
  orgId: string;
  payment: string;
}

/** Creates the accounts and behaviours of one persona population. */
export function createCustomerPopulation(
  spec: PersonaSpec,
  count: number,
  context: SimulationContext,
  factory: AccountFactory,
  volumeFactor = 1,
): CustomerAgent[] {
  const { random } = context;
  const persona = spec.persona;
  if ((LOOK_ALIKE_PERSONAS as readonly string[]).includes(persona)) {
    const lookAlike = persona as LookAlikePersona;
    return createLookAlikePopulation(spec, lookAlike, count, context, factory, volumeFactor);
  }
  if ((REVIEWER_LOOK_ALIKES as readonly string[]).includes(persona)) {
    const reviewer = persona as ReviewerLookAlike;
    return createReviewerLookAlikes(spec, reviewer, count, context, factory, volumeFactor);
  }
  if ((RED_TEAM_B_LOOK_ALIKES as readonly string[]).includes(persona)) {
    const honest = persona as RedTeamBLookAlike;
    return createRedTeamBLookAlikes(spec, honest, count, context, factory, volumeFactor);
  }
  if ((RED_TEAM_C_LOOK_ALIKES as readonly string[]).includes(persona)) {
    const honest = persona as RedTeamCLookAlike;
    return createRedTeamCLookAlikes(spec, honest, count, context, factory, volumeFactor);
  }
  if ((HANDOVER_LOOK_ALIKES as readonly string[]).includes(persona)) {
    const honest = persona as HandoverLookAlike;
    return createHandoverLookAlikes(spec, honest, count, context, factory, volumeFactor);
  }
  const core = persona as keyof typeof PERSONA_EXCHANGES_PER_DAY;
  const perDay = (spec.exchangesPerDay ?? PERSONA_EXCHANGES_PER_DAY[core]) * volumeFactor;
  const agents: CustomerAgent[] = [];
  const nats: NatNetwork[] = [];
  if (spec.persona === 'shared_nat') {
    const networks = Math.max(1, Math.min(count, spec.networks ?? Math.ceil(count / 100)));
    for (let index = 0; index < networks; index++) {
      const university = index % 3 !== 2;
      const block = random.pick(blocksOf(university ? 'university' : 'corporate'));
      const addresses: string[] = [];
      const size = random.between(1, 4);
      for (let slot = 0; slot < size; slot++) addresses.push(block.address(random));
      nats.push({
        block,
        addresses,
        university,
        country: block.network.country,
        domain: university
          ? `${random.pick(COMPANY_WORDS)}-university.edu`
          : companyDomain(context),
        orgId: `org_${random.hex(10)}`,
        payment: factory.paymentFingerprint(),
      });
    }
  }
  for (let index = 0; index < count; index++) {
    const nat = nats.length > 0 ? pickNat(context, nats) : undefined;
    const account = factory.create(customerBlueprint(spec, context, factory, nat));
    const behaviour = createCustomerBehaviour(
      core,
      account,
      context,
      perDay * (0.4 + 1.2 * random.next()),
      {
        officeHours: nat ? !nat.university : false,
      },
    );
    agents.push({ account, behaviour });
  }
  return agents;
}

function pickNat(context: SimulationContext, nats: NatNetwork[]): NatNetwork {
  // A few big campuses and many small offices: square the uniform draw.
  const u = context.random.next();
  return nats[Math.floor(u * u * nats.length)] as NatNetwork;
}

function customerBlueprint(
  spec: PersonaSpec,
  context: SimulationContext,
  factory: AccountFactory,
  nat: NatNetwork | undefined,
): AccountBlueprint {
  const { random } = context;
  const createdAt = customerCreatedAt(context);
  const base = { persona: spec.persona, group: spec.persona };
  const truth = { label: 'legit' as const, campaign_id: null, operator: null, ...base };
  switch (spec.persona) {
    case 'chat': {
      const country = pickCountry(random);
      const mobile = random.chance(0.25);
      const { network, block } = homeNetwork(context, country, mobile ? 'mobile' : 'residential');
      return {
        createdAt,
        country,
        client: pickClientFor(context, 'chat'),
        network,
        signupBlock: block,
        signupIp: network.home,
        emailDomain: freeEmailDomain(context),
        paymentFingerprint: random.chance(0.4) ? factory.paymentFingerprint() : undefined,
        verification: random.pick(['email', 'email', 'phone', 'card'] as const),
        program: random.chance(0.02) ? 'startup' : null,
        truth,
        adoptsReleaseAt: adoptionTime(context, 0.3),
      };
    }
    case 'shared_nat': {
      const network = nat as NatNetwork;
      return {
        createdAt,
        country: network.country,
        client: pickClientFor(context, random.chance(0.5) ? 'chat' : 'developer'),
        network: {
          home: network.addresses[0] as string,
          blocks: [network.block],
          rotation: 0,
          fixed: network.addresses,
        },
        signupBlock: network.block,
        signupIp: random.pick(network.addresses),
        emailDomain: network.domain,
        paymentFingerprint: network.university
          ? random.chance(0.3)
            ? factory.paymentFingerprint()
            : undefined
          : network.payment,
        verification: network.university ? 'email' : 'org',
        program: network.university && random.chance(0.6) ? 'edu' : null,
        orgId: network.university ? undefined : network.orgId,
        truth,
        adoptsReleaseAt: adoptionTime(context, 0.3),
      };
    }
    case 'eval_harness':
    case 'etl_batch':
    case 'multi_tenant_saas':
    case 'dev_tools_ci': {
      const country = random.chance(0.6) ? 'US' : pickCountry(random);
      const ciOnAzure = spec.persona === 'dev_tools_ci';
      const blocks = ciOnAzure
        ? blocksOf('datacenter').filter((block) => block.network.asn === 8075)
        : blocksOf('datacenter');
      const block = random.pick(blocks);
      const subnet = block.subnet(random);
      const backends: string[] = [];
      const size = random.between(1, 3);
      for (let slot = 0; slot < size; slot++) backends.push(subnet.address(random));
      const network = ciOnAzure
        ? { home: backends[0] as string, blocks: [block], rotation: 1 }
        : { home: backends[0] as string, blocks: [subnet], rotation: 0, fixed: backends };
      const research = spec.persona === 'eval_harness';
      const office = random.pick(blocksOf('corporate'));
      return {
        createdAt: createdAt - 30 * DAY,
        country,
        client: pickClientFor(
          context,
          spec.persona === 'multi_tenant_saas' ? 'backend' : 'developer',
        ),
        network,
        signupBlock: office,
        signupIp: office.address(random),
        emailDomain: companyDomain(context),
        paymentFingerprint: factory.paymentFingerprint(),
        verification: research ? 'org' : random.pick(['org', 'card'] as const),
        program: research && random.chance(0.4) ? 'research' : null,
        orgId: `org_${random.hex(10)}`,
        apiKeys: random.between(1, 4),
        truth,
        adoptsReleaseAt: adoptionTime(context, research ? 0.9 : 0.3),
      };
    }
  }
  // Look-alike personas build their own populations (createLookAlikePopulation).
  throw new Error(`no core blueprint for persona ${spec.persona}`);
}
