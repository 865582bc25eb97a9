import type { AccountRecord, Exchange } from '../log/exchange.js';
import { type AccountState, addCount } from './account-state.js';
import { accountKeys, CLIENT_KEY_TYPES, networkKeys } from './exchange-keys.js';
import { EXIT_KIND_INDEX, exitKindIndex } from './exit-kind.js';
import type { IpAsnTable } from './ip-asn-table.js';
import type { LinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX, LINKAGE_KEY_TYPES } from './linkage-key-type.js';
import type { PromptFeatures } from './prompt/prompt-features.js';
import { countTemplate } from './update-account.js';

const TEMPLATE = KEY_TYPE_INDEX.template;
const NEAR_DUPLICATE = KEY_TYPE_INDEX.near_duplicate;
const SYSTEM_PROMPT = KEY_TYPE_INDEX.system_prompt;
const SUBNET = KEY_TYPE_INDEX.subnet;
const TOOL_SET = KEY_TYPE_INDEX.tool_set;
const PER_ACCOUNT = LINKAGE_KEY_TYPES.map((type) => type.perAccount);
const SUBNET_CAP = PER_ACCOUNT[SUBNET] as number;
/** Addresses whose ASN is cached before the cache starts over. */
const MAX_CACHED_ASNS = 200_000;

/** What the IP→ASN table says about one address: its ASN (as a key value) and exit kind. */
interface Exit {
  readonly asn: string | undefined;
  readonly kind: number;
}
const UNKNOWN_EXIT: Exit = { asn: undefined, kind: EXIT_KIND_INDEX.unknown };

/** Remembers the linkage values accounts carry: on each account and in the cross-account index. */
export interface KeyMemory {
  /** The account record's values (payment, signup burst, signup IP, …), kept as its record keys. */
  rememberAccount(state: AccountState, record: AccountRecord, timeMs: number): void;
  /**
   * The values one exchange carries (network, client, template, near-duplicate band, system
   * prompt, tool set); returns their key ids in a buffer reused by the next call.
   */
  rememberExchange(
    state: AccountState,
    exchange: Exchange,
    features: PromptFeatures,
    timeMs: number,
  ): number[];
}

export interface KeyMemoryOptions {
  index: LinkageIndex;
  ipAsn?: IpAsnTable | undefined;
  /** See `DetectorOptions.compactKeys`. */
  compactKeys: boolean;
}

/**
 * Creates the engine's key memory. A value is interned in the index and added to the account's
 * keys up to its type's per-account cap; with `compactKeys`, a value past the cap is only looked
 * up. Repeats of the previous exchange's address, client strings and template are counted
 * without hashing again (an evaluation loop or a CI job repeats them).
 *
 * @example
 * const memory = createKeyMemory({ index, compactKeys: false });
 * const keyIds = memory.rememberExchange(state, exchange, features, Date.parse(exchange.ts));
 */
export function createKeyMemory({ index, ipAsn, compactKeys }: KeyMemoryOptions): KeyMemory {
  const exitCache = new Map<string, Exit>();
  const exchangeKeyIds: number[] = [];
  const pushKey = (keyId: number): void => {
    if (keyId >= 0) exchangeKeyIds.push(keyId);
  };

  const exitOf = (ip: string): Exit => {
    if (!ipAsn) return UNKNOWN_EXIT;
    const cached = exitCache.get(ip);
    if (cached) return cached;
    const found = ipAsn.lookup(ip);
    const value = found ? { asn: `${found.asn}`, kind: exitKindIndex(found.kind) } : UNKNOWN_EXIT;
    if (exitCache.size > MAX_CACHED_ASNS) exitCache.clear();
    exitCache.set(ip, value);
    return value;
  };
  const asnOf = (ip: string): string | undefined => exitOf(ip).asn;

  /** Counts a subnet the account has just come to keep under the kind of the address it came from. */
  const countExitSubnet = (state: AccountState, subnetsBefore: number, kind: number): void => {
    if ((state.keysPerType[SUBNET] as number) > subnetsBefore)
      state.exitSubnets[kind] = (state.exitSubnets[kind] as number) + 1;
  };

  /** The value's key id, interned unless `compactKeys` and the account cannot keep it (then -1 when new). */
  const keyFor = (state: AccountState, typeIndex: number, value: string): number =>
    compactKeys &&
    typeIndex !== TEMPLATE &&
    (state.keysPerType[typeIndex] as number) >= (PER_ACCOUNT[typeIndex] as number)
      ? index.find(typeIndex, value)
      : index.intern(typeIndex, value);

  const remember = (
    state: AccountState,
    typeIndex: number,
    value: string,
    timeMs: number,
  ): number => {
    const keyId = keyFor(state, typeIndex, value);
    return keyId < 0 ? -1 : rememberKey(state, keyId, typeIndex, timeMs);
  };

  const rememberKey = (
    state: AccountState,
    keyId: number,
    typeIndex: number,
    timeMs: number,
  ): number => {
    index.touch(keyId, timeMs);
    if (
      (state.keysPerType[typeIndex] as number) < (PER_ACCOUNT[typeIndex] as number) &&
      !state.keys.includes(keyId)
    ) {
      state.keys.push(keyId);
      state.keysPerType[typeIndex] = (state.keysPerType[typeIndex] as number) + 1;
      index.addMember(keyId, state.index, timeMs);
      if (state.inGraph) index.adjustGraphMembers(keyId, 1);
      if (state.unattached) index.adjustUnattachedMembers(keyId, 1);
      if (state.exchanges > 0) index.addActiveMember(keyId);
    }
    return keyId;
  };

  return {
    rememberAccount(state, record, timeMs) {
      const subnetsBefore = state.keysPerType[SUBNET] as number;
      for (const [typeIndex, value] of accountKeys(record, ipAsn)) {
        const keyId = remember(state, typeIndex, value, timeMs);
        if (keyId >= 0 && !state.recordKeys.includes(keyId)) state.recordKeys.push(keyId);
      }
      if (record.signup_ip) countExitSubnet(state, subnetsBefore, exitOf(record.signup_ip).kind);
    },

    rememberExchange(state, exchange, features, timeMs) {
      if (state.exchanges === 1) for (const keyId of state.keys) index.addActiveMember(keyId);
      exchangeKeyIds.length = 0;
      if (exchange.ip !== state.lastIp) {
        state.lastIp = exchange.ip;
        state.lastExitKind = exitOf(exchange.ip).kind;
        const subnetsBefore = state.keysPerType[SUBNET] as number;
        const keyIds: number[] = [];
        for (const [typeIndex, value] of networkKeys(exchange.ip, asnOf)) {
          const keyId = remember(state, typeIndex, value, timeMs);
          if (keyId >= 0) keyIds.push(keyId);
        }
        state.lastIpKeys = keyIds;
        countExitSubnet(state, subnetsBefore, state.lastExitKind);
      } else {
        // Remembered when cached (or refused at the per-type cap, which only fills): count only.
        for (const keyId of state.lastIpKeys) index.touch(keyId, timeMs);
      }
      for (const keyId of state.lastIpKeys) {
        exchangeKeyIds.push(keyId);
        if (index.typeOf(keyId) === SUBNET)
          state.subnetExchanges = addCount(state.subnetExchanges, keyId, SUBNET_CAP);
      }
      state.exitRequests[state.lastExitKind] =
        (state.exitRequests[state.lastExitKind] as number) + 1;
      for (let slot = 0; slot < CLIENT_KEY_TYPES.length; slot += 1) {
        const value =
          slot === 0
            ? exchange.tls_fingerprint
            : slot === 1
              ? exchange.header_order
              : exchange.user_agent;
        if (value === undefined || value === '') continue;
        const typeIndex = CLIENT_KEY_TYPES[slot] as number;
        if (value !== state.lastClient[slot]) {
          state.lastClient[slot] = value;
          state.lastClientKeys[slot] = remember(state, typeIndex, value, timeMs);
        } else if ((state.lastClientKeys[slot] as number) >= 0) {
          index.touch(state.lastClientKeys[slot] as number, timeMs);
        }
        if ((state.lastClientKeys[slot] as number) >= 0)
          exchangeKeyIds.push(state.lastClientKeys[slot] as number);
      }
      let templateKey = -1;
      if (features.templateHash) {
        // An evaluation loop or a CI job repeats its template: no hashing then (see lastIp).
        if (features.templateHash === state.lastTemplate) {
          templateKey = state.lastTemplateKey;
          index.touch(templateKey, timeMs);
        } else {
          templateKey = remember(state, TEMPLATE, features.templateHash, timeMs);
          state.lastTemplate = features.templateHash;
          state.lastTemplateKey = templateKey;
        }
        exchangeKeyIds.push(templateKey);
      }
      // The account's template counts follow its template keys (a repeat is a key seen before).
      countTemplate(state, templateKey);
      const band = features.lshKeys[0];
      if (band !== undefined) pushKey(remember(state, NEAR_DUPLICATE, band, timeMs));
      if (features.systemPromptHash)
        pushKey(remember(state, SYSTEM_PROMPT, features.systemPromptHash, timeMs));
      if (features.toolSetHash) pushKey(remember(state, TOOL_SET, features.toolSetHash, timeMs));
      return exchangeKeyIds;
    },
  };
}
