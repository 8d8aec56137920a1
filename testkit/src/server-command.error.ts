/** A command run against a running server (for example `CREATE DATABASE` through the mariadb client) failed. */
export class ServerCommandError extends Error {
  override readonly name = 'ServerCommandError';
  readonly code = 'SERVER_COMMAND_FAILED';

  constructor(
    readonly server: string,
    readonly command: string,
    readonly output: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${server}: ${command} failed: ${output.trim()}`, { cause: options.cause });
  }
}
