/** A configuration file or environment variable that does not validate; the adapter refuses to start. */
export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError';

  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid configuration in ${source}: ${problems.join('; ')}`);
  }
}
