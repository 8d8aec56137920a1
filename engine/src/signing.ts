/**
 * ECDSA P-256 signing as Fabric does it (SHA-256, DER, low S), with the parsed key kept: parsing a PEM key costs
 * about 1 ms, signing with a parsed key about 0.07 ms. Verification is the verification core's
 * (@approval-ledger/protocol `verify/`); the helpers below only name its rules for the hub.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import {
  certificateIssuedBy,
  certificateOf,
  cryptoSuite,
  nodeRoleOf as coreNodeRoleOf,
  passed,
  runSync,
  signatureBy,
} from '@approval-ledger/protocol';
import { signMessage } from './semantics';

export type NodeRole = 'client' | 'peer' | 'admin' | 'orderer' | 'member';

/** A private key with its certificate: signs as this identity. */
export class Signer {
  readonly #key: KeyObject;

  constructor(
    readonly mspId: string,
    readonly certificate: string,
    privateKeyPem: string,
  ) {
    this.#key = createPrivateKey(privateKeyPem);
  }

  /** DER ECDSA P-256/SHA-256 signature of `message`, low S. */
  sign(message: Uint8Array): Uint8Array {
    return signMessage(this.#key, message);
  }
}

/** True when `signature` is a low-S DER ECDSA signature of `message` by the certificate's key (the core's rule). */
export function verifySignature(certificatePem: string, message: Uint8Array, signature: Uint8Array): boolean {
  return passed(runSync(signatureBy('signature', certificatePem, message, signature), cryptoSuite()));
}

/** True when `certificatePem` was signed by the CA certificate `caPem` and names it as issuer (the core's rule). */
export function issuedBy(certificatePem: string, caPem: string): boolean {
  return passed(runSync(certificateIssuedBy('issuer', certificatePem, caPem), cryptoSuite()));
}

/**
 * The NodeOU role of a certificate, as Fabric's MSP classifies identities (the verification core's rule: the
 * first of its `OU`s that names a role, every OU looked at; `member` otherwise).
 */
export function nodeRoleOf(certificatePem: string): NodeRole {
  return coreNodeRoleOf(certificateOf(certificatePem));
}
