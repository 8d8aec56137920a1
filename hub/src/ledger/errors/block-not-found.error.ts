/** No block with this number (yet): `height` is the number of blocks the ledger has. */
export class BlockNotFoundError extends Error {
  override readonly name = 'BlockNotFoundError';

  constructor(
    readonly blockNumber: number,
    readonly height: number,
  ) {
    super(`block ${blockNumber} does not exist (the ledger has ${height} blocks)`);
  }
}
