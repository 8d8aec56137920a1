/**
 * The crypto seam of the verification core. The rules (`transaction-rules.ts`, `block-rules.ts`) decide which
 * bytes must be signed by which key; a suite says whether a signature is right. A suite is sync (Node's
 * `node:crypto`, the pure-JavaScript default) or async (the browser's WebCrypto): the rules are written once as
 * generators that yield signature requests, and `runSync` / `runAsync` answer them (`rule.ts`).
 *
 * Hashes go through protocol's pluggable SHA-256 (`useSha256`); a suite names the algorithms it stands for, so
 * a 国密 suite (`gm`: SM3, SM2) can come in through the same seam: its `verify` takes SM2 keys and signatures,
 * and the block-format hashes take its digest.
 */
import { p256 } from '@noble/curves/p256';
import { hexToBytes, utf8Encode } from '../bytes.js';
import { sha256 } from '../sha256.js';
import { type Certificate } from '../proof/x509.js';

/** One signature to check: the signer's certificate (parsed), the signed bytes, the signature (DER). */
export interface SignatureRequest {
  readonly signer: Certificate;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/** Signature verification of one family of algorithms; `R` is `boolean` (sync) or `Promise<boolean>`. */
export interface CryptoSuite<R extends boolean | Promise<boolean> = boolean | Promise<boolean>> {
  /** `intl` (SHA-256, ECDSA P-256), as every artefact names it. */
  readonly name: string;
  /** Set when the suite cannot verify here: why (every signature is then reported as not checked). */
  readonly unavailable?: string;
  /**
   * True when `signature` (DER) is the signer key's signature of `message` under the suite's hash. Never
   * throws for a malformed key or signature (false). Low S is the rules' concern, not the suite's.
   */
  verify(request: SignatureRequest): R;
}

export type SyncCryptoSuite = CryptoSuite<boolean>;
export type AsyncCryptoSuite = CryptoSuite<Promise<boolean>>;

/** The default `intl` suite: ECDSA P-256 with SHA-256 in pure JavaScript (@noble/curves); runs anywhere. */
export const jsIntlSuite: SyncCryptoSuite = {
  name: 'intl',
  verify({ signer, message, signature }) {
    try {
      return p256.verify(signature, sha256(message), signer.publicKey, {
        prehash: false,
        lowS: false,
        format: 'der',
      });
    } catch {
      return false;
    }
  },
};

let active: SyncCryptoSuite = jsIntlSuite;

/** A fixed P-256 public key and its signature of CHECK_MESSAGE (made once with @noble/curves). */
const CHECK_PUBLIC_KEY =
  '0495925cd5f66c5d62f00ff1330bc86f7936cb48b83f6896082d8cdccfb6e411710a1bdee99172932725c280486789db6c442657b30c7fea6f9f658b3538da53c7';
const CHECK_SIGNATURE =
  '3046022100e59939fa9f82aacfeb65dabea195111229c29acf796e4a388073241ad726ba39022100c4fbbb1c7fbea6e86479ef3cd939ef35ad26a5116dc86036f8cdff442bef8c07';
const CHECK_MESSAGE = 'approval-ledger crypto suite check message';

/** A good and a tampered signature request, to check a registered suite against. */
function checkVectors(): { signer: Certificate; message: Uint8Array; signature: Uint8Array }[] {
  const publicKey = hexToBytes(CHECK_PUBLIC_KEY);
  const signer = { publicKey, spki: spkiOfP256(publicKey), fingerprint: '' } as unknown as Certificate;
  const message = utf8Encode(CHECK_MESSAGE);
  const tampered = utf8Encode(`${CHECK_MESSAGE}.`);
  const signature = hexToBytes(CHECK_SIGNATURE);
  return [
    { signer, message, signature },
    { signer, message: tampered, signature },
  ];
}

/** The DER SubjectPublicKeyInfo of an uncompressed P-256 point. */
function spkiOfP256(point: Uint8Array): Uint8Array {
  // SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING point }
  const prefix = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86,
    0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
  ];
  return Uint8Array.from([...prefix, ...point]);
}

/**
 * Registers the sync suite the core uses when a caller names none (the hub registers `node:crypto`). It is run
 * on a fixed good and a fixed tampered signature and refused with a TypeError unless it answers true and false.
 * `undefined` restores the default ({@link jsIntlSuite}).
 */
export function useCryptoSuite(suite: SyncCryptoSuite | undefined): void {
  if (suite === undefined) {
    active = jsIntlSuite;
    return;
  }
  const [good, bad] = checkVectors();
  if (suite.verify(good!) !== true || suite.verify(bad!) !== false) {
    throw new TypeError(`useCryptoSuite: suite ${suite.name} does not verify the check signatures correctly`);
  }
  active = suite;
}

/** The sync suite in use ({@link jsIntlSuite} unless another was registered with {@link useCryptoSuite}). */
export function cryptoSuite(): SyncCryptoSuite {
  return active;
}
