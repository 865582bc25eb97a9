import type { Command } from 'commander';
import { DistillguardError } from '../../shared/distillguard-error.js';

export function registerRadioactivityCommand(program: Command): void {
  program
    .command('radioactivity')
    .description('(not yet available)')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new DistillguardError(
        'not_available',
        '`distillguard radioactivity` is not yet available in this version.',
      );
    });
}
