import type { Endpoint } from '../log/exchange.js';
import type { Random } from './random.js';

/** API body shape a client sends. */
export type ApiStyle = 'openai' | 'anthropic';

/** One HTTP client as the provider sees it: user agent, header order, TLS fingerprint, API. */
export interface ClientProfile {
  readonly name: string;
  readonly userAgent: string;
  readonly headerOrder: string;
  readonly tlsFingerprint: string;
  readonly style: ApiStyle;
  readonly endpoint: Endpoint;
}

interface ClientFamily {
  name: string;
  versions: (random: Random) => string;
  headerOrder: string;
  /** JA3-style hashes: a library on a given runtime presents one of a few. */
  tlsFingerprints: readonly string[];
  style: ApiStyle;
  endpoints: readonly Endpoint[];
}

const STAINLESS =
  'host,accept-encoding,connection,accept,content-type,user-agent,x-stainless-lang,x-stainless-package-version,x-stainless-os,x-stainless-arch,x-stainless-runtime,x-stainless-runtime-version';

const FAMILIES: Record<string, ClientFamily> = {
  'openai-python': {
    name: 'openai-python',
    versions: (random) => `OpenAI/Python 1.${random.between(35, 58)}.${random.between(0, 9)}`,
    headerOrder: `${STAINLESS},authorization,x-stainless-async,x-stainless-retry-count,content-length`,
    tlsFingerprints: ['773906b0efdefa24a7f2b8eb6985bf37', 'cd08e31494f9531f560d64c695473da9'],
    style: 'openai',
    endpoints: ['chat.completions', 'chat.completions', 'chat.completions', 'responses'],
  },
  'anthropic-python': {
    name: 'anthropic-python',
    versions: (random) => `Anthropic/Python 0.${random.between(34, 49)}.${random.between(0, 3)}`,
    headerOrder: `${STAINLESS},x-api-key,anthropic-version,x-stainless-async,content-length`,
    tlsFingerprints: ['773906b0efdefa24a7f2b8eb6985bf37', 'cd08e31494f9531f560d64c695473da9'],
    style: 'anthropic',
    endpoints: ['messages'],
  },
  'openai-node': {
    name: 'openai-node',
    versions: (random) => `OpenAI/JS 4.${random.between(60, 77)}.${random.between(0, 4)}`,
    headerOrder: `accept,content-type,user-agent,x-stainless-lang,x-stainless-package-version,x-stainless-os,x-stainless-arch,x-stainless-runtime,x-stainless-runtime-version,authorization,x-stainless-retry-count,host,connection,content-length`,
    tlsFingerprints: ['4c319ebb1fb1ef7937f04ac445bbdf86', '0cce74b0d9b7f8528fb2181588d23793'],
    style: 'openai',
    endpoints: ['chat.completions', 'chat.completions', 'responses'],
  },
  'anthropic-node': {
    name: 'anthropic-node',
    versions: (random) => `Anthropic/JS 0.${random.between(27, 39)}.${random.between(0, 3)}`,
    headerOrder: `accept,anthropic-version,content-type,user-agent,x-api-key,x-stainless-lang,x-stainless-package-version,x-stainless-os,x-stainless-arch,x-stainless-runtime,x-stainless-runtime-version,x-stainless-retry-count,host,connection,content-length`,
    tlsFingerprints: ['4c319ebb1fb1ef7937f04ac445bbdf86', '0cce74b0d9b7f8528fb2181588d23793'],
    style: 'anthropic',
    endpoints: ['messages'],
  },
  curl: {
    name: 'curl',
    versions: (random) => `curl/8.${random.between(4, 11)}.${random.between(0, 1)}`,
    headerOrder: 'host,user-agent,accept,authorization,content-type,content-length',
    tlsFingerprints: ['456523fc94726331a4d5a2e1d40b2cd7', '3b5074b1b5d032e5620f69f9f700ff0e'],
    style: 'openai',
    endpoints: ['chat.completions'],
  },
  'python-requests': {
    name: 'python-requests',
    versions: (random) => `python-requests/2.${random.between(28, 32)}.${random.between(0, 3)}`,
    headerOrder:
      'host,user-agent,accept-encoding,accept,connection,authorization,content-type,content-length',
    tlsFingerprints: ['b32309a26951912be7dba376398abc3b', '8d9f7747675e24454cd9b7ed35c58707'],
    style: 'openai',
    endpoints: ['chat.completions'],
  },
  aiohttp: {
    name: 'aiohttp',
    versions: (random) =>
      `Python/3.${random.between(10, 12)} aiohttp/3.${random.between(8, 10)}.${random.between(0, 5)}`,
    headerOrder: 'host,authorization,content-type,accept,accept-encoding,user-agent,content-length',
    tlsFingerprints: ['bc6c386f480ee97b9d9e52d472b772d8', 'e7d705a3286e19ea42f587b344ee6865'],
    style: 'anthropic',
    endpoints: ['messages'],
  },
  'go-http': {
    name: 'go-http',
    versions: () => 'Go-http-client/2.0',
    headerOrder: 'host,user-agent,content-length,authorization,content-type,accept-encoding',
    tlsFingerprints: ['c65fcec1b7e7b115c8a2e036cf8d8f78'],
    style: 'openai',
    endpoints: ['chat.completions'],
  },
  browser: {
    name: 'browser',
    versions: (random) =>
      random.pick([
        `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${random.between(128, 141)}.0.0.0 Safari/537.36`,
        `Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.${random.between(0, 5)} Safari/605.1.15`,
        `Mozilla/5.0 (X11; Linux x86_64; rv:${random.between(128, 143)}.0) Gecko/20100101 Firefox/${random.between(128, 143)}.0`,
      ]),
    headerOrder:
      'host,connection,content-length,sec-ch-ua,content-type,sec-ch-ua-mobile,authorization,user-agent,sec-ch-ua-platform,accept,origin,sec-fetch-site,sec-fetch-mode,sec-fetch-dest,referer,accept-encoding,accept-language',
    tlsFingerprints: ['cd08e31494f9531f560d64c695473da9', 'b20b44b18b853ef29ab773e921b03422'],
    style: 'openai',
    endpoints: ['chat.completions'],
  },
};

/** Client families a persona or campaign draws from, with weights. */
export const CLIENT_MIXES = {
  chat: {
    'openai-python': 3,
    'anthropic-python': 2,
    'openai-node': 2,
    'anthropic-node': 1,
    browser: 3,
    curl: 1,
  },
  developer: {
    'openai-python': 4,
    'anthropic-python': 3,
    'openai-node': 2,
    'anthropic-node': 2,
    curl: 1,
    'python-requests': 1,
    'go-http': 1,
  },
  backend: { 'openai-node': 3, 'anthropic-node': 2, 'openai-python': 2, 'go-http': 1, browser: 1 },
  'python-sdk': { 'openai-python': 1, 'anthropic-python': 1 },
  'node-sdk': { 'openai-node': 1, 'anthropic-node': 1 },
  'http-library': { aiohttp: 2, 'python-requests': 1 },
  browser: { browser: 1 },
  rotating: {
    'openai-python': 3,
    'anthropic-python': 2,
    'openai-node': 2,
    'anthropic-node': 1,
    curl: 1,
    'python-requests': 1,
  },
} as const satisfies Record<string, Partial<Record<keyof typeof FAMILIES, number>>>;

export type ClientMix = keyof typeof CLIENT_MIXES;

/** Draws one concrete client (a version of a library on one TLS stack) from a mix. */
const MIX_TABLES = new Map<ClientMix, { names: string[]; weights: number[] }>();

function mixTable(mix: ClientMix): { names: string[]; weights: number[] } {
  let table = MIX_TABLES.get(mix);
  if (!table) {
    const entries = Object.entries(CLIENT_MIXES[mix]) as [string, number][];
    table = { names: entries.map(([name]) => name), weights: entries.map(([, weight]) => weight) };
    MIX_TABLES.set(mix, table);
  }
  return table;
}

export function pickClient(random: Random, mix: ClientMix): ClientProfile {
  const table = mixTable(mix);
  const familyName = table.names[random.weighted(table.weights)] as string;
  const family = FAMILIES[familyName] as ClientFamily;
  return {
    name: family.name,
    userAgent: family.versions(random),
    headerOrder: family.headerOrder,
    tlsFingerprint: random.pick(family.tlsFingerprints),
    style: family.style,
    endpoint: random.pick(family.endpoints),
  };
}
