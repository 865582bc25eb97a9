import { parseIpv4 } from '../shared/ip-address/index.js';
import type { Random } from './random.js';

export type NetworkKind = 'datacenter' | 'residential' | 'mobile' | 'university' | 'corporate';

/** One line of `ip-asn.jsonl`: every simulated address falls in exactly one of these prefixes. */
export interface NetworkPrefix {
  prefix: string;
  asn: number;
  asn_org: string;
  kind: NetworkKind;
  /** Not written out: the country the block is used for (customers' and proxies' exits). */
  country: string;
}

// Illustrative prefixes and ASNs in the style of the real ones (clouds, ISPs, mobile carriers,
// research networks); a detector given this table can map any simulated IP to its ASN and kind.
const PREFIXES: readonly NetworkPrefix[] = [
  dc('3.80.0.0/12', 14618, 'AMAZON-AES', 'US'),
  dc('34.64.0.0/10', 396982, 'GOOGLE-CLOUD-PLATFORM', 'US'),
  dc('20.32.0.0/11', 8075, 'MICROSOFT-CORP-MSN-AS-BLOCK', 'US'),
  dc('159.65.0.0/16', 14061, 'DIGITALOCEAN-ASN', 'US'),
  dc('95.216.0.0/15', 24940, 'HETZNER-AS', 'DE'),
  dc('51.38.0.0/16', 16276, 'OVH', 'FR'),
  dc('47.74.0.0/15', 45102, 'ALIBABA-CN-NET', 'SG'),
  dc('43.128.0.0/14', 132203, 'TENCENT-NET-AP', 'SG'),
  dc('45.76.0.0/15', 20473, 'AS-CHOOPA', 'US'),
  dc('2600:1f18::/32', 14618, 'AMAZON-AES', 'US'),
  dc('2a01:4f8::/32', 24940, 'HETZNER-AS', 'DE'),
  res('73.0.0.0/8', 7922, 'COMCAST-7922', 'US'),
  res('99.0.0.0/11', 7018, 'ATT-INTERNET4', 'US'),
  res('79.192.0.0/10', 3320, 'DTAG', 'DE'),
  res('86.192.0.0/11', 3215, 'France Telecom - Orange', 'FR'),
  res('81.96.0.0/12', 5089, 'NTL', 'GB'),
  res('183.0.0.0/10', 4134, 'CHINANET-BACKBONE', 'CN'),
  res('123.112.0.0/12', 4837, 'CHINA169-BACKBONE', 'CN'),
  res('175.192.0.0/10', 4766, 'KIXS-AS-KR', 'KR'),
  res('153.160.0.0/11', 4713, 'OCN NTT Communications', 'JP'),
  res('177.32.0.0/12', 26599, 'TELEFONICA BRASIL', 'BR'),
  res('95.24.0.0/13', 12389, 'ROSTELECOM-AS', 'RU'),
  res('187.128.0.0/10', 8151, 'Uninet S.A. de C.V.', 'MX'),
  res('83.32.0.0/11', 3352, 'TELEFONICA_DE_ESPANA', 'ES'),
  res('49.32.0.0/11', 55836, 'RELIANCEJIO-IN', 'IN'),
  res('94.96.0.0/14', 25019, 'SAUDINETSTC-AS', 'SA'),
  res('2601:1c0::/32', 7922, 'COMCAST-7922', 'US'),
  res('2003:e0::/32', 3320, 'DTAG', 'DE'),
  res('240e:3a0::/32', 4134, 'CHINANET-BACKBONE', 'CN'),
  mob('172.32.0.0/11', 21928, 'T-MOBILE-AS21928', 'US'),
  mob('117.136.0.0/13', 9808, 'CMNET-GD', 'CN'),
  mob('94.134.0.0/15', 3209, 'VODANET', 'DE'),
  mob('2607:fb90::/32', 21928, 'T-MOBILE-AS21928', 'US'),
  uni('128.32.0.0/16', 25, 'UCB', 'US'),
  uni('171.64.0.0/14', 32, 'STANFORD', 'US'),
  uni('166.111.0.0/16', 4538, 'ERX-CERNET-BKB', 'CN'),
  uni('129.132.0.0/16', 559, 'SWITCH', 'CH'),
  uni('143.248.0.0/16', 1781, 'KAIST-DAEJEON-AS-KR', 'KR'),
  uni('133.11.0.0/16', 2907, 'SINET-AS', 'JP'),
  uni('2001:da8::/32', 4538, 'ERX-CERNET-BKB', 'CN'),
  corp('192.35.0.0/16', 64600, 'ACME-INDUSTRIES', 'US'),
  corp('194.39.0.0/16', 64601, 'NORDWIND-AG', 'DE'),
  corp('203.104.0.0/16', 64602, 'KAIZEN-HOLDINGS', 'JP'),
  corp('2a05:d000::/32', 64603, 'GLOBEX-CORP', 'GB'),
];

/** The IP→ASN table of every prefix the simulator draws addresses from. */
export function networkPrefixes(): readonly NetworkPrefix[] {
  return PREFIXES;
}

/** A prefix with a fast address generator. */
export interface AddressBlock {
  readonly network: NetworkPrefix;
  /** A random address in the block. */
  address(random: Random): string;
  /** A random sub-block (a /24 for IPv4, a /64 for IPv6) that addresses can be drawn from. */
  subnet(random: Random): AddressBlock;
}

const blocks = PREFIXES.map((network) => createBlock(network, network.prefix));

/** Address blocks of one kind, optionally limited to a set of countries. */
const blocksCache = new Map<string, AddressBlock[]>();

export function blocksOf(kind: NetworkKind, countries?: readonly string[]): AddressBlock[] {
  const key = `${kind}/${countries?.join(',') ?? '*'}`;
  const cached = blocksCache.get(key);
  if (cached) return cached;
  const found = blocks.filter(
    (block) =>
      block.network.kind === kind &&
      (countries === undefined || countries.includes(block.network.country)),
  );
  const result = found.length > 0 ? found : blocks.filter((block) => block.network.kind === kind);
  blocksCache.set(key, result);
  return result;
}

/** The ASN record of a block (for account `asn` / `asn_org`). */
export function describeBlock(block: AddressBlock): { asn: number; asn_org: string } {
  return { asn: block.network.asn, asn_org: block.network.asn_org };
}

function createBlock(network: NetworkPrefix, prefix: string): AddressBlock {
  const [base, bitsText] = prefix.split('/') as [string, string];
  const bits = Number(bitsText);
  if (base.includes(':')) return createIpv6Block(network, base, bits);
  const start = parseIpv4(base);
  const size = 2 ** (32 - bits);
  return {
    network,
    address: (random) => numberToIpv4(start + 1 + random.int(Math.max(1, size - 2))),
    subnet(random) {
      const subnetStart = bits >= 24 ? start : start + random.int(size / 256) * 256;
      const subnetBits = Math.max(bits, 24);
      return createBlock(network, `${numberToIpv4(subnetStart)}/${subnetBits}`);
    },
  };
}

function createIpv6Block(network: NetworkPrefix, base: string, bits: number): AddressBlock {
  const groups =
    base
      .split('::')[0]
      ?.split(':')
      .filter((group) => group !== '') ?? [];
  const fixed = groups.slice(0, Math.ceil(bits / 16));
  const group = (random: Random) => random.int(0x10000).toString(16);
  return {
    network,
    address(random) {
      const parts = [...fixed];
      while (parts.length < 8) parts.push(group(random));
      return parts.join(':');
    },
    subnet(random) {
      const parts = [...fixed];
      while (parts.length < 4) parts.push(group(random));
      return createIpv6Block(network, `${parts.join(':')}::`, 64);
    },
  };
}

function numberToIpv4(value: number): string {
  return `${Math.floor(value / 16777216) % 256}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

function dc(prefix: string, asn: number, org: string, country: string): NetworkPrefix {
  return { prefix, asn, asn_org: org, kind: 'datacenter', country };
}
function res(prefix: string, asn: number, org: string, country: string): NetworkPrefix {
  return { prefix, asn, asn_org: org, kind: 'residential', country };
}
function mob(prefix: string, asn: number, org: string, country: string): NetworkPrefix {
  return { prefix, asn, asn_org: org, kind: 'mobile', country };
}
function uni(prefix: string, asn: number, org: string, country: string): NetworkPrefix {
  return { prefix, asn, asn_org: org, kind: 'university', country };
}
function corp(prefix: string, asn: number, org: string, country: string): NetworkPrefix {
  return { prefix, asn, asn_org: org, kind: 'corporate', country };
}
