import type { Command } from 'commander';
import { DistillguardError } from '../../shared/distillguard-error.js';

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('(not yet available)')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new DistillguardError(
        'not_available',
        '`distillguard simulate` is not yet available in this version.',
      );
    });
}
