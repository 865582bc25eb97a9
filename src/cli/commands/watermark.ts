import type { Command } from 'commander';
import { DistillguardError } from '../../shared/distillguard-error.js';

export function registerWatermarkCommand(program: Command): void {
  program
    .command('watermark')
    .description('(not yet available)')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new DistillguardError(
        'not_available',
        '`distillguard watermark` is not yet available in this version.',
      );
    });
}
