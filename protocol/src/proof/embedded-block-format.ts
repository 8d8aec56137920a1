/**
 * What the embedded ledger hashes and signs (format `approval-ledger/embedded-block@1`, see
 * hub/src/ledger/README.md), restated here so that a proof can be checked anywhere without the hub:
 *
 * - proposal hash      = SHA-256(canonical(proposal)); the creator signs canonical(proposal)
 * - transaction id     = SHA-256(nonce || protobuf msp.SerializedIdentity{mspid, id_bytes = certificate PEM})
 * - response hash      = SHA-256(canonical({proposalHash, response, rwset, event}))
 * - endorsement        = signature over canonical({endorser: {mspId, certificate}, responseHash})
 * - data hash          = RFC 6962 Merkle root over the UTF-8 bytes of each canonical transaction envelope
 * - block hash         = SHA-256(canonical({number, previousHash, dataHash})); the orderer signs the same text
 * Signatures are ECDSA P-256 / SHA-256, DER with low S, base64 in JSON.
 */
import { canonicalize } from '../canonical-json.js';
import { utf8Encode } from '../bytes.js';
import { sha256Hex } from '../sha256.js';

export const EMBEDDED_BLOCK_FORMAT = 'approval-ledger/embedded-block@1';
export const ZERO_HASH = '0'.repeat(64);

export interface BlockHeader {
  readonly number: number;
  readonly previousHash: string;
  readonly dataHash: string;
}

export interface IdentityJson {
  readonly mspId: string;
  readonly certificate: string;
}

export interface SignatureJson extends IdentityJson {
  readonly signature: string;
}

export interface ProposalJson {
  readonly channel: string;
  readonly chaincode: string;
  readonly txId: string;
  readonly nonce: string;
  readonly timestamp: { readonly seconds: number; readonly nanos: number };
  readonly creator: IdentityJson;
  readonly function: string;
  readonly args: readonly string[];
}

export interface EndorserTransactionJson {
  readonly type: 'endorser';
  readonly proposal: ProposalJson;
  readonly creatorSignature: string;
  readonly response: { readonly status: number; readonly message: string; readonly payload: string };
  readonly rwset: unknown;
  readonly event: { readonly name: string; readonly payload: string } | null;
  readonly endorsements: readonly SignatureJson[];
}

export interface ChannelConfigJson {
  readonly format: string;
  readonly channel: string;
  readonly chaincode: string;
  readonly organisations: readonly {
    readonly mspId: string;
    readonly region: string;
    readonly caCertificate: string;
    readonly peerCertificate: string;
  }[];
  readonly orderer: { readonly mspId: string; readonly caCertificate: string; readonly certificate: string };
}

export interface ConfigTransactionJson {
  readonly type: 'config';
  readonly txId: string;
  readonly timestamp: { readonly seconds: number; readonly nanos: number };
  readonly config: ChannelConfigJson;
}

/** The text the orderer signs and whose SHA-256 is the block hash. */
export function headerText(header: BlockHeader): string {
  return canonicalize({
    number: header.number,
    previousHash: header.previousHash,
    dataHash: header.dataHash,
  });
}

export function blockHash(header: BlockHeader): string {
  return sha256Hex(headerText(header));
}

export function responseHash(tx: EndorserTransactionJson): string {
  return sha256Hex(
    canonicalize({
      proposalHash: sha256Hex(canonicalize(tx.proposal)),
      response: tx.response,
      rwset: tx.rwset,
      event: tx.event,
    }),
  );
}

export function endorsementMessage(endorser: IdentityJson, responseHashHex: string): Uint8Array {
  return utf8Encode(
    canonicalize({
      endorser: { mspId: endorser.mspId, certificate: endorser.certificate },
      responseHash: responseHashHex,
    }),
  );
}

/** Fabric's transaction id: SHA-256 of the nonce followed by the serialized creator identity. */
export function transactionId(nonce: Uint8Array, mspId: string, certificatePem: string): string {
  const identity = concat([
    protobufField(1, utf8Encode(mspId)),
    protobufField(2, utf8Encode(certificatePem)),
  ]);
  return sha256Hex(concat([nonce, identity]));
}

export function configTransactionId(config: ChannelConfigJson): string {
  return sha256Hex(canonicalize(config));
}

/** Seconds and nanoseconds of a proposal timestamp as a Date (millisecond precision). */
export function timestampDate(ts: { readonly seconds: number; readonly nanos: number }): Date {
  return new Date(ts.seconds * 1000 + Math.floor(ts.nanos / 1_000_000));
}

function protobufField(field: number, bytes: Uint8Array): Uint8Array {
  return concat([new Uint8Array([(field << 3) | 2]), varint(bytes.length), bytes]);
}

function varint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return new Uint8Array(out);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
