import { Command, CommanderError } from 'commander';
import { DistillguardError } from '../shared/distillguard-error.js';
import { registerAnalyzeCommand } from './commands/analyze.js';
import { registerDetectCommand } from './commands/detect.js';
import { registerEvalCommand } from './commands/eval.js';
import { registerGatewayCommand } from './commands/gateway.js';
import { registerIntelCommand } from './commands/intel.js';
import { registerQuickstartCommand } from './commands/quickstart.js';
import { registerRadioactivityCommand } from './commands/radioactivity.js';
import { registerSimulateCommand } from './commands/simulate.js';
import { registerWatermarkCommand } from './commands/watermark.js';

/** Builds the `distillguard` program; each feature registers its own thin sub-command. */
export function createProgram(): Command {
  const program = new Command('distillguard')
    .description('See, stop and prove distillation attacks on LLM APIs.')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError();
  registerQuickstartCommand(program);
  registerSimulateCommand(program);
  registerAnalyzeCommand(program);
  registerEvalCommand(program);
  registerGatewayCommand(program);
  registerDetectCommand(program); // fleet (issue 17): the action imports src/fleet lazily
  registerWatermarkCommand(program);
  registerRadioactivityCommand(program);
  registerIntelCommand(program);
  return program;
}

/** Runs the CLI and returns the exit code: errors are rendered here, once, as `error [code]: …`. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await createProgram().parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (DistillguardError.is(error)) {
      process.stderr.write(`error [${error.code}]: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
