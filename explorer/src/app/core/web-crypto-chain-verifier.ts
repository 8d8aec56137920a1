/**
 * The chain verifier the explorer runs: WebCrypto for ECDSA P-256, and the protocol package for everything
 * that says which bytes are hashed and signed (`block-format`: envelopes, response hash, endorsement message,
 * header text, data hash, transaction id), the same code the hub writes blocks with. Fabric-format blocks get
 * their header and data hashes checked, and each protobuf transaction envelope (the protocol's
 * `decodeFabricEnvelope`) its transaction id, creator signature, endorsements' proposal hash and signatures,
 * with certificates checked against the CAs of block 0's Fabric channel configuration, and its orderer
 * signatures over `signedPrefix ‖ BlockHeaderBytes(header)` when the hub sends the prefix (else reported as not
 * checked rather than shown as verified).
 */
import {
  type ChannelConfigJson,
  type ConfigTransactionJson,
  type EndorserTransactionJson,
  FABRIC_HEADER_TYPE,
  type FabricChannelConfig,
  type FabricEndorsedAction,
  type FabricEnvelope,
  type FabricIdentity,
  type ProofVerdict,
  type TransactionJson as EnvelopeJson,
  type X509CertificateInfo,
  X509_OID,
  ZERO_HASH,
  base64ToBytes,
  blockHash,
  bytesToHex,
  concatBytes,
  configTransactionId,
  dataHashOfEnvelopes,
  decodeFabricChannelConfig,
  decodeFabricEnvelope,
  ecdsaDerToP1363,
  endorsementMessage,
  fabricBlockHash,
  fabricBlockHeaderBytes,
  fabricDataHash,
  fabricEndorsementMessage,
  fabricProposalHash,
  fabricResponseProposalHash,
  fabricTransactionId,
  headerText,
  hexToBytes,
  isLowSSignature,
  parseCertificate,
  parseTransactionEnvelope,
  proposalText,
  transactionId,
  transactionResponseHash,
  utf8Encode,
  verifyProofBundle,
} from '@approval-ledger/protocol';
import {
  type BlockHeaderJson,
  type BlockJson,
  type ProofBundle,
  type BlockTransactionJson,
} from '@approval-ledger/protocol/api';
import {
  type BlockCheck,
  type ChainVerifier,
  type ChannelTrust,
  type Check,
  type EndorsementCheck,
  NOT_APPLICABLE,
  combineChecks,
  type OrganisationCas,
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
const FABRIC_NO_SIGNED_PREFIX = unchecked(
  'this Fabric block signature is not re-checked in the browser: it signs the block metadata bytes ' +
    '(Metadata.value ‖ signature header ‖ header), and the hub sent no signedPrefix with it',
);
const FABRIC_GENESIS_UNSIGNED: Check = {
  status: 'not-applicable',
  detail: 'block 0 of a Fabric channel (its configuration block) carries no orderer signature',
};
const ISSUER_UNCHECKED = unchecked(
  'the signature matches the certificate in the envelope, but who issued that certificate was not checked: ' +
    'no CA certificates for the channel (block 0’s configuration could not be read)',
);
/** The first byte of a JSON (embedded) envelope; a Fabric `Envelope` never starts with it (field 15, group). */
const JSON_OPEN_BRACE = 0x7b;
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

function envelopeText(tx: BlockTransactionJson): string | undefined {
  if (tx.envelope === undefined) return undefined;
  try {
    return base64ToText(tx.envelope);
  } catch {
    return undefined;
  }
}

/** The trust anchors of a Fabric channel configuration: every X.509 MSP's root and intermediate CAs. */
export function trustOfFabricConfig(config: FabricChannelConfig): ChannelTrust | undefined {
  const caByMspId = new Map<string, string>();
  const casByMspId = new Map<string, OrganisationCas>();
  for (const org of config.organisations) {
    const [first] = org.rootCertificates;
    if (first === undefined) continue;
    caByMspId.set(org.mspId, first);
    casByMspId.set(org.mspId, { roots: org.rootCertificates, intermediates: org.intermediateCertificates });
  }
  const ordererMspIds = [
    ...new Set(config.organisations.filter((o) => o.group === 'Orderer').map((o) => o.mspId)),
  ];
  if (caByMspId.size === 0) return undefined;
  return { caByMspId, casByMspId, ordererMspId: ordererMspIds[0] ?? '', ordererMspIds };
}

function fabricChannelTrust(genesis: BlockJson): ChannelTrust | undefined {
  const first = genesis.transactions[0];
  if (first?.envelope === undefined) return undefined;
  try {
    return trustOfFabricConfig(
      decodeFabricChannelConfig(decodeFabricEnvelope(base64ToBytes(first.envelope))),
    );
  } catch {
    return undefined;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Fabric's id = hex SHA-256(nonce ‖ creator); configuration transactions the orderer makes have none. */
function fabricTxIdCheck(envelope: FabricEnvelope, creator: FabricIdentity, isEndorser: boolean): Check {
  if (!isEndorser && envelope.channelHeader.txId === '') return NOT_APPLICABLE;
  const computed = fabricTransactionId(envelope.nonce, creator.serialized);
  return computed === envelope.channelHeader.txId
    ? VERIFIED
    : failed(`transaction id re-computed as ${computed}`);
}

/**
 * The endorsed response answers this transaction's proposal: its `proposal_hash` is SHA-256 of the channel
 * header, signature header and chaincode proposal payload, as Fabric's committer requires.
 */
function proposalBinding(envelope: FabricEnvelope, action: FabricEndorsedAction): Check {
  let claimed: string;
  try {
    claimed = bytesToHex(fabricResponseProposalHash(action.proposalResponsePayload));
  } catch (error) {
    return failed(`the endorsed response could not be read: ${errorText(error)}`);
  }
  const computed = bytesToHex(fabricProposalHash(envelope, action));
  return claimed === computed
    ? VERIFIED
    : failed(
        `the endorsed response is for another proposal (proposal hash ${claimed}, this one ${computed})`,
      );
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
    if (genesis.dataHashScheme === 'fabric') return fabricChannelTrust(genesis);
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

  /**
   * An embedded envelope (canonical JSON, first byte `{`) or a Fabric protobuf `Envelope` (anything else:
   * one that cannot be read as either fails).
   */
  async verifyTransaction(
    tx: BlockTransactionJson,
    trust: ChannelTrust | undefined,
  ): Promise<TransactionCheck> {
    if (tx.envelope === undefined) return this.#unreadable(tx.txId, NO_ENVELOPE);
    let bytes: Uint8Array;
    try {
      bytes = base64ToBytes(tx.envelope);
    } catch {
      return this.#unreadable(tx.txId, failed('the envelope is not base64'));
    }
    if (bytes[0] !== JSON_OPEN_BRACE) return this.#verifyFabricEnvelope(bytes, tx.txId, trust);
    const text = envelopeText(tx);
    if (text === undefined) return this.#unreadable(tx.txId, failed('the envelope is not UTF-8 JSON'));
    const envelope = parseTransactionEnvelope(text);
    if (envelope === undefined) {
      return this.#unreadable(
        tx.txId,
        failed('the envelope is not a transaction in canonical JSON form (its bytes were altered)'),
      );
    }
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
    if (block.dataHashScheme === 'fabric') return this.#fabricBlockSignatures(block, trust);
    if (!trust) return NO_TRUST;
    const signature = block.signatures.find((s) => s.mspId === trust.ordererMspId);
    if (!signature) return failed(`no signature by the orderer organisation ${trust.ordererMspId}`);
    return this.#signedBy(trust, signature, utf8Encode(headerText(block)), trust.ordererMspId);
  }

  /**
   * Every orderer signature in a Fabric block's SIGNATURES metadata must verify (block 0, made by configtxgen,
   * has none and needs none: it is the channel's trust anchor); the weakest verdict is the block's.
   */
  async #fabricBlockSignatures(block: BlockJson, trust: ChannelTrust | undefined): Promise<Check> {
    if (block.signatures.length === 0) {
      return block.number === 0 ? FABRIC_GENESIS_UNSIGNED : failed('the block carries no orderer signature');
    }
    const checks = await Promise.all(
      block.signatures.map(async (s) => {
        const check = await this.#fabricBlockSignature(block, s, trust);
        return block.signatures.length > 1 && check.detail
          ? { ...check, detail: `signature by ${s.mspId}: ${check.detail}` }
          : check;
      }),
    );
    return combineChecks(checks);
  }

  /**
   * One orderer signature: ECDSA P-256 over `signedPrefix ‖ BlockHeaderBytes(number, previousHash, dataHash)`
   * (Fabric's `BlockSignatureVerifier`), by a certificate a CA of an orderer organisation of block 0 issued.
   */
  async #fabricBlockSignature(
    block: BlockJson,
    signature: BlockJson['signatures'][number],
    trust: ChannelTrust | undefined,
  ): Promise<Check> {
    if (signature.signedPrefix === undefined) return FABRIC_NO_SIGNED_PREFIX;
    if (!globalThis.crypto?.subtle) return NO_WEBCRYPTO;
    if (!trust) return NO_TRUST;
    const orderers = trust.ordererMspIds ?? [trust.ordererMspId];
    if (!orderers.includes(signature.mspId)) {
      return failed(
        `signed by ${signature.mspId}, which is not an orderer organisation of the channel (${orderers.join(', ') || 'none'})`,
      );
    }
    let message: Uint8Array;
    try {
      message = concatBytes(
        base64ToBytes(signature.signedPrefix),
        fabricBlockHeaderBytes(block.number, hexToBytes(block.previousHash), hexToBytes(block.dataHash)),
      );
    } catch (error) {
      return failed(`the signed block bytes could not be assembled: ${errorText(error)}`);
    }
    return this.#signedBy(trust, signature, message);
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

  async #verifyFabricEnvelope(
    bytes: Uint8Array,
    txId: string,
    trust: ChannelTrust | undefined,
  ): Promise<TransactionCheck> {
    let envelope: FabricEnvelope;
    try {
      envelope = decodeFabricEnvelope(bytes);
    } catch (error) {
      return this.#unreadable(
        txId,
        failed(`the envelope is neither canonical JSON nor a readable Fabric envelope: ${errorText(error)}`),
      );
    }
    const { channelHeader, creator } = envelope;
    const envelopeCheck =
      channelHeader.txId === txId
        ? VERIFIED
        : failed(`the envelope is transaction ${channelHeader.txId || '(no id)'}, not ${txId}`);
    const isEndorser = channelHeader.type === FABRIC_HEADER_TYPE.ENDORSER_TRANSACTION;
    if (!isEndorser && !creator && envelope.signature.length === 0 && channelHeader.txId === '') {
      // A configuration block made by configtxgen (block 0): no creator, no signature, no transaction id.
      return this.#result(txId, [envelopeCheck, NOT_APPLICABLE, NOT_APPLICABLE], [], false);
    }
    if (!creator) {
      const none = failed('the envelope names no creator, so its signature cannot be checked');
      return this.#result(txId, [envelopeCheck, none, none], [], isEndorser);
    }
    const txIdCheck = fabricTxIdCheck(envelope, creator, isEndorser);
    const creatorSignature = await this.#fabricSignedBy(trust, creator, envelope.signature, envelope.payload);
    const endorsements = (
      await Promise.all(envelope.actions.map((action) => this.#fabricEndorsements(trust, envelope, action)))
    ).flat();
    return this.#result(txId, [envelopeCheck, txIdCheck, creatorSignature], endorsements, isEndorser);
  }

  /** Each endorsement of an action: its response must answer this proposal, and be signed by the endorser. */
  async #fabricEndorsements(
    trust: ChannelTrust | undefined,
    envelope: FabricEnvelope,
    action: FabricEndorsedAction,
  ): Promise<EndorsementCheck[]> {
    const binding = proposalBinding(envelope, action);
    return Promise.all(
      action.endorsements.map(async (e) => ({
        mspId: e.endorser.mspId,
        certificate: e.endorser.certificate,
        check: passed(binding)
          ? await this.#fabricSignedBy(trust, e.endorser, e.signature, fabricEndorsementMessage(action, e))
          : binding,
      })),
    );
  }

  #result(
    txId: string,
    [envelope, txIdCheck, creatorSignature]: readonly [Check, Check, Check],
    endorsements: readonly EndorsementCheck[],
    needsEndorsements: boolean,
  ): TransactionCheck {
    const parts = [envelope, txIdCheck, creatorSignature];
    return {
      txId,
      envelope,
      txIdCheck,
      creatorSignature,
      endorsements,
      writes: [],
      ok: needsEndorsements ? isVerifiedTransaction(parts, endorsements) : parts.every(passed),
    };
  }

  /**
   * A Fabric identity's signature: with the channel's CAs, as `#signedBy`; without them, the signature is
   * still checked against the certificate in the envelope, but the result stays unchecked (issuer unknown).
   */
  async #fabricSignedBy(
    trust: ChannelTrust | undefined,
    identity: FabricIdentity,
    signature: Uint8Array,
    message: Uint8Array,
  ): Promise<Check> {
    if (!globalThis.crypto?.subtle) return NO_WEBCRYPTO;
    if (!trust) {
      const check = await this.#signatureCheck(identity.certificate, message, signature);
      return passed(check) ? ISSUER_UNCHECKED : check;
    }
    return this.#signedBy(trust, { ...identity, signature }, message);
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
    signer: {
      readonly mspId: string;
      readonly certificate: string;
      /** DER, or base64 of it. */
      readonly signature: string | Uint8Array;
    },
    message: Uint8Array,
    expectedMspId?: string,
  ): Promise<Check> {
    if (!globalThis.crypto?.subtle) return NO_WEBCRYPTO;
    if (!trust) return NO_TRUST;
    if (expectedMspId !== undefined && signer.mspId !== expectedMspId) {
      return failed(`signed by ${signer.mspId}, expected ${expectedMspId}`);
    }
    const issuance = await this.#issuedByOrganisation(signer.certificate, trust, signer.mspId);
    if (!passed(issuance)) return issuance;
    return this.#signatureCheck(signer.certificate, message, signer.signature);
  }

  /**
   * Verified when a CA of the organisation `mspId` issued the certificate: one of its root CAs directly, or
   * one of its intermediate CAs that a root CA issued.
   */
  async #issuedByOrganisation(certificate: string, trust: ChannelTrust, mspId: string): Promise<Check> {
    const firstCa = trust.caByMspId.get(mspId);
    const cas = trust.casByMspId?.get(mspId) ?? { roots: firstCa ? [firstCa] : [], intermediates: [] };
    const [onlyRoot, ...otherRoots] = cas.roots;
    if (onlyRoot === undefined) return failed(`${mspId} is not an organisation of the channel`);
    if (otherRoots.length === 0 && cas.intermediates.length === 0) {
      return this.#issuedBy(certificate, onlyRoot);
    }
    let issuer: string;
    try {
      issuer = this.#certificate(certificate).issuer;
    } catch (error) {
      return failed(`the certificate could not be read: ${errorText(error)}`);
    }
    const root = cas.roots.find((pem) => this.#subjectIs(pem, issuer));
    if (root !== undefined) return this.#issuedBy(certificate, root);
    return this.#issuedByIntermediate(certificate, issuer, cas, mspId);
  }

  async #issuedByIntermediate(
    certificate: string,
    issuer: string,
    cas: OrganisationCas,
    mspId: string,
  ): Promise<Check> {
    const intermediate = cas.intermediates.find((pem) => this.#subjectIs(pem, issuer));
    if (intermediate === undefined) return failed(`certificate issued by ${issuer}, not by a CA of ${mspId}`);
    const byIntermediate = await this.#issuedBy(certificate, intermediate);
    if (!passed(byIntermediate)) return byIntermediate;
    const rootName = this.#certificate(intermediate).issuer;
    const root = cas.roots.find((pem) => this.#subjectIs(pem, rootName));
    if (root === undefined)
      return failed(`the intermediate CA ${issuer} was not issued by a root CA of ${mspId}`);
    return this.#issuedBy(intermediate, root);
  }

  #subjectIs(pem: string, name: string): boolean {
    try {
      return this.#certificate(pem).subject === name;
    } catch {
      return false;
    }
  }

  async #signatureCheck(
    certificate: string,
    message: Uint8Array,
    signatureDerOrBase64: string | Uint8Array,
  ): Promise<Check> {
    try {
      const signature =
        typeof signatureDerOrBase64 === 'string' ? base64ToBytes(signatureDerOrBase64) : signatureDerOrBase64;
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
