import { Command, CommanderError, Help } from 'commander';
import { DistillguardError } from '../shared/distillguard-error.js';
import { requestedSubCommand, SUB_COMMANDS } from './sub-commands.js';

/**
 * Builds the `distillguard` program for one argument list (`process.argv`). Only the sub-command
 * asked for is loaded in full, with its options and feature; the others are listed by name and
 * description for `--help`.
 */
export async function createProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('distillguard')
    .description('See, stop and prove distillation attacks on LLM APIs.')
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError();
  const terms = new Map(SUB_COMMANDS.map((subCommand) => [subCommand.name, subCommand.term]));
  const help = new Help();
  program.configureHelp({
    subcommandTerm: (command) => terms.get(command.name()) ?? help.subcommandTerm(command),
  });
  const requested = requestedSubCommand(argv.slice(2));
  for (const subCommand of SUB_COMMANDS) {
    if (subCommand.name === requested) (await subCommand.load())(program);
    else program.command(subCommand.name).description(subCommand.description);
  }
  return program;
}

/** Runs the CLI and returns the exit code: errors are rendered here, once, as `error [code]: …`. */
export async function runCli(argv: string[]): Promise<number> {
  try {
    await (await createProgram(argv)).parseAsync(argv);
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
