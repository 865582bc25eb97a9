import type { Command } from 'commander';
import { DistillguardError } from '../../shared/distillguard-error.js';

export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description('(not yet available)')
    .allowUnknownOption()
    .allowExcessArguments()
    .action(() => {
      throw new DistillguardError(
        'not_available',
        '`distillguard analyze` is not yet available in this version.',
      );
    });
}
