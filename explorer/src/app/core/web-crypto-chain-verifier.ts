/**
 * The chain verifier the explorer runs: WebCrypto for ECDSA P-256, and the protocol package for everything
 * that says which bytes are hashed and signed (`block-format`: envelopes, response hash, endorsement message,
 * header text, data hash, transaction id), the same code the hub writes blocks with. Fabric-format blocks get
 * their header and data hashes checked; their protobuf signatures are reported as not checked rather than
 * shown as verified.
 */
import {
  type ChannelConfigJson,
  type ConfigTransactionJson,
  type EndorserTransactionJson,
  type ProofVerdict,
  type TransactionJson as EnvelopeJson,
  type X509CertificateInfo,
  X509_OID,
  ZERO_HASH,
  base64ToBytes,
  blockHash,
  configTransactionId,
  dataHashOfEnvelopes,
  ecdsaDerToP1363,
  endorsementMessage,
  fabricBlockHash,
  fabricDataHash,
  headerText,
  isLowSSignature,
  parseCertificate,
  parseTransactionEnvelope,
  proposalText,
  transactionId,
  transactionResponseHash,
  utf8Encode,
  verifyProofBundle,
} from '@approval-ledger/protocol';
import { type BlockHeaderJson, type BlockJson, type ProofBundle, type TransactionJson } from './api.types';
import {
  type BlockCheck,
  type ChainVerifier,
  type ChannelTrust,
  type Check,
  type EndorsementCheck,
  NOT_APPLICABLE,
  type TransactionCheck,
  VERIFIED,
  type WriteSummary,
  failed,
  passed,
  unchecked,
} from './chain-verifier';

const ECDSA_P256: EcKeyImportParams = { name: 'ECDSA', namedCurve: 'P-256' };
const ECDSA_SHA256: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const NO_WEBCRYPTO = unchecked(
  'WebCrypto is not available here (the page must be served over HTTPS or localhost)',
);
const NO_TRUST = unchecked('no trust anchors: block 0 (the channel configuration) could not be read');
const FABRIC_ENVELOPE = unchecked(
  'a Fabric protobuf envelope: its signatures are not re-checked in the browser',
);
const NO_ENVELOPE = unchecked(
  'the hub sent no transaction envelope, so nothing signed could be re-checked here',
);
const PREVIEW_CHARS = 160;

/** A copy backed by a plain ArrayBuffer, as WebCrypto's `BufferSource` wants it. */
function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

/** The UTF-8 text of base64-encoded bytes (fatal on invalid UTF-8). */
function base64ToText(text: string): string {
  return new TextDecoder('utf-8', { fatal: true }).decode(base64ToBytes(text));
}

/** Fabric's block header hash (the protocol's `fabricBlockHash`), kept under the name pages and tests use. */
export const fabricHeaderHash = fabricBlockHash;

export function trustOfConfig(config: ChannelConfigJson): ChannelTrust {
  const caByMspId = new Map(config.organisations.map((o) => [o.mspId, o.caCertificate] as const));
  caByMspId.set(config.orderer.mspId, config.orderer.caCertificate);
  return { caByMspId, ordererMspId: config.orderer.mspId };
}

function equalCheck(computed: string, claimed: string, what: string): Check {
  return computed === claimed
    ? VERIFIED
    : failed(`${what} re-computed as ${computed}, the block says ${claimed}`);
}

function envelopeText(tx: TransactionJson): string | undefined {
  if (tx.envelope === undefined) return undefined;
  try {
    return base64ToText(tx.envelope);
  } catch {
    return undefined;
  }
}

/** Why an envelope could not be read: JSON that is not canonical was altered; anything else is Fabric's. */
function unreadableEnvelope(text: string): Check {
  try {
    JSON.parse(text);
    return failed('the envelope is not a transaction in canonical JSON form (its bytes were altered)');
  } catch {
    return FABRIC_ENVELOPE;
  }
}

function writesOf(envelope: EndorserTransactionJson): WriteSummary[] {
  return envelope.rwset.writes.map((w) => {
    let preview: string;
    try {
      preview = base64ToText(w.value);
    } catch {
      preview = `(${base64ToBytes(w.value).length} bytes)`;
    }
    return {
      key: w.key,
      isDelete: w.isDelete,
      preview: preview.length > PREVIEW_CHARS ? `${preview.slice(0, PREVIEW_CHARS)}…` : preview,
    };
  });
}

function isVerifiedTransaction(parts: readonly Check[], endorsements: readonly EndorsementCheck[]): boolean {
  return parts.every(passed) && endorsements.length > 0 && endorsements.every((e) => passed(e.check));
}

export class WebCryptoChainVerifier implements ChainVerifier {
  readonly #keys = new Map<string, Promise<CryptoKey>>();
  readonly #issuance = new Map<string, Promise<Check>>();
  readonly #certificates = new Map<string, X509CertificateInfo>();

  channelTrust(genesis: BlockJson): ChannelTrust | undefined {
    const first = genesis.transactions[0];
    const text = first && envelopeText(first);
    const envelope = text ? parseTransactionEnvelope(text) : undefined;
    return envelope?.type === 'config' ? trustOfConfig(envelope.config) : undefined;
  }

  headerHash(header: BlockHeaderJson, scheme: BlockJson['dataHashScheme']): string {
    return scheme === 'fabric' ? fabricBlockHash(header) : blockHash(header);
  }

  async verifyBlock(
    block: BlockJson,
    context: { readonly trust?: ChannelTrust; readonly previous?: BlockHeaderJson },
  ): Promise<BlockCheck> {
    const headerHash = equalCheck(this.headerHash(block, block.dataHashScheme), block.hash, 'header hash');
    const dataHash = this.#dataHash(block);
    const previousLink = this.#previousLink(block, context.previous);
    const ordererSignature = await this.#ordererSignature(block, context.trust);
    const transactions = await Promise.all(
      block.transactions.map((tx) => this.verifyTransaction(tx, context.trust)),
    );
    const ok =
      [headerHash, dataHash, previousLink, ordererSignature].every(passed) && transactions.every((t) => t.ok);
    return { number: block.number, headerHash, dataHash, previousLink, ordererSignature, transactions, ok };
  }

  async verifyTransaction(tx: TransactionJson, trust: ChannelTrust | undefined): Promise<TransactionCheck> {
    if (tx.envelope === undefined) return this.#unreadable(tx.txId, NO_ENVELOPE);
    const text = envelopeText(tx);
    if (text === undefined) return this.#unreadable(tx.txId, failed('the envelope is not base64 UTF-8'));
    const envelope = parseTransactionEnvelope(text);
    if (envelope === undefined) return this.#unreadable(tx.txId, unreadableEnvelope(text));
    return this.#verifyEnvelope(envelope, tx.txId, trust);
  }

  /** The protocol's offline verifier, asked about the hash the user asked about (whatever the bundle says). */
  verifyProofBundle(bundle: ProofBundle, sha256: string): ProofVerdict {
    return verifyProofBundle({ ...bundle, query: { sha256 } });
  }

  #dataHash(block: BlockJson): Check {
    if (block.transactions.some((tx) => tx.envelope === undefined)) return NO_ENVELOPE;
    try {
      const envelopes = block.transactions.map((tx) => base64ToBytes(tx.envelope ?? ''));
      const computed =
        block.dataHashScheme === 'fabric' ? fabricDataHash(envelopes) : dataHashOfEnvelopes(envelopes);
      return equalCheck(computed, block.dataHash, 'data hash');
    } catch (error) {
      return failed(`the envelopes could not be read: ${String(error)}`);
    }
  }

  #previousLink(block: BlockJson, previous: BlockHeaderJson | undefined): Check {
    if (block.number === 0) {
      return block.previousHash === ZERO_HASH ? VERIFIED : failed('block 0 must have a zero previous hash');
    }
    if (!previous) return unchecked('the previous block was not loaded');
    if (previous.number !== block.number - 1)
      return failed(`block ${previous.number} is not the previous block`);
    return equalCheck(
      this.headerHash(previous, block.dataHashScheme),
      block.previousHash,
      'previous block hash',
    );
  }

  async #ordererSignature(block: BlockJson, trust: ChannelTrust | undefined): Promise<Check> {
    if (block.dataHashScheme === 'fabric') {
      return unchecked('Fabric block signatures (protobuf metadata) are not re-checked in the browser');
    }
    if (!trust) return NO_TRUST;
    const signature = block.signatures.find((s) => s.mspId === trust.ordererMspId);
    if (!signature) return failed(`no signature by the orderer organisation ${trust.ordererMspId}`);
    return this.#signedBy(trust, signature, utf8Encode(headerText(block)), trust.ordererMspId);
  }

  #unreadable(txId: string, reason: Check): TransactionCheck {
    return {
      txId,
      envelope: reason,
      txIdCheck: reason,
      creatorSignature: reason,
      endorsements: [],
      writes: [],
      ok: false,
    };
  }

  async #verifyEnvelope(
    envelope: EnvelopeJson,
    txId: string,
    trust: ChannelTrust | undefined,
  ): Promise<TransactionCheck> {
    if (envelope.type === 'config') return this.#verifyConfig(envelope, txId);
    const envelopeCheck =
      envelope.proposal.txId === txId
        ? VERIFIED
        : failed(`the envelope is transaction ${envelope.proposal.txId}, not ${txId}`);
    const { proposal } = envelope;
    const txIdCheck = this.#txId(envelope);
    const creatorSignature = await this.#signedBy(
      trust,
      { ...proposal.creator, signature: envelope.creatorSignature },
      utf8Encode(proposalText(proposal)),
    );
    const responseHash = transactionResponseHash(envelope);
    const endorsements = await Promise.all(
      envelope.endorsements.map(async (e) => ({
        mspId: e.mspId,
        certificate: e.certificate,
        check: await this.#signedBy(trust, e, endorsementMessage(e, responseHash)),
      })),
    );
    const parts = [envelopeCheck, txIdCheck, creatorSignature];
    return {
      txId,
      envelope: envelopeCheck,
      txIdCheck,
      creatorSignature,
      endorsements,
      writes: writesOf(envelope),
      ok: isVerifiedTransaction(parts, endorsements),
    };
  }

  #verifyConfig(envelope: ConfigTransactionJson, txId: string): TransactionCheck {
    const envelopeCheck = VERIFIED;
    const computed = configTransactionId(envelope.config);
    const txIdCheck =
      computed === envelope.txId && txId === envelope.txId
        ? VERIFIED
        : failed(`configuration transaction id re-computed as ${computed}`);
    return {
      txId,
      envelope: envelopeCheck,
      txIdCheck,
      creatorSignature: NOT_APPLICABLE,
      endorsements: [],
      writes: [],
      ok: passed(envelopeCheck) && passed(txIdCheck),
    };
  }

  #txId(envelope: EndorserTransactionJson): Check {
    try {
      const { nonce, creator, txId } = envelope.proposal;
      const computed = transactionId(base64ToBytes(nonce), creator.mspId, creator.certificate);
      return computed === txId ? VERIFIED : failed(`transaction id re-computed as ${computed}`);
    } catch (error) {
      return failed(`the nonce could not be read: ${String(error)}`);
    }
  }

  /**
   * Verified when the certificate was issued by the CA of `mspId` in the trust anchors (or, with
   * `expectedMspId`, of that organisation) and the low-S signature over `message` is by its key.
   */
  async #signedBy(
    trust: ChannelTrust | undefined,
    signer: { readonly mspId: string; readonly certificate: string; readonly signature: string },
    message: Uint8Array,
    expectedMspId?: string,
  ): Promise<Check> {
    if (!globalThis.crypto?.subtle) return NO_WEBCRYPTO;
    if (!trust) return NO_TRUST;
    if (expectedMspId !== undefined && signer.mspId !== expectedMspId) {
      return failed(`signed by ${signer.mspId}, expected ${expectedMspId}`);
    }
    const caPem = trust.caByMspId.get(signer.mspId);
    if (!caPem) return failed(`${signer.mspId} is not an organisation of the channel`);
    const issuance = await this.#issuedBy(signer.certificate, caPem);
    if (!passed(issuance)) return issuance;
    return this.#signatureCheck(signer.certificate, message, signer.signature);
  }

  async #signatureCheck(certificate: string, message: Uint8Array, signatureBase64: string): Promise<Check> {
    try {
      const signature = base64ToBytes(signatureBase64);
      if (!isLowSSignature(signature)) return failed('not a low-S DER ECDSA signature (Fabric refuses it)');
      const ok = await globalThis.crypto.subtle.verify(
        ECDSA_SHA256,
        await this.#publicKey(certificate),
        bufferSource(ecdsaDerToP1363(signature)),
        bufferSource(message),
      );
      return ok ? VERIFIED : failed('the signature does not match the signed bytes');
    } catch (error) {
      return failed(`the signature could not be checked: ${String(error)}`);
    }
  }

  #issuedBy(certificate: string, caCertificate: string): Promise<Check> {
    const key = `${caCertificate}\n${certificate}`;
    let verdict = this.#issuance.get(key);
    if (!verdict) {
      verdict = certificateIssuedBy(certificate, caCertificate);
      this.#issuance.set(key, verdict);
    }
    return verdict;
  }

  #certificate(pem: string): X509CertificateInfo {
    let cert = this.#certificates.get(pem);
    if (!cert) {
      cert = parseCertificate(pem);
      this.#certificates.set(pem, cert);
    }
    return cert;
  }

  #publicKey(certificate: string): Promise<CryptoKey> {
    let key = this.#keys.get(certificate);
    if (!key) {
      const cert = this.#certificate(certificate);
      key = globalThis.crypto.subtle.importKey('spki', bufferSource(cert.spki), ECDSA_P256, false, [
        'verify',
      ]);
      this.#keys.set(certificate, key);
    }
    return key;
  }
}

/**
 * Verified when the CA certificate `caPem` names the certificate's issuer and its key made the certificate's
 * ecdsa-with-SHA256 signature over the TBS part (RFC 5280 section 6.1.3, signature and name only).
 */
export async function certificateIssuedBy(certificatePem: string, caPem: string): Promise<Check> {
  try {
    const cert = parseCertificate(certificatePem);
    const ca = parseCertificate(caPem);
    if (cert.issuer !== ca.subject)
      return failed(`certificate issued by ${cert.issuer}, not by ${ca.subject}`);
    if (cert.signatureAlgorithm !== X509_OID.ecdsaWithSha256) {
      return unchecked(`certificate signature algorithm ${cert.signatureAlgorithm} is not checked here`);
    }
    const caKey = await globalThis.crypto.subtle.importKey('spki', bufferSource(ca.spki), ECDSA_P256, false, [
      'verify',
    ]);
    const ok = await globalThis.crypto.subtle.verify(
      ECDSA_SHA256,
      caKey,
      bufferSource(ecdsaDerToP1363(cert.signature)),
      bufferSource(cert.tbs),
    );
    return ok ? VERIFIED : failed(`the certificate ${cert.subject} was not signed by its organisation’s CA`);
  } catch (error) {
    return failed(`the certificate could not be read: ${String(error)}`);
  }
}
