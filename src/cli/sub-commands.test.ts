import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command, Help } from 'commander';
import { requestedSubCommand, SUB_COMMANDS } from './sub-commands.js';

describe('SUB_COMMANDS', () => {
  for (const subCommand of SUB_COMMANDS) {
    it(`${subCommand.name}: the help line and term match what the command registers`, async () => {
      const program = new Command('distillguard');
      (await subCommand.load())(program);
      const registered = program.commands.find((command) => command.name() === subCommand.name);
      assert.ok(registered, `${subCommand.name} registers a command of that name`);
      assert.equal(registered.description(), subCommand.description);
      assert.equal(new Help().subcommandTerm(registered), subCommand.term);
    });
  }
});

describe('requestedSubCommand', () => {
  const cases: [string[], string | undefined][] = [
    [[], undefined],
    [['--help'], undefined],
    [['-V'], undefined],
    [['analyze', 'a.jsonl', '--out', 'x'], 'analyze'],
    [['--help', 'simulate'], 'simulate'],
    [['help', 'intel'], 'intel'],
    [['help'], undefined],
    [['intel', 'export', '--help'], 'intel'],
  ];
  for (const [args, expected] of cases) {
    it(JSON.stringify(args), () => assert.equal(requestedSubCommand(args), expected));
  }
});
