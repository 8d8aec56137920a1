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
import { type DigestPart } from '../pluggable-digest.js';
import { sha256, sha256OfParts } from '../sha256.js';
import { sm2Verify } from '../gm/sm2.js';
import { sm3OfParts } from '../gm/sm3.js';
import { type Certificate, type KeyCurve } from '../proof/x509.js';

/**
 * The two crypto suites. `intl`: SHA-256 and ECDSA P-256 (what Fabric uses). `gm` (国密): SM3 (GB/T 32905-2016)
 * and SM2 with SM3 and the signer's Z_A with GB/T 35276's default user ID (GB/T 32918.2-2016). Every artefact that
 * hashes or signs names its suite; a verifier accepts only the suites it was told to ({@link requireSuite}).
 */
export const CRYPTO_SUITE_NAMES = ['intl', 'gm'] as const;
export type CryptoSuiteName = (typeof CRYPTO_SUITE_NAMES)[number];

/** What a suite stands for: its digest, its signature algorithm and the curve of its keys. */
export interface SuiteAlgorithms {
  readonly name: CryptoSuiteName;
  /** `SHA-256` or `SM3`. */
  readonly hash: string;
  /** `ECDSA-P256-SHA256` or `SM2-SM3`. */
  readonly signature: string;
  readonly keyCurve: KeyCurve;
  /** The suite's digest of the concatenation of `parts` (strings as UTF-8), through the pluggable hashes. */
  readonly digest: (parts: readonly DigestPart[]) => Uint8Array;
}

export const SUITES: Readonly<Record<CryptoSuiteName, SuiteAlgorithms>> = {
  intl: {
    name: 'intl',
    hash: 'SHA-256',
    signature: 'ECDSA-P256-SHA256',
    keyCurve: 'P-256',
    digest: (parts) => sha256OfParts(parts),
  },
  gm: {
    name: 'gm',
    hash: 'SM3',
    signature: 'SM2-SM3',
    keyCurve: 'SM2',
    digest: (parts) => sm3OfParts(parts),
  },
};

/** Thrown when an artefact names a suite the verifier was not told to accept, or none it knows. */
export class SuiteNotAcceptedError extends Error {
  constructor(
    readonly suite: unknown,
    readonly accepted: readonly CryptoSuiteName[],
    where: string,
  ) {
    super(
      `${where}: crypto suite ${JSON.stringify(suite)} is not accepted here (accepted: ${accepted.join(', ') || 'none'})`,
    );
    this.name = 'SuiteNotAcceptedError';
  }
}

/**
 * The suite an artefact names, if it is one of `accepted`; a missing name is `intl` (every artefact made before
 * the 国密 suite existed is SHA-256 / P-256). Anything else throws {@link SuiteNotAcceptedError} naming `where`.
 */
export function requireSuite(
  named: unknown,
  accepted: readonly CryptoSuiteName[],
  where: string,
): SuiteAlgorithms {
  const name = named === undefined ? 'intl' : named;
  if (typeof name !== 'string' || !(CRYPTO_SUITE_NAMES as readonly string[]).includes(name)) {
    throw new SuiteNotAcceptedError(named, accepted, where);
  }
  if (!accepted.includes(name as CryptoSuiteName)) throw new SuiteNotAcceptedError(name, accepted, where);
  return SUITES[name as CryptoSuiteName];
}

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
    if (signer.keyCurve === 'SM2') return false; // an SM2 key never verifies under intl: suites do not mix
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

/**
 * The `gm` suite: SM2 with SM3 and the default user ID, in JavaScript (`../gm/sm2.ts`), the same code in Node and in
 * browsers. A P-256 key never verifies under it.
 */
export const jsGmSuite: SyncCryptoSuite = {
  name: 'gm',
  verify({ signer, message, signature }) {
    if (signer.keyCurve !== 'SM2') return false;
    return sm2Verify(signer.publicKey, message, signature);
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

/**
 * The sync verifier of a chain's suite: the registered one ({@link cryptoSuite}, node:crypto in the hub) for
 * `intl`, {@link jsGmSuite} for `gm` (no native SM2 verifier takes the GB/T 35276 user ID). Under it a signature
 * of the other suite never verifies, so one process checks chains of both suites without mixing them.
 */
export function verifierOf(suite: Pick<SuiteAlgorithms, 'name'> | undefined): SyncCryptoSuite {
  return suite?.name === 'gm' ? jsGmSuite : active;
}
