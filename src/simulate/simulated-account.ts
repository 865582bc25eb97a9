import type { AccountRecord, TruthRecord } from '../log/exchange.js';
import type { ClientProfile } from './client-profiles.js';
import type { AddressBlock } from './network-registry.js';
import type { Random } from './random.js';
import type { Language } from './scenario.js';

/** Where an account's requests come from. */
export interface AccountNetwork {
  /** The address used unless the account rotates. */
  home: string;
  /** Blocks fresh addresses are drawn from when rotating. */
  blocks: readonly AddressBlock[];
  /** Chance that one exchange comes from a fresh address (1 for proxy pools). */
  rotation: number;
  /** A fixed set of addresses to pick from (NATs, backends); overrides `home` when set. */
  fixed?: readonly string[];
  /** A sticky exit that changes every UTC day (a residential proxy session per account-day). */
  daily?: { day: number; address: string };
}

export type AccountStatus = 'pending' | 'active' | 'suspended' | 'abandoned';

/** Mutable per-account state of the simulation (one per account, attack or customer). */
export interface SimulatedAccount {
  readonly record: AccountRecord;
  readonly truth: TruthRecord;
  readonly client: ClientProfile;
  readonly apiKeys: readonly string[];
  readonly network: AccountNetwork;
  readonly country: string;
  readonly offsetHours: number;
  readonly language: Language;
  readonly preferredModel: string;
  /** When the account starts using the newly released model (Infinity: never). */
  readonly adoptsReleaseAt: number;
  status: AccountStatus;
  /** Rate multiplier from enforcement: 1 free, < 1 throttled. */
  throttle: number;
  degraded: boolean;
  exchanges: number;
  /** Attack exchanges (for mixed accounts, the part that is attack traffic). */
  attackExchanges: number;
  suspendedAt: number | null;
  /** The persona summary row this account counts into (cached by the engine). */
  summary?: unknown;
}

/** The address for one exchange at `at` (epoch ms). */
export function pickAddress(random: Random, network: AccountNetwork, at = 0): string {
  if (network.daily) {
    const day = Math.floor(at / 86_400_000);
    if (network.daily.day !== day) {
      network.daily.day = day;
      network.daily.address = random.pick(network.blocks).address(random);
    }
    return network.daily.address;
  }
  if (network.fixed && network.fixed.length > 0) {
    return network.fixed.length === 1 ? (network.fixed[0] as string) : random.pick(network.fixed);
  }
  if (network.rotation > 0 && network.blocks.length > 0 && random.next() < network.rotation) {
    return random.pick(network.blocks).address(random);
  }
  return network.home;
}

export const FREE_EMAIL_DOMAINS = [
  'gmail.com',
  'gmail.com',
  'gmail.com',
  'outlook.com',
  'yahoo.com',
  'icloud.com',
  'proton.me',
  'qq.com',
  '163.com',
  'naver.com',
  'gmx.de',
  'yandex.ru',
];
export const DISPOSABLE_EMAIL_DOMAINS = [
  'mailinator.com',
  'guerrillamail.com',
  'tempmail.dev',
  '10minutemail.net',
  'sharklasers.com',
];
