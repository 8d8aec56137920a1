/**
 * How a command fails: one line on stderr (`error: …`) and a non-zero exit code, never on stdout, so that
 * `TOKEN=$(npx ledger token …)` captures a token or nothing. Results (a verdict, a list, a token) go to stdout.
 */

/** A failure the CLI reports in one line and an exit code. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';

  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** The failure as a CliFailure (anything else exits with `exitCode`). */
export function failureOf(error: unknown, exitCode: number): CliFailure {
  if (error instanceof CliFailure) return error;
  return new CliFailure(error instanceof Error ? error.message : String(error), exitCode);
}

/** Writes `error: <message>` to `err` (stderr) and returns the exit code. */
export function reportFailure(failure: CliFailure, err: NodeJS.WritableStream = process.stderr): number {
  err.write(`error: ${failure.message}\n`);
  return failure.exitCode;
}

/**
 * Runs a command's action: the exit code it returns (nothing: leave it), or, when it throws, the failure on stderr
 * and `exitCode` (a CliFailure keeps its own). Every subcommand's `.action()` goes through it.
 */
export async function runCommand(
  work: () => Promise<number | void> | number | void,
  exitCode: number,
): Promise<void> {
  try {
    const code = await work();
    if (typeof code === 'number') process.exitCode = code;
  } catch (error) {
    process.exitCode = reportFailure(failureOf(error, exitCode));
  }
}
