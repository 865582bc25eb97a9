import type { Command } from 'commander';
import { DistillguardError } from '../../shared/distillguard-error.js';

export function registerEvalCommand(program: Command): void {
  program
    .command('eval')
    .description('(not yet available)')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new DistillguardError(
        'not_available',
        '`distillguard eval` is not yet available in this version.',
      );
    });
}
