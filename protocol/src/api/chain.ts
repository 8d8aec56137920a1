/**
 * The chain for auditors and the explorer: `GET /blocks`, `GET /blocks/{n}`, `GET /transactions/{txId}`.
 * Each transaction carries `envelope`, the exact bytes the block's data hash covers, so a reader re-checks
 * the data hash and every signature itself (protocol's `block-format/` says what is hashed and signed).
 */
import { z } from 'zod';
import { CountSchema, HashHexSchema, InstantSchema, MspIdSchema, TxIdSchema } from './api-fields.js';
import { AnchorKindSchema } from './api-fields.js';
import { ChaincodeEventSchema } from './chaincode-event.js';

/** A block as the chain index summarises it (block pages, `/stats`, the `block` event). */
export const BlockSummarySchema = z.strictObject({
  number: CountSchema,
  hash: HashHexSchema,
  previousHash: HashHexSchema,
  dataHash: HashHexSchema,
  txCount: CountSchema,
  validTxCount: CountSchema,
  records: CountSchema.describe('records newly anchored in the block'),
  time: InstantSchema.nullable().describe('the latest proposal time among its transactions'),
  signers: z.array(MspIdSchema),
});
export type BlockSummary = z.infer<typeof BlockSummarySchema>;

/** `GET /blocks?before=&limit=`: blocks newest first. */
export const BlockPageSchema = z.strictObject({ height: CountSchema, blocks: z.array(BlockSummarySchema) });
export type BlockPage = z.infer<typeof BlockPageSchema>;

/**
 * A signature by an organisation's node or client: PEM certificate and base64 DER signature, ECDSA P-256 (`intl`,
 * every Fabric chain) or SM2-SM3 (an embedded chain of the 国密 suite `gm`, which block 0 names).
 */
export const LedgerSignatureJsonSchema = z.strictObject({
  mspId: MspIdSchema,
  certificate: z.string().describe('PEM X.509 certificate of the signing node or client'),
  signature: z
    .string()
    .describe(
      'base64 of the DER signature: ECDSA P-256 with low S (intl), or SM2-SM3 (gm, named by block 0)',
    ),
});

/** An orderer's signature over a block. */
export const BlockSignatureJsonSchema = LedgerSignatureJsonSchema.extend({
  signedPrefix: z
    .string()
    .optional()
    .describe(
      'Fabric only: base64 of the bytes the orderer signed before the block header, Metadata.value ‖ ' +
        'MetadataSignature.signature_header of the SIGNATURES metadata; the signature is over signedPrefix ‖ ' +
        'the ASN.1 DER block header (number, previousHash, dataHash). Absent on the embedded engine, whose ' +
        'orderer signs the canonical header text',
    ),
});
export type LedgerSignatureJson = z.infer<typeof BlockSignatureJsonSchema>;

/** One transaction of a block (`GET /blocks/{n}`). */
export const BlockTransactionJsonSchema = z.strictObject({
  txId: TxIdSchema,
  blockNumber: CountSchema,
  txIndex: CountSchema.describe('position in the block: the Merkle leaf index of `envelope` (embedded)'),
  validationCode: z.string().describe('Fabric validation code name, e.g. VALID, MVCC_READ_CONFLICT'),
  timestamp: InstantSchema.describe('proposal time, ISO 8601 UTC with nanoseconds'),
  type: z.enum(['config', 'endorser']),
  creator: z.strictObject({ mspId: MspIdSchema, certificate: z.string() }).nullable(),
  chaincodeName: z.string().nullable(),
  function: z.string().nullable(),
  endorsements: z.array(LedgerSignatureJsonSchema),
  event: ChaincodeEventSchema.nullable(),
  envelopeBytes: CountSchema,
  envelope: z
    .string()
    .describe(
      'base64 of the exact envelope bytes the data hash covers: embedded, the UTF-8 canonical JSON transaction ' +
        '(format approval-ledger/embedded-block@1: proposal, creatorSignature, response, rwset, event, ' +
        'endorsements; block 0 holds the channel configuration with each organisation’s CA certificate), the ' +
        'RFC 6962 Merkle leaf; Fabric, the protobuf Envelope',
    ),
});
export type BlockTransactionJson = z.infer<typeof BlockTransactionJsonSchema>;

/** `GET /blocks/{n}`. */
export const BlockJsonSchema = z.strictObject({
  number: CountSchema,
  hash: HashHexSchema.describe(
    'the block hash: the chain suite’s digest (SHA-256; SM3 on a gm chain) of the canonical header (embedded), or SHA-256 of its DER (Fabric)',
  ),
  previousHash: HashHexSchema,
  dataHash: HashHexSchema,
  dataHashScheme: z
    .enum(['rfc6962', 'fabric'])
    .describe(
      'rfc6962: Merkle root over the envelopes with the chain suite’s digest (embedded); fabric: SHA-256 of their concatenation',
    ),
  signatures: z
    .array(BlockSignatureJsonSchema)
    .describe(
      'the orderer’s signatures: over the canonical header text (embedded), or over signedPrefix ‖ the DER ' +
        'header (Fabric)',
    ),
  transactions: z.array(BlockTransactionJsonSchema),
});
export type BlockJson = z.infer<typeof BlockJsonSchema>;

/** The header fields a block links and hashes by. */
export type BlockHeaderJson = Pick<BlockJson, 'number' | 'previousHash' | 'dataHash'>;

/** `GET /transactions/{txId}`: the transaction with its arguments and the records it anchored or revoked. */
export const TransactionJsonSchema = BlockTransactionJsonSchema.extend({
  args: z.array(z.string()),
  records: z
    .array(z.strictObject({ kind: AnchorKindSchema, id: z.string().min(1), commitment: HashHexSchema }))
    .describe('records this transaction anchored or revoked'),
});
export type TransactionJson = z.infer<typeof TransactionJsonSchema>;
