import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CampaignsFile } from '../../detect/verdict.js';
import {
  createStixValidator,
  exportCampaignBundle,
  exportCampaignBundles,
  hashToken,
  importPeerIntel,
  loadCommunityKey,
  loadTaxiiServerConfig,
  parseCampaignsFile,
  parsePeerBundle,
  startTaxiiServer,
  TLP_LEVELS,
  type TlpLevel,
} from '../../intel/index.js';
import { DistillguardError } from '../../shared/distillguard-error.js';

const TAXII_TOKEN_ENVIRONMENT_VARIABLE = 'DISTILLGUARD_TAXII_TOKEN';
const DEFAULT_INTEL_DIRECTORY = '.distillguard/intel';

interface ExportOptions {
  campaigns: string;
  out: string;
  shareIps?: boolean;
  tlp: string;
  producer: string;
  communityKeyFile?: string;
  perCampaign?: boolean;
  validDays: string;
  json?: boolean;
}

interface ImportOptions {
  into: string;
  source?: string;
  tokenFile?: string;
  json?: boolean;
}

export function registerIntelCommand(program: Command): void {
  const intel = program
    .command('intel')
    .description(
      "share distillation indicators: STIX 2.1 bundles, a TAXII 2.1 server, import of peers' intelligence",
    );

  intel
    .command('export')
    .description(
      'write campaigns.json as a STIX 2.1 bundle (keyed hashes; never prompts, emails or payment data)',
    )
    .requiredOption('--campaigns <file>', 'campaigns.json written by `distillguard analyze`')
    .requiredOption(
      '--out <file>',
      'bundle to write (with --per-campaign: <out>.<campaign_id>.json)',
    )
    .option('--share-ips', 'share IPs and subnets in clear (default: keyed hashes)')
    .option('--tlp <level>', `TLP 2.0 marking: ${TLP_LEVELS.join(', ')}`, 'amber')
    .option('--producer <name>', 'your organisation name in the STIX identity', 'distillguard')
    .option(
      '--community-key-file <file>',
      'the sharing community key (else $DISTILLGUARD_COMMUNITY_KEY)',
    )
    .option('--per-campaign', 'one bundle per campaign')
    .option('--valid-days <n>', 'indicators expire this many days after last seen', '90')
    .option('--json', 'print a JSON summary')
    .action(async (options: ExportOptions) => {
      const tlp = TLP_LEVELS.find((level) => level === options.tlp.toLowerCase());
      if (!tlp) {
        throw new DistillguardError(
          'intel_tlp_invalid',
          `--tlp must be one of ${TLP_LEVELS.join(', ')}.`,
        );
      }
      const validForDays = Number(options.validDays);
      if (!Number.isFinite(validForDays) || validForDays <= 0) {
        throw new DistillguardError(
          'intel_option_invalid',
          '--valid-days must be a positive number.',
        );
      }
      const campaignsFile = await readCampaignsFile(options.campaigns);
      const communityKey = await loadCommunityKey({ keyFile: options.communityKeyFile });
      const exportOptions = {
        communityKey,
        shareIps: options.shareIps === true,
        tlp: tlp as TlpLevel,
        producerName: options.producer,
        validForDays,
      };
      const outputs = options.perCampaign
        ? exportCampaignBundles(campaignsFile, exportOptions).map((bundle, index) => ({
            file: options.out.replace(
              /(\.json)?$/,
              `.${campaignsFile.campaigns[index]?.campaign_id ?? index}.json`,
            ),
            bundle,
          }))
        : [{ file: options.out, bundle: exportCampaignBundle(campaignsFile, exportOptions) }];
      const validator = createStixValidator();
      for (const { file, bundle } of outputs) {
        const valid = validator.validateBundle(bundle);
        if (!valid.success)
          throw new Error(`exporter produced invalid STIX: ${JSON.stringify(valid.error)}`);
        await writeFile(file, `${JSON.stringify(bundle, null, 2)}\n`);
      }
      const summary = {
        bundles: outputs.map(({ file, bundle }) => ({
          file,
          objects: bundle.objects.length,
          indicators: bundle.objects.filter((object) => object.type === 'indicator').length,
        })),
        campaigns: campaignsFile.campaigns.length,
        shareIps: exportOptions.shareIps,
        tlp,
        communityKeyId: communityKey.keyId,
      };
      if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else {
        for (const bundle of summary.bundles) {
          process.stdout.write(
            `wrote ${bundle.file}: ${bundle.objects} STIX objects, ${bundle.indicators} indicators (TLP:${tlp.toUpperCase()}, key ${communityKey.keyId})\n`,
          );
        }
      }
    });

  intel
    .command('serve')
    .description('run a TAXII 2.1 server for your collections (per-peer tokens, DuckDB store)')
    .requiredOption('--config <file>', 'server config (YAML or JSON); see docs/intel.md')
    .action(async (options: { config: string }) => {
      const server = await startTaxiiServer(await loadTaxiiServerConfig(options.config));
      process.stderr.write(
        `TAXII 2.1 discovery at ${server.url}/taxii2/ (${server.loaded} objects loaded)\n`,
      );
      await new Promise<void>((resolveDone) => {
        const stop = () => void server.close().then(resolveDone);
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });

  intel
    .command('import')
    .description(
      "import a peer's bundle file or TAXII collection URL (validated whole, all or nothing)",
    )
    .argument('<bundle-or-url>', 'bundle.json, or https://…/<api-root>/collections/<id>/')
    .option(
      '--into <dir>',
      'where imported intelligence is kept (read by analyze and the gateway)',
      DEFAULT_INTEL_DIRECTORY,
    )
    .option(
      '--source <name>',
      "name the peer's matches are reported under (default: its STIX identity)",
    )
    .option(
      '--token-file <file>',
      `TAXII bearer token file (else $${TAXII_TOKEN_ENVIRONMENT_VARIABLE})`,
    )
    .option('--json', 'print a JSON summary')
    .action(async (from: string, options: ImportOptions) => {
      let token = process.env[TAXII_TOKEN_ENVIRONMENT_VARIABLE];
      if (options.tokenFile !== undefined) {
        try {
          token = (await readFile(options.tokenFile, 'utf8')).trim();
        } catch {
          throw new DistillguardError(
            'intel_token_unreadable',
            `Cannot read the token file ${options.tokenFile}.`,
          );
        }
      }
      const summary = await importPeerIntel({
        from,
        into: options.into,
        validator: createStixValidator(),
        source: options.source,
        token,
      });
      if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
      else {
        process.stdout.write(
          `imported ${summary.objects} objects from ${summary.source} into ${summary.file}: ` +
            `${summary.indicators} usable indicators (${summary.expiredIndicators} expired, ` +
            `${summary.revokedIndicators} revoked, ${summary.unsupportedIndicators} with patterns distillguard does not evaluate)\n`,
        );
      }
    });

  intel
    .command('validate')
    .description('check a STIX 2.1 bundle against the official schemas')
    .argument('<bundle>', 'bundle.json')
    .action(async (file: string) => {
      const result = parsePeerBundle(await readFile(file, 'utf8'), createStixValidator());
      if (!result.success) {
        const { path, schemaPath, message } = result.error;
        throw new DistillguardError(
          'intel_bundle_invalid',
          `${file}: at ${path || '/'} (schema ${schemaPath}): ${message}`,
        );
      }
      process.stdout.write(`${file}: valid STIX 2.1, ${result.value.objects.length} objects\n`);
    });

  intel
    .command('hash-token')
    .description(
      'print the SHA-256 of a peer token read from stdin, for `token_sha256` in the serve config',
    )
    .action(async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      const token = Buffer.concat(chunks).toString('utf8').trim();
      if (token === '')
        throw new DistillguardError(
          'intel_token_empty',
          'Pipe the token on stdin: printf %s "$TOKEN" | distillguard intel hash-token',
        );
      process.stdout.write(`${hashToken(token)}\n`);
    });
}

async function readCampaignsFile(file: string): Promise<CampaignsFile> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new DistillguardError(
      'intel_campaigns_unreadable',
      `Cannot read ${file} as JSON; pass the campaigns.json written by \`distillguard analyze\`.`,
    );
  }
  const parsed = parseCampaignsFile(value);
  if (!parsed.success) {
    throw new DistillguardError(
      'intel_campaigns_invalid',
      `${file}: ${parsed.error}; pass the campaigns.json written by \`distillguard analyze\`.`,
    );
  }
  return parsed.value;
}
