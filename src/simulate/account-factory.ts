import type { AccountRecord, Program, TruthRecord, Verification } from '../log/exchange.js';
import { COUNTRIES, DAY, HOUR, offsetOf, pickCountry } from './activity-clock.js';
import type { SimulationContext } from './behaviour.js';
import { type ClientMix, type ClientProfile, pickClient } from './client-profiles.js';
import { type AddressBlock, blocksOf, describeBlock } from './network-registry.js';
import type { Language } from './scenario.js';
import {
  type AccountNetwork,
  FREE_EMAIL_DOMAINS,
  type SimulatedAccount,
} from './simulated-account.js';

/** Everything that identifies an account, chosen by the persona or the operator. */
export interface AccountBlueprint {
  createdAt: number;
  country: string;
  language?: Language;
  client: ClientProfile;
  network: AccountNetwork;
  /** The block the signup address came from (for `asn` / `asn_org`). */
  signupBlock: AddressBlock;
  signupIp: string;
  emailDomain: string;
  paymentFingerprint?: string | undefined;
  verification: Verification;
  program: Program | null;
  orgId?: string | undefined;
  apiKeys?: number;
  truth: Omit<TruthRecord, 'account_id'>;
  /** Uses the released model from this time on (Infinity: never). */
  adoptsReleaseAt?: number;
}

/** Makes unique account ids and assembles account records in the contract's field order. */
export function createAccountFactory(context: SimulationContext) {
  const { random, scenario } = context;
  const usedIds = new Set<string>();
  const uniqueId = (prefix: string, length: number): string => {
    for (;;) {
      const id = `${prefix}${random.hex(length)}`;
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  return {
    uniqueId,
    paymentFingerprint: () => `pf_${random.hex(16)}`,
    create(blueprint: AccountBlueprint): SimulatedAccount {
      const accountId = uniqueId('acct_', 12);
      const record: AccountRecord = {
        account_id: accountId,
        created_at: new Date(blueprint.createdAt).toISOString(),
        email_domain: blueprint.emailDomain,
        email_hash: random.hex(64),
      };
      if (blueprint.paymentFingerprint) record.payment_fingerprint = blueprint.paymentFingerprint;
      record.country = blueprint.country;
      record.signup_ip = blueprint.signupIp;
      record.verification = blueprint.verification;
      record.program = blueprint.program;
      if (blueprint.orgId) record.org_id = blueprint.orgId;
      const { asn, asn_org } = describeBlock(blueprint.signupBlock);
      record.asn = asn;
      record.asn_org = asn_org;
      const truth: TruthRecord = { account_id: accountId, ...blueprint.truth };
      const keys: string[] = [];
      for (let index = 0; index < (blueprint.apiKeys ?? 1); index++)
        keys.push(`key_${random.hex(12)}`);
      const available = scenario.models.available;
      return {
        record,
        truth,
        client: blueprint.client,
        apiKeys: keys,
        network: blueprint.network,
        country: blueprint.country,
        offsetHours: offsetOf(blueprint.country),
        language: blueprint.language ?? COUNTRIES[blueprint.country]?.language ?? 'en',
        preferredModel: random.chance(0.65) ? (available[0] as string) : random.pick(available),
        adoptsReleaseAt: blueprint.adoptsReleaseAt ?? Number.POSITIVE_INFINITY,
        status: 'pending',
        throttle: 1,
        degraded: false,
        exchanges: 0,
        attackExchanges: 0,
        suspendedAt: null,
      };
    },
  };
}

export type AccountFactory = ReturnType<typeof createAccountFactory>;

/** A home network: a sticky residential (or mobile) address in the account's country. */
export function homeNetwork(
  context: SimulationContext,
  country: string,
  kind: 'residential' | 'mobile' = 'residential',
): { network: AccountNetwork; block: AddressBlock } {
  const { random } = context;
  const blocks = blocksOf(kind, [country]);
  const block = random.pick(blocks);
  return {
    network: { home: block.address(random), blocks, rotation: kind === 'mobile' ? 0.3 : 0.01 },
    block,
  };
}

/** How long after the model release a customer starts using it (many never do in the span). */
export function adoptionTime(context: SimulationContext, eagerness: number): number {
  const { random, releaseAt } = context;
  if (!Number.isFinite(releaseAt) || !random.chance(eagerness)) return Number.POSITIVE_INFINITY;
  return releaseAt + random.exponential(2 * DAY) + random.int(6) * HOUR;
}

export function pickClientFor(context: SimulationContext, mix: ClientMix): ClientProfile {
  return pickClient(context.random, mix);
}

export function freeEmailDomain(context: SimulationContext): string {
  return context.random.pick(FREE_EMAIL_DOMAINS);
}

export { pickCountry };
