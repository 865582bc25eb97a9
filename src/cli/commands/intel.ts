import type { Command } from 'commander';
import { DistillguardError } from '../../shared/distillguard-error.js';

export function registerIntelCommand(program: Command): void {
  program
    .command('intel')
    .description('(not yet available)')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new DistillguardError(
        'not_available',
        '`distillguard intel` is not yet available in this version.',
      );
    });
}
