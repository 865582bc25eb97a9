import type { Command } from 'commander';
import { DistillguardError } from '../../shared/distillguard-error.js';

export function registerQuickstartCommand(program: Command): void {
  program
    .command('quickstart')
    .description('(not yet available)')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new DistillguardError(
        'not_available',
        '`distillguard quickstart` is not yet available in this version.',
      );
    });
}
