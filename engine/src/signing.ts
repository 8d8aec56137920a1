/**
 * Signing as Fabric does it, ECDSA P-256 (SHA-256, DER, low S), with the parsed key kept: parsing a PEM key costs
 * about 1 ms, signing with a parsed key about 0.07 ms. An SM2 key (the `gm` suite) signs SM2 with SM3 and its
 * Z_A over GB/T 35276's default user ID through the protocol package's `sm2Signer` (key, Z_A and (1 + d)⁻¹
 * prepared once); node:crypto's OpenSSL would use an empty user ID. Verification is the verification core's
 * (@approval-ledger/protocol `verify/`); the helpers below only name its rules for the hub.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import {
  certificateIssuedBy,
  certificateOf,
  nodeRoleOf as coreNodeRoleOf,
  passed,
  runSync,
  signatureBy,
  sm2PrivateKeyOfPem,
  sm2Signer,
  verifierOf,
} from '@approval-ledger/protocol';
import { isSm2PrivateKeyPem, signMessage } from './semantics';

export type NodeRole = 'client' | 'peer' | 'admin' | 'orderer' | 'member';

/** A private key with its certificate: signs as this identity. */
export class Signer {
  readonly #sign: (message: Uint8Array) => Uint8Array;

  constructor(
    readonly mspId: string,
    readonly certificate: string,
    privateKeyPem: string,
  ) {
    if (isSm2PrivateKeyPem(privateKeyPem)) {
      this.#sign = sm2Signer(sm2PrivateKeyOfPem(privateKeyPem));
    } else {
      const key: KeyObject = createPrivateKey(privateKeyPem);
      this.#sign = (message) => signMessage(key, message);
    }
  }

  /** DER signature of `message`: ECDSA P-256/SHA-256 with low S, or SM2-SM3 with the default user ID. */
  sign(message: Uint8Array): Uint8Array {
    return this.#sign(message);
  }
}

/** The verifier of the suite of a certificate's key: SM2 keys are checked under `gm`, every other under `intl`. */
function verifierOfCertificate(certificatePem: string) {
  let curve: string | undefined;
  try {
    curve = certificateOf(certificatePem).keyCurve;
  } catch {
    curve = undefined; // the rule itself says why the certificate cannot be read
  }
  return verifierOf({ name: curve === 'SM2' ? 'gm' : 'intl' });
}

/**
 * True when `signature` is the certificate key's DER signature of `message` (ECDSA P-256 low S, or SM2-SM3),
 * the core's rule.
 */
export function verifySignature(certificatePem: string, message: Uint8Array, signature: Uint8Array): boolean {
  return passed(
    runSync(
      signatureBy('signature', certificatePem, message, signature),
      verifierOfCertificate(certificatePem),
    ),
  );
}

/** True when `certificatePem` was signed by the CA certificate `caPem` and names it as issuer (the core's rule). */
export function issuedBy(certificatePem: string, caPem: string): boolean {
  return passed(runSync(certificateIssuedBy('issuer', certificatePem, caPem), verifierOfCertificate(caPem)));
}

/**
 * The NodeOU role of a certificate, as Fabric's MSP classifies identities (the verification core's rule: the
 * first of its `OU`s that names a role, every OU looked at; `member` otherwise).
 */
export function nodeRoleOf(certificatePem: string): NodeRole {
  return coreNodeRoleOf(certificateOf(certificatePem));
}
