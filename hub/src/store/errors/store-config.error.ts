/** The store cannot be opened as configured (e.g. a DATABASE_URL it does not understand). */
export class StoreConfigError extends Error {
  readonly code = 'STORE_CONFIG';

  constructor(
    message: string,
    /** The offending setting, e.g. `DATABASE_URL`. */
    readonly setting: string,
  ) {
    super(message);
    this.name = 'StoreConfigError';
  }
}
