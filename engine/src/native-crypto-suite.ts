/**
 * node:crypto as the verification core's `intl` suite (ECDSA P-256 / SHA-256; see `useCryptoSuite` in
 * @approval-ledger/protocol): the rules stay in the protocol package, only the signature arithmetic is native.
 * Public keys are imported once per parsed certificate (the core remembers parsed certificates). Registered on
 * import, once per thread, by `native-hash.ts`, which every hub entry point and worker imports first.
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import {
  cryptoSuite,
  type SignatureRequest,
  type SyncCryptoSuite,
  useCryptoSuite,
} from '@approval-ledger/protocol';

const keys = new WeakMap<SignatureRequest['signer'], KeyObject>();

function keyOf(signer: SignatureRequest['signer']): KeyObject {
  let key = keys.get(signer);
  if (!key) {
    key = createPublicKey({ key: Buffer.from(signer.spki), format: 'der', type: 'spki' });
    keys.set(signer, key);
  }
  return key;
}

export const nodeIntlSuite: SyncCryptoSuite = {
  name: 'intl',
  verify({ signer, message, signature }) {
    try {
      return verify('sha256', message, { key: keyOf(signer), dsaEncoding: 'der' }, signature);
    } catch {
      return false;
    }
  },
};

/** Registers {@link nodeIntlSuite} with the protocol package unless it already is. */
export function registerNativeCryptoSuite(): void {
  if (cryptoSuite() !== nodeIntlSuite) useCryptoSuite(nodeIntlSuite);
}
