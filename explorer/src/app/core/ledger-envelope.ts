/**
 * The embedded ledger's transaction envelopes, as `hub/src/ledger/embedded/block-format.ts` defines them
 * (format `approval-ledger/embedded-block@1`). Exactly what is hashed and signed:
 *
 * - proposal hash      = SHA-256(canonical(proposal))
 * - creator signature  = ECDSA P-256/SHA-256 over canonical(proposal)
 * - response hash      = SHA-256(canonical({proposalHash, response, rwset, event}))
 * - endorsement        = ECDSA P-256/SHA-256 over canonical({endorser: {mspId, certificate}, responseHash})
 * - data hash          = RFC 6962 Merkle root over canonical(envelope) of each transaction, in block order
 * - block hash         = SHA-256(canonical(header)), header = {number, previousHash, dataHash}
 * - orderer signature  = ECDSA P-256/SHA-256 over canonical(header)
 * - txId               = hex SHA-256(nonce || msp.SerializedIdentity{mspid, id_bytes = certificate PEM})
 * Hashes are lower-case hex; signatures are DER with low S, base64; byte strings in JSON are base64.
 * The protocol package holds the header hashing (`embeddedHeaderText`, `embeddedBlockHash`) and the format name
 * (`EMBEDDED_BLOCK_FORMAT`); these are the envelope shapes it does not export.
 */
/** previousHash of block 0. */
export const ZERO_HASH = '0'.repeat(64);

export interface TimestampJson {
  readonly seconds: number;
  readonly nanos: number;
}

export interface IdentityJson {
  readonly mspId: string;
  readonly certificate: string;
}

export interface SignatureJson extends IdentityJson {
  /** base64 of the DER ECDSA signature. */
  readonly signature: string;
}

export interface ProposalJson {
  readonly channel: string;
  readonly chaincode: string;
  readonly txId: string;
  /** base64 of the nonce bytes. */
  readonly nonce: string;
  readonly timestamp: TimestampJson;
  readonly creator: IdentityJson;
  readonly function: string;
  readonly args: readonly string[];
}

export interface RwSetJson {
  readonly reads: readonly { readonly key: string; readonly version: unknown }[];
  readonly rangeQueries: readonly unknown[];
  /** Values in base64. */
  readonly writes: readonly { readonly key: string; readonly isDelete: boolean; readonly value: string }[];
  readonly metadataWrites: readonly unknown[];
}

export interface EndorserEnvelopeJson {
  readonly type: 'endorser';
  readonly proposal: ProposalJson;
  readonly creatorSignature: string;
  readonly response: { readonly status: number; readonly message: string; readonly payload: string };
  readonly rwset: RwSetJson;
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

export interface ConfigEnvelopeJson {
  readonly type: 'config';
  readonly txId: string;
  readonly timestamp: TimestampJson;
  readonly config: ChannelConfigJson;
}

export type EnvelopeJson = EndorserEnvelopeJson | ConfigEnvelopeJson;
