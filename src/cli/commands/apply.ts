import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { DistillguardError } from '../../shared/distillguard-error.js';

interface ApplyCommandOptions {
  gateway: string[];
  tokenEnv: string;
  attack: string;
  suspect: string;
  campaign: string;
  campaignPrefix: string;
  indicatorKeyEnv?: string;
  actor?: string;
  note?: string;
  dryRun?: boolean;
  json?: boolean;
}

const RUNGS = ['allow', 'throttle', 'degrade', 'challenge', 'suspend'] as const;
type Rung = (typeof RUNGS)[number];

const rung = (value: string, flag: string): Rung | null => {
  if (value === 'none') return null;
  if ((RUNGS as readonly string[]).includes(value)) return value as Rung;
  throw new DistillguardError(
    'option_invalid',
    `${flag} must be one of ${RUNGS.join(', ')} or none (got ${value}).`,
  );
};

const collect = (value: string, previous: string[]) => [...previous, value];

/** `distillguard apply --gateway <url> verdicts.jsonl campaigns.json`: close the loop. */
export function registerApplyCommand(program: Command): void {
  program
    .command('apply')
    .description(
      "Push analyze's verdicts and campaigns to running gateways as ladder decisions (idempotent, audited)",
    )
    .argument('<verdicts>', 'verdicts.jsonl written by `distillguard analyze`')
    .argument('<campaigns>', 'campaigns.json of the same run')
    .requiredOption(
      '--gateway <url>',
      'gateway base URL (repeat for every gateway process)',
      collect,
      [],
    )
    .option(
      '--token-env <name>',
      "environment variable holding the gateways' admin token",
      'DISTILLGUARD_ADMIN_TOKEN',
    )
    .option('--attack <rung>', 'rung for `attack` accounts (or none)', 'suspend')
    .option('--suspect <rung>', 'rung for `suspect` accounts (or none)', 'throttle')
    .option('--campaign <rung>', 'rung attached to each campaign (or none)', 'suspend')
    .option(
      '--campaign-prefix <text>',
      "prefix of applied campaign ids (keeps them apart from the gateway engine's own)",
      'applied:',
    )
    .option(
      '--indicator-key-env <name>',
      "variable holding the fleet's indicator key (as the gateways' fleet.indicator_key_env)",
    )
    .option('--actor <name>', 'who applies, for the audit trail (default: your user name)')
    .option('--note <text>', 'a note for the audit trail (a ticket, a case id)')
    .option('--dry-run', 'report what each gateway would change; change nothing')
    .option('--json', 'print the report as JSON')
    .action(async (verdicts: string, campaigns: string, options: ApplyCommandOptions) => {
      const token = process.env[options.tokenEnv];
      if (!token)
        throw new DistillguardError(
          'apply_token_missing',
          `set ${options.tokenEnv} to the gateways' admin token (never passed as a flag, so it stays out of shell history and process lists).`,
        );
      let indicatorKey: string | undefined;
      if (options.indicatorKeyEnv) {
        indicatorKey = process.env[options.indicatorKeyEnv];
        if (!indicatorKey)
          throw new DistillguardError(
            'apply_indicator_key_missing',
            `${options.indicatorKeyEnv} is not set (--indicator-key-env names it).`,
          );
      }
      const mapping = {
        attack: rung(options.attack, '--attack'),
        suspect: rung(options.suspect, '--suspect'),
        campaign: rung(options.campaign, '--campaign'),
      };
      const { applyVerdicts } = await import('../../apply/index.js');
      const report = await applyVerdicts({
        verdictsPath: verdicts,
        campaignsPath: campaigns,
        gateways: options.gateway,
        token,
        mapping,
        campaignPrefix: options.campaignPrefix,
        ...(indicatorKey ? { indicatorKey } : {}),
        actor: options.actor ?? userInfo().username,
        ...(options.note ? { note: options.note } : {}),
        dryRun: options.dryRun === true,
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      const { plan } = report;
      process.stdout.write(
        `batch ${plan.batchId}: ${plan.accounts.attack} attack and ${plan.accounts.suspect} suspect accounts, ${plan.campaigns} campaigns (${plan.accounts.skipped} accounts need nothing)\n`,
      );
      for (const result of report.gateways) {
        const { counts } = result;
        const verb = result.dry_run ? 'would change' : 'changed';
        const summary =
          result.changed === 0
            ? `nothing ${result.dry_run ? 'to change' : 'changed'}: every decision was already in place`
            : `${verb} ${result.changed}: ${counts.set} decisions set, ${counts.memberships_set} campaign memberships set`;
        process.stdout.write(
          `${result.gateway}: ${summary}; ${counts.unchanged} unchanged, ${counts.kept_stricter} already stricter, ${counts.manual_kept} manual decisions kept${result.dry_run ? ' (dry run)' : ''}\n`,
        );
      }
    });
}
