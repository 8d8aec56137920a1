/** The token-signing key file cannot be used: readable by others, or not an Ed25519 private key. */
export class SigningKeyError extends Error {
  readonly code = 'AUTH_SIGNING_KEY';

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`token-signing key ${path}: ${reason}`);
    this.name = 'SigningKeyError';
  }
}
