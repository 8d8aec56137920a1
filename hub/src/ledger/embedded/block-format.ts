/**
 * The embedded ledger's block and transaction formats, and exactly which bytes are hashed and signed. Pure:
 * canonical JSON (RFC 8785), SHA-256 and RFC 6962 Merkle roots from the protocol package, nothing else, so
 * the explorer can re-check the same bytes in a browser. See `../README.md` ("Block and transaction formats").
 *
 * - proposal hash      = SHA-256(canonical(proposal))
 * - creator signature  = ECDSA P-256/SHA-256 over canonical(proposal)
 * - response hash      = SHA-256(canonical({proposalHash, response, rwset, event}))
 * - endorsement        = ECDSA P-256/SHA-256 over canonical({endorser: {mspId, certificate}, responseHash})
 * - data hash          = RFC 6962 Merkle root over canonical(envelope) of each transaction, in block order
 * - block hash         = SHA-256(canonical(header)), header = {number, previousHash, dataHash}
 * - orderer signature  = ECDSA P-256/SHA-256 over canonical(header)
 * - commit hash        = SHA-256(canonical({previousCommitHash, blockHash, validationCodes}))
 * All hashes are lower-case hex; signatures are DER with low S, base64; byte strings in JSON are base64.
 */
import { bytesToHex, canonicalize, merkleRoot, sha256Hex, utf8Encode } from '@approval-ledger/protocol';

export const BLOCK_FORMAT = 'approval-ledger/embedded-block@1';
/** previousHash of block 0, and previousCommitHash of block 0. */
export const ZERO_HASH = '0'.repeat(64);

export interface TimestampJson {
  readonly seconds: number;
  readonly nanos: number;
}

export interface IdentityJson {
  readonly mspId: string;
  /** PEM X.509 certificate. */
  readonly certificate: string;
}

export interface SignatureJson extends IdentityJson {
  /** base64 of the DER ECDSA signature. */
  readonly signature: string;
}

/** What the client asks for; signed by the creator. */
export interface ProposalJson {
  readonly channel: string;
  readonly chaincode: string;
  /** hex SHA-256(nonce || msp.SerializedIdentity{mspid, id_bytes = certificate PEM}), as Fabric derives it. */
  readonly txId: string;
  /** base64 of the 24 random nonce bytes. */
  readonly nonce: string;
  readonly timestamp: TimestampJson;
  readonly creator: IdentityJson;
  /** `contract:Transaction`. */
  readonly function: string;
  readonly args: readonly string[];
}

export interface ResponseJson {
  readonly status: number;
  readonly message: string;
  /** base64. */
  readonly payload: string;
}

export interface VersionJson {
  readonly blockNum: number;
  readonly txNum: number;
}

export interface ReadJson {
  readonly key: string;
  readonly version: VersionJson | null;
}

export interface RwSetJson {
  readonly reads: readonly ReadJson[];
  readonly rangeQueries: readonly {
    readonly startKey: string;
    readonly endKey: string;
    readonly itrExhausted: boolean;
    readonly reads: readonly ReadJson[];
  }[];
  readonly writes: readonly { readonly key: string; readonly isDelete: boolean; readonly value: string }[];
  readonly metadataWrites: readonly {
    readonly key: string;
    readonly entries: Readonly<Record<string, string>> | null;
  }[];
}

export interface EventJson {
  readonly name: string;
  /** base64. */
  readonly payload: string;
}

export interface EndorserTransactionJson {
  readonly type: 'endorser';
  readonly proposal: ProposalJson;
  readonly creatorSignature: string;
  readonly response: ResponseJson;
  readonly rwset: RwSetJson;
  readonly event: EventJson | null;
  readonly endorsements: readonly SignatureJson[];
}

export interface OrganisationConfigJson {
  readonly mspId: string;
  readonly region: string;
  readonly caCertificate: string;
  readonly peerCertificate: string;
}

export interface ChannelConfigJson {
  readonly format: typeof BLOCK_FORMAT;
  readonly channel: string;
  readonly chaincode: string;
  readonly organisations: readonly OrganisationConfigJson[];
  readonly orderer: { readonly mspId: string; readonly caCertificate: string; readonly certificate: string };
}

/** Block 0's one transaction: the channel configuration (the trust anchors of every later signature). */
export interface ConfigTransactionJson {
  readonly type: 'config';
  /** hex SHA-256(canonical(config)). */
  readonly txId: string;
  readonly timestamp: TimestampJson;
  readonly config: ChannelConfigJson;
}

export type TransactionJson = EndorserTransactionJson | ConfigTransactionJson;

export interface BlockHeaderJson {
  readonly number: number;
  readonly previousHash: string;
  readonly dataHash: string;
}

export interface BlockMetadataJson {
  /** The orderer's signature over canonical(header). */
  readonly signature: SignatureJson;
  /** One Fabric validation code name per transaction, in block order. */
  readonly validationCodes: readonly string[];
  readonly commitHash: string;
}

export interface BlockJson {
  readonly header: BlockHeaderJson;
  readonly hash: string;
  readonly data: readonly TransactionJson[];
  readonly metadata: BlockMetadataJson;
}

/**
 * The canonical text of an object whose member values are already canonical texts: the same result as
 * canonicalize() on the parsed values (RFC 8785 is compositional), without walking them again.
 */
export function canonicalObjectOfTexts(members: Readonly<Record<string, string>>): string {
  const keys = Object.keys(members).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${members[k]}`).join(',')}}`;
}

export function proposalHash(proposalText: string): string {
  return sha256Hex(proposalText);
}

/** The text the creator signs: canonical(proposal). */
export function proposalText(proposal: ProposalJson): string {
  return canonicalize(proposal);
}

/** SHA-256 of canonical({proposalHash, response, rwset, event}), from their canonical texts. */
export function responseHash(parts: {
  proposalHash: string;
  responseText: string;
  rwsetText: string;
  eventText: string;
}): string {
  return sha256Hex(
    canonicalObjectOfTexts({
      proposalHash: JSON.stringify(parts.proposalHash),
      response: parts.responseText,
      rwset: parts.rwsetText,
      event: parts.eventText,
    }),
  );
}

/** The bytes an endorser signs. */
export function endorsementMessage(endorser: IdentityJson, responseHashHex: string): Uint8Array {
  return utf8Encode(
    canonicalize({
      endorser: { mspId: endorser.mspId, certificate: endorser.certificate },
      responseHash: responseHashHex,
    }),
  );
}

/** The canonical text of an endorser transaction, assembled from the canonical texts of its parts. */
export function endorserTransactionText(parts: {
  proposalText: string;
  creatorSignature: string;
  responseText: string;
  rwsetText: string;
  eventText: string;
  endorsements: readonly SignatureJson[];
}): string {
  return canonicalObjectOfTexts({
    type: '"endorser"',
    proposal: parts.proposalText,
    creatorSignature: JSON.stringify(parts.creatorSignature),
    response: parts.responseText,
    rwset: parts.rwsetText,
    event: parts.eventText,
    endorsements: canonicalize(parts.endorsements),
  });
}

/** The data hash of a block: RFC 6962 Merkle root over the UTF-8 bytes of each canonical envelope. */
export function dataHash(envelopeTexts: readonly string[]): string {
  return bytesToHex(merkleRoot(envelopeTexts.map((t) => utf8Encode(t))));
}

export function headerText(header: BlockHeaderJson): string {
  return canonicalize({
    number: header.number,
    previousHash: header.previousHash,
    dataHash: header.dataHash,
  });
}

export function blockHash(header: BlockHeaderJson): string {
  return sha256Hex(headerText(header));
}

export function commitHash(
  previousCommitHash: string,
  blockHashHex: string,
  validationCodes: readonly string[],
): string {
  return sha256Hex(canonicalize({ previousCommitHash, blockHash: blockHashHex, validationCodes }));
}

export function configTransactionId(config: ChannelConfigJson): string {
  return sha256Hex(canonicalize(config));
}

/**
 * Fabric's `msp.SerializedIdentity` protobuf bytes: field 1 (mspid, string) and field 2 (id_bytes: the PEM
 * certificate), each as tag, varint length, UTF-8 bytes. Written out so a browser can re-derive transaction ids.
 */
export function serializedIdentity(mspId: string, certificatePem: string): Uint8Array {
  const field = (tag: number, value: Uint8Array): number[] => [tag, ...varint(value.length), ...value];
  return new Uint8Array([...field(0x0a, utf8Encode(mspId)), ...field(0x12, utf8Encode(certificatePem))]);
}

function varint(n: number): number[] {
  const out: number[] = [];
  let rest = n;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}

/** Fabric's transaction id: hex SHA-256(nonce || SerializedIdentity(mspId, certificate)). */
export function transactionId(nonce: Uint8Array, mspId: string, certificatePem: string): string {
  const identity = serializedIdentity(mspId, certificatePem);
  const bytes = new Uint8Array(nonce.length + identity.length);
  bytes.set(nonce, 0);
  bytes.set(identity, nonce.length);
  return sha256Hex(bytes);
}

/** ISO 8601 UTC text of a proposal timestamp, keeping nanoseconds (`2025-03-06T08:30:00.123456789Z`). */
export function timestampIso(ts: TimestampJson): string {
  const whole = new Date(ts.seconds * 1000).toISOString().slice(0, 19);
  return `${whole}.${String(ts.nanos).padStart(9, '0')}Z`;
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
