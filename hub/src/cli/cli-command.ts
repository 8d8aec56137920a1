import { type Command } from 'commander';

/**
 * One `ledger` sub-command: a module under `commands/` exports one of these, and `commands/index.ts` lists it.
 * `register` adds the command (its options and action) to the program; actions set `process.exitCode`.
 */
export interface CliCommand {
  readonly name: string;
  register(program: Command): void;
}
