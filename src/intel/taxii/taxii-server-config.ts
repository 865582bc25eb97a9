import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DistillguardError } from '../../shared/distillguard-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

const collectionSchema = z.object({
  id: z.string().regex(UUID, 'a collection id must be a UUID'),
  title: z.string().min(1),
  description: z.string().optional(),
  /** Bundle files loaded into the collection at start (validated like a POST). */
  load: z.array(z.string()).default([]),
});

const peerSchema = z
  .object({
    name: z.string().min(1),
    /** SHA-256 (hex) of the peer's bearer token: the token itself is never stored. */
    token_sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/i)
      .optional(),
    /** Or: the environment variable holding the token (for local set-ups and demos). */
    token_env: z.string().optional(),
    /** Collection ids this peer may read / write, or `*` for all. */
    read: z.array(z.string()).default([]),
    write: z.array(z.string()).default([]),
  })
  .refine((peer) => (peer.token_sha256 === undefined) !== (peer.token_env === undefined), {
    message: 'give exactly one of token_sha256 and token_env',
  });

const configSchema = z.object({
  title: z.string().default('distillguard threat intelligence'),
  description: z.string().optional(),
  contact: z.string().optional(),
  listen: z
    .object({
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65_535).default(9_500),
    })
    .prefault({}),
  /** DuckDB file (relative to the config file) or `:memory:`. */
  store: z.string().default('intel.duckdb'),
  /** The origin peers reach the server at (behind a TLS proxy), for discovery's `api_roots`. */
  public_url: z.url().optional(),
  api_root: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/)
    .default('intel'),
  max_content_length: z.number().int().positive().default(10_485_760),
  /** Largest page the server returns, whatever `limit` asks. */
  page_size: z.number().int().positive().max(10_000).default(500),
  collections: z.array(collectionSchema).min(1),
  peers: z.array(peerSchema).min(1),
});

/** A peer after resolution: its token only as a SHA-256 hash. */
export interface TaxiiPeer {
  name: string;
  tokenSha256: string;
  read: ReadonlySet<string>;
  write: ReadonlySet<string>;
}

export interface TaxiiCollectionConfig {
  id: string;
  title: string;
  description?: string | undefined;
  load: string[];
}

/** The TAXII server's settings, resolved once (file, then environment, then defaults). */
export interface TaxiiServerConfig {
  title: string;
  description?: string | undefined;
  contact?: string | undefined;
  listen: { host: string; port: number };
  store: string;
  publicUrl?: string | undefined;
  apiRoot: string;
  maxContentLength: number;
  pageSize: number;
  collections: TaxiiCollectionConfig[];
  peers: TaxiiPeer[];
}

/** SHA-256 hex of a bearer token, as peers' tokens are kept. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Validates a parsed config object (YAML or JSON) and resolves tokens and paths.
 *
 * @example
 * const config = resolveTaxiiServerConfig(parseYaml(text), { baseDirectory: '/etc/distillguard' });
 */
export function resolveTaxiiServerConfig(
  value: unknown,
  {
    baseDirectory = process.cwd(),
    environment = process.env,
  }: { baseDirectory?: string; environment?: Record<string, string | undefined> } = {},
): TaxiiServerConfig {
  const parsed = configSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') || '(root)';
    throw new DistillguardError(
      'intel_config_invalid',
      `TAXII server config: ${path}: ${issue?.message ?? 'invalid'}. See docs/intel.md for the format.`,
      { path },
    );
  }
  const config = parsed.data;
  const collectionIds = new Set(config.collections.map((collection) => collection.id));
  const rights = (list: string[], peer: string): Set<string> => {
    for (const id of list) {
      if (id !== '*' && !collectionIds.has(id)) {
        throw new DistillguardError(
          'intel_config_invalid',
          `TAXII server config: peer ${peer} refers to unknown collection ${id}.`,
        );
      }
    }
    return new Set(list.includes('*') ? collectionIds : list);
  };
  const peers = config.peers.map((peer): TaxiiPeer => {
    let tokenSha256 = peer.token_sha256?.toLowerCase();
    if (peer.token_env !== undefined) {
      const token = environment[peer.token_env];
      if (!token) {
        throw new DistillguardError(
          'intel_config_invalid',
          `TAXII server config: peer ${peer.name} reads its token from ${peer.token_env}, which is not set.`,
        );
      }
      tokenSha256 = hashToken(token);
    }
    return {
      name: peer.name,
      tokenSha256: tokenSha256 ?? '',
      read: rights(peer.read, peer.name),
      write: rights(peer.write, peer.name),
    };
  });
  return {
    title: config.title,
    description: config.description,
    contact: config.contact,
    listen: config.listen,
    store: config.store === ':memory:' ? config.store : resolve(baseDirectory, config.store),
    publicUrl: config.public_url?.replace(/\/+$/, ''),
    apiRoot: config.api_root,
    maxContentLength: config.max_content_length,
    pageSize: config.page_size,
    collections: config.collections.map((collection) => ({
      ...collection,
      load: collection.load.map((file) => resolve(baseDirectory, file)),
    })),
    peers,
  };
}

/** Reads a YAML or JSON config file and resolves it (paths relative to the file). */
export async function loadTaxiiServerConfig(
  file: string,
  environment: Record<string, string | undefined> = process.env,
): Promise<TaxiiServerConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new DistillguardError('intel_config_unreadable', `Cannot read the config file ${file}.`);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new DistillguardError('intel_config_invalid', `${file} is not YAML/JSON: ${message}`);
  }
  return resolveTaxiiServerConfig(value, { baseDirectory: dirname(resolve(file)), environment });
}
