#!/usr/bin/env node
/** `ledger`: the hub's command line (bin of @approval-ledger/hub). Each command lives in `commands/`. */
import '@approval-ledger/fabric-engine/native-hash';
import { Command } from 'commander';
import { failureOf, reportFailure } from './cli-failure';
import { commands } from './commands';

export function createProgram(): Command {
  const program = new Command('ledger')
    .description('approval-ledger: verify and operate the ledger of the Beijing-Tianjin-Hebei approval hub')
    .showHelpAfterError();
  for (const command of commands) command.register(program);
  return program;
}

/** Runs the command line on `argv` (`bin/ledger.js`, the package's bin, calls this). */
export function main(argv: readonly string[] = process.argv): void {
  createProgram()
    .parseAsync([...argv])
    .catch((error: unknown) => {
      process.exitCode = reportFailure(failureOf(error, 1));
    });
}

if (require.main === module) main();
