/** A program the testkit runs is not installed; the message names the Debian package that provides it. */
export class BinaryNotFoundError extends Error {
  override readonly name = 'BinaryNotFoundError';
  readonly code = 'BINARY_NOT_FOUND';

  constructor(
    readonly binary: string,
    readonly debianPackage: string,
    readonly searched: readonly string[],
  ) {
    super(
      `${binary} not found: install the Debian package ${debianPackage} (apt-get install -y ${debianPackage})`,
    );
  }
}
