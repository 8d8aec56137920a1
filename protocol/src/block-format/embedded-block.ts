/**
 * The embedded ledger's block and transaction formats (`approval-ledger/embedded-block@1`): the one
 * definition of exactly which bytes are hashed and signed, used by the hub that writes blocks, the proof
 * verifier and the explorer that re-checks them in a browser. Pure: canonical JSON (RFC 8785), SHA-256 and
 * RFC 6962 Merkle roots, nothing Node-only (a host may register a native SHA-256 with `useSha256`).
 *
 * - proposal hash      = SHA-256(canonical(proposal))
 * - creator signature  = ECDSA P-256/SHA-256 over canonical(proposal)
 * - transaction id     = hex SHA-256(nonce || msp.SerializedIdentity{mspid, id_bytes = certificate PEM})
 * - response hash      = SHA-256(canonical({proposalHash, response, rwset, event}))
 * - endorsement        = ECDSA P-256/SHA-256 over canonical({endorser: {mspId, certificate}, responseHash})
 * - envelope           = canonical(transaction), UTF-8: the Merkle leaf
 * - data hash          = RFC 6962 Merkle root over the envelopes, in block order
 * - block hash         = SHA-256(canonical(header)), header = {number, previousHash, dataHash}
 * - orderer signature  = ECDSA P-256/SHA-256 over canonical(header)
 * - commit hash        = SHA-256(canonical({previousCommitHash, blockHash, validationCodes}))
 * All hashes are lower-case hex; signatures are DER with low S, base64; byte strings in JSON are base64.
 *
 * That is the `intl` crypto suite. A chain whose channel configuration names `suite: "gm"` (国密) is the same
 * format with SM3 wherever SHA-256 stands above (Merkle tree included) and SM2 signatures (with SM3 and the
 * signer's Z_A over the default user ID; SM2 has no low-S rule: n − s is not a valid SM2 signature). Every hash
 * function below takes the chain's suite as its last argument, `intl` when none is given; block 0 fixes it for
 * the whole chain (`suiteOfConfig`).
 */
import { bytesToHex, utf8Encode } from '../bytes.js';
import { canonicalize } from '../canonical-json.js';
import { merkleRoot } from '../merkle.js';
import {
  type CryptoSuiteName,
  CRYPTO_SUITE_NAMES,
  requireSuite,
  SUITES,
  type SuiteAlgorithms,
} from '../verify/crypto-suite.js';

const INTL = SUITES.intl;

/** Lower-case hex digest of one text or byte string under a suite. */
function hexDigest(data: string | Uint8Array, suite: SuiteAlgorithms): string {
  return bytesToHex(suite.digest([data]));
}

export const EMBEDDED_BLOCK_FORMAT = 'approval-ledger/embedded-block@1';
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
  /** Values in base64. */
  readonly writes: readonly { readonly key: string; readonly isDelete: boolean; readonly value: string }[];
  readonly metadataWrites: readonly {
    readonly key: string;
    readonly entries: Readonly<Record<string, string>> | null;
  }[];
  /** Reads of read-only chaincode-to-chaincode calls, per called namespace; absent when there were none. */
  readonly calledNamespaces?: readonly {
    readonly namespace: string;
    readonly reads: readonly ReadJson[];
    readonly rangeQueries: RwSetJson['rangeQueries'];
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
  readonly format: typeof EMBEDDED_BLOCK_FORMAT;
  /**
   * The crypto suite of the whole chain (every hash and signature of every block); absent for `intl`, so chains
   * made before the 国密 suite existed read as what they are.
   */
  readonly suite?: CryptoSuiteName;
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
  return canonicalObjectParts(members).join('');
}

/**
 * The pieces of {@link canonicalObjectOfTexts} in order, so the text can be hashed without joining several
 * megabytes first. Every piece is a whole member text or punctuation, so no surrogate pair is split.
 */
function canonicalObjectParts(members: Readonly<Record<string, string>>): string[] {
  const parts: string[] = [];
  for (const key of Object.keys(members).sort()) {
    parts.push(`${parts.length === 0 ? '{' : ','}${JSON.stringify(key)}:`, members[key] as string);
  }
  parts.push(parts.length === 0 ? '{}' : '}');
  return parts;
}

export function proposalHash(proposalText: string, suite: SuiteAlgorithms = INTL): string {
  return hexDigest(proposalText, suite);
}

/** The text the creator signs: canonical(proposal). */
export function proposalText(proposal: ProposalJson): string {
  return canonicalize(proposal);
}

/** SHA-256 of canonical({proposalHash, response, rwset, event}), from their canonical texts. */
export function responseHash(
  parts: {
    proposalHash: string;
    responseText: string;
    rwsetText: string;
    eventText: string;
  },
  suite: SuiteAlgorithms = INTL,
): string {
  const digest = suite.digest(
    canonicalObjectParts({
      proposalHash: JSON.stringify(parts.proposalHash),
      response: parts.responseText,
      rwset: parts.rwsetText,
      event: parts.eventText,
    }),
  );
  return bytesToHex(digest);
}

/** The response hash of a parsed endorser transaction (what every endorser signed, with its identity). */
export function transactionResponseHash(tx: EndorserTransactionJson, suite: SuiteAlgorithms = INTL): string {
  return responseHash(
    {
      proposalHash: proposalHash(proposalText(tx.proposal), suite),
      responseText: canonicalize(tx.response),
      rwsetText: canonicalize(tx.rwset),
      eventText: canonicalize(tx.event),
    },
    suite,
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

/** The parts of an endorser transaction, as canonical texts (the proposal's is the one its creator signed). */
export interface EndorserTransactionParts {
  readonly proposalText: string;
  readonly creatorSignature: string;
  readonly responseText: string;
  readonly rwsetText: string;
  readonly eventText: string;
  readonly endorsements: readonly SignatureJson[];
}

function endorserMembers(parts: EndorserTransactionParts): Record<string, string> {
  return {
    type: '"endorser"',
    proposal: parts.proposalText,
    creatorSignature: JSON.stringify(parts.creatorSignature),
    response: parts.responseText,
    rwset: parts.rwsetText,
    event: parts.eventText,
    endorsements: canonicalize(parts.endorsements),
  };
}

/** The canonical text of an endorser transaction, assembled from the canonical texts of its parts. */
export function endorserTransactionText(parts: EndorserTransactionParts): string {
  return canonicalObjectOfTexts(endorserMembers(parts));
}

/**
 * {@link endorserTransactionText}, and where the proposal's text starts in it: canonical member order puts
 * `creatorSignature`, `endorsements` and `event` before `proposal`, so `text.slice(proposalAt, proposalAt +
 * proposalText.length)` is the proposal's text. A holder of the envelope text can take the proposal as that
 * slice instead of keeping (or sending) a second copy.
 */
export function endorserTransactionTextAt(parts: EndorserTransactionParts): {
  readonly text: string;
  readonly proposalAt: number;
} {
  const members = endorserMembers(parts);
  const pieces = canonicalObjectParts(members);
  // pieces alternate: `{"key":` (or `,"key":`), the member's text, ...; the proposal's text is piece 2k + 1
  const before = 2 * Object.keys(members).sort().indexOf('proposal') + 1;
  let proposalAt = 0;
  for (let i = 0; i < before; i++) proposalAt += (pieces[i] as string).length;
  return { text: pieces.join(''), proposalAt };
}

/** The envelope text of a parsed transaction: canonical(transaction); its UTF-8 bytes are the Merkle leaf. */
export function transactionEnvelopeText(tx: TransactionJson): string {
  return canonicalize(tx);
}

/**
 * The transaction in an envelope's UTF-8 text, when the text is exactly its canonical form; undefined for
 * anything else (not JSON, not a transaction, or not canonical, so its bytes would hash differently).
 */
export function parseTransactionEnvelope(text: string): TransactionJson | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const type = (value as { type?: unknown }).type;
  if (type !== 'endorser' && type !== 'config') return undefined;
  try {
    return canonicalize(value) === text ? (value as TransactionJson) : undefined;
  } catch {
    return undefined;
  }
}

/** The data hash of a block: RFC 6962 Merkle root over the UTF-8 bytes of each canonical envelope. */
export function dataHash(envelopeTexts: readonly string[], suite: SuiteAlgorithms = INTL): string {
  return bytesToHex(merkleRoot(envelopeTexts, suite.digest));
}

/** The data hash over the envelopes' exact bytes (as a reader receives them). */
export function dataHashOfEnvelopes(envelopes: readonly Uint8Array[], suite: SuiteAlgorithms = INTL): string {
  return bytesToHex(merkleRoot(envelopes, suite.digest));
}

/** The text the orderer signs and whose SHA-256 is the block hash. */
export function headerText(header: BlockHeaderJson): string {
  return canonicalize({
    number: header.number,
    previousHash: header.previousHash,
    dataHash: header.dataHash,
  });
}

export function blockHash(header: BlockHeaderJson, suite: SuiteAlgorithms = INTL): string {
  return hexDigest(headerText(header), suite);
}

export function commitHash(
  previousCommitHash: string,
  blockHashHex: string,
  validationCodes: readonly string[],
  suite: SuiteAlgorithms = INTL,
): string {
  return hexDigest(canonicalize({ previousCommitHash, blockHash: blockHashHex, validationCodes }), suite);
}

/** The configuration transaction's id: the digest of canonical(config) under the suite the config names. */
export function configTransactionId(config: ChannelConfigJson): string {
  return hexDigest(canonicalize(config), suiteOfConfig(config));
}

/**
 * The suite a channel configuration fixes for its chain, if it is one of `accepted` (every suite this package
 * knows, unless a verifier says otherwise); {@link SuiteNotAcceptedError} otherwise, naming the field.
 */
export function suiteOfConfig(
  config: Pick<ChannelConfigJson, 'suite'>,
  accepted: readonly CryptoSuiteName[] = CRYPTO_SUITE_NAMES,
): SuiteAlgorithms {
  return requireSuite(config.suite, accepted, 'channel configuration (block 0) suite');
}

/**
 * Fabric's `msp.SerializedIdentity` protobuf bytes: field 1 (mspid, string) and field 2 (id_bytes: the PEM
 * certificate), each as tag, varint length, UTF-8 bytes. Written out so a browser can re-derive transaction ids.
 */
export function serializedIdentity(mspId: string, certificatePem: string): Uint8Array {
  const msp = utf8Encode(mspId);
  const certificate = utf8Encode(certificatePem);
  const mspLength = varint(msp.length);
  const certificateLength = varint(certificate.length);
  // written into one buffer: spreading the certificate's bytes into arrays cost about 20 KB per call
  const out = new Uint8Array(
    2 + mspLength.length + msp.length + certificateLength.length + certificate.length,
  );
  let at = 0;
  for (const [tag, length, value] of [
    [0x0a, mspLength, msp],
    [0x12, certificateLength, certificate],
  ] as const) {
    out[at++] = tag;
    out.set(length, at);
    at += length.length;
    out.set(value, at);
    at += value.length;
  }
  return out;
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

/**
 * Fabric's transaction id: hex SHA-256(nonce || SerializedIdentity(mspId, certificate)); SM3 in a `gm` chain.
 */
export function transactionId(
  nonce: Uint8Array,
  mspId: string,
  certificatePem: string,
  suite: SuiteAlgorithms = INTL,
): string {
  const identity = serializedIdentity(mspId, certificatePem);
  const bytes = new Uint8Array(nonce.length + identity.length);
  bytes.set(nonce, 0);
  bytes.set(identity, nonce.length);
  return hexDigest(bytes, suite);
}

/** ISO 8601 UTC text of a proposal timestamp, keeping nanoseconds (`2025-03-06T08:30:00.123456789Z`). */
export function timestampIso(ts: TimestampJson): string {
  const whole = new Date(ts.seconds * 1000).toISOString().slice(0, 19);
  return `${whole}.${String(ts.nanos).padStart(9, '0')}Z`;
}

/** Seconds and nanoseconds of a proposal timestamp as a Date (millisecond precision). */
export function timestampDate(ts: TimestampJson): Date {
  return new Date(ts.seconds * 1000 + Math.floor(ts.nanos / 1_000_000));
}
