import type { Command } from 'commander';
import { DistillguardError } from '../../shared/distillguard-error.js';

export function registerGatewayCommand(program: Command): void {
  program
    .command('gateway')
    .description('(not yet available)')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new DistillguardError(
        'not_available',
        '`distillguard gateway` is not yet available in this version.',
      );
    });
}
