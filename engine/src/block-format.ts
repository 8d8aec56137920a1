/**
 * The embedded ledger's block and transaction formats, and exactly which bytes are hashed and signed. The
 * definition lives in the protocol package (`@approval-ledger/protocol`, `block-format/embedded-block.ts`),
 * shared with proof bundles and the explorer that re-checks the same bytes in a browser; this module is the
 * hub's name for it, plus the Node-only base64 helpers. See `../README.md` ("Block and transaction formats").
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
export {
  EMBEDDED_BLOCK_FORMAT as BLOCK_FORMAT,
  ZERO_HASH,
  blockHash,
  canonicalObjectOfTexts,
  commitHash,
  configTransactionId,
  dataHash,
  endorsementMessage,
  endorserTransactionText,
  endorserTransactionTextAt,
  headerText,
  proposalHash,
  proposalText,
  responseHash,
  serializedIdentity,
  timestampIso,
  transactionId,
  type BlockHeaderJson,
  type BlockJson,
  type BlockMetadataJson,
  type ChannelConfigJson,
  type ConfigTransactionJson,
  type EndorserTransactionJson,
  type EventJson,
  type IdentityJson,
  type OrganisationConfigJson,
  type ProposalJson,
  type ReadJson,
  type ResponseJson,
  type RwSetJson,
  type SignatureJson,
  type TimestampJson,
  type TransactionJson,
  type VersionJson,
} from '@approval-ledger/protocol';

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function fromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}
