/**
 * The proof bundle (`approval-ledger/proof@1`): everything a third party needs to check, offline and
 * without trusting the hub, that a record is anchored on the ledger, by whom, when, and whether it was
 * revoked. Documented in hub/README.md ("Proof bundles"); checked by {@link verifyProofBundle}.
 */
import { CRYPTO_SUITE_NAMES } from '../verify/crypto-suite.js';
import { z } from 'zod';
import { SHA256_HEX } from '../sha256.js';
import { EMBEDDED_BLOCK_FORMAT } from '../block-format/embedded-block.js';
import { StatusProofJsonSchema } from '../api/checkpoints.js';
import { AnchorReferenceSchema } from '../anchor/anchor-reference.js';

export const PROOF_BUNDLE_FORMAT = 'approval-ledger/proof@1';

const Hex64 = z.string().regex(SHA256_HEX, 'expected 64 lower-case hex digits');
const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');
const Count = z.number().int().nonnegative();

/** A block header with the orderer's signature over its canonical text. */
export const SignedHeaderSchema = z.strictObject({
  number: Count,
  previousHash: Hex64,
  dataHash: Hex64,
  /** base64 DER ECDSA signature of the orderer named in the genesis configuration. */
  signature: Base64,
});
export type SignedHeader = z.infer<typeof SignedHeaderSchema>;

/** A transaction and the RFC 6962 path from its envelope to its block's data hash. */
export const TransactionProofSchema = z.strictObject({
  txId: z.string().min(1).max(128),
  blockNumber: Count,
  txIndex: Count,
  /** As recorded in the block's metadata by the committing peer (not covered by a signature). */
  validationCode: z.string().min(1),
  /** The canonical JSON text of the transaction envelope: the Merkle leaf's data (UTF-8). */
  envelope: z.string().min(2),
  inclusion: z.strictObject({ treeSize: z.number().int().positive(), path: z.array(Hex64).max(64) }),
});
export type TransactionProof = z.infer<typeof TransactionProofSchema>;

export const ProofRecordKindSchema = z.enum(['milestone', 'certificate', 'credit']);
export type ProofRecordKind = z.infer<typeof ProofRecordKindSchema>;

/**
 * `status-unknown`: everything else verified and nothing shows it revoked, but a v2 bundle does not prove its
 * status as of a recent enough checkpoint (no status proof, one against a checkpoint that no pinned log key
 * signed, or older than the verifier's limit): never reported as plain `valid`.
 * `superseded`: everything verified, but the version proven is no longer the latest of its record: a later
 * version (a correction, 更正) replaced it (the verdict's `version` says by which, and as of which checkpoint).
 */
export const ProofStatusSchema = z.enum([
  'valid',
  'revoked',
  'expired',
  'tampered',
  'invalid',
  'status-unknown',
  'superseded',
]);
export type ProofStatus = z.infer<typeof ProofStatusSchema>;

export const ProofBundleSchema = z.strictObject({
  format: z.literal(PROOF_BUNDLE_FORMAT),
  createdAt: z.string(),
  ledger: z.strictObject({
    blockFormat: z.literal(EMBEDDED_BLOCK_FORMAT),
    /**
     * The crypto suite of the ledger's hashes and signatures (absent: `intl`, SHA-256 and P-256); `gm` = SM3 and
     * SM2. Block 0's configuration names the same; a verifier accepts only the suites it was told to.
     */
    suite: z.enum(CRYPTO_SUITE_NAMES).optional(),
    /** Block 0: the channel configuration, whose CA and orderer certificates are the trust anchors. */
    genesis: z.strictObject({ header: SignedHeaderSchema, configEnvelope: z.string().min(2) }),
  }),
  /** The hash that was asked about: the commitment, an attached document's SHA-256, or the record's own. */
  query: z.strictObject({ sha256: Hex64 }).optional(),
  record: z.strictObject({
    kind: ProofRecordKindSchema,
    /** Milestone id, certificate number or credit evaluation id. */
    id: z.string().min(1).max(256),
    /** The on-chain anchor exactly as the transaction submitted it. */
    anchor: z.record(z.string(), z.unknown()),
    /** The full record and its salt (for a holder): their commitment must be the anchor's. */
    opening: z.strictObject({ record: z.record(z.string(), z.unknown()), salt: Hex64 }).optional(),
    /**
     * The crypto suite of the anchor's commitment, one of the hub's own artefacts (absent: `intl`, SHA-256; `gm`:
     * SM3). On the embedded engine it is the ledger's suite; on Fabric the ledger stays `intl` and the hub's
     * artefacts may be `gm`. A verifier accepts only the suites it was told to.
     */
    suite: z.enum(CRYPTO_SUITE_NAMES).optional(),
  }),
  transaction: TransactionProofSchema,
  /** The certificate's revocation, when it was revoked. */
  revocation: z.strictObject({ transaction: TransactionProofSchema }).optional(),
  /** Consecutive signed headers from the anchoring block up to the newest block the bundle vouches for. */
  chain: z.array(SignedHeaderSchema).min(1),
  /** What the hub said when it built the bundle; the verifier reports it but does not rely on it. */
  statement: z
    .strictObject({
      status: ProofStatusSchema,
      tampered: z.boolean().optional(),
      headBlock: Count.optional(),
      note: z.string().max(2000).optional(),
      /** The version of the record the bundle proves (1 unless corrected, 更正): the anchor's `version`. */
      version: Count.min(1).optional(),
      /** Whether that version was still the latest of its key at `headBlock`. */
      latest: z.boolean().optional(),
    })
    .optional(),
});
export type ProofBundle = z.infer<typeof ProofBundleSchema>;

/**
 * The proof bundle of a record anchored on a real Fabric network (`approval-ledger/fabric-proof@1`). Fabric's
 * data hash is SHA-256 over the concatenation of all the block's envelopes, so the anchoring block travels
 * whole, exactly as the peer returned it (a serialized `common.Block`): every envelope (the record's among
 * them, byte for byte), its header, and its metadata (the orderers' SIGNATURES with LAST_CONFIG, and the
 * committing peer's TRANSACTIONS_FILTER). Documented in protocol/README.md ("Fabric proof bundles").
 */
export const FABRIC_PROOF_BUNDLE_FORMAT = 'approval-ledger/fabric-proof@1';
export const FABRIC_BLOCK_FORMAT = 'fabric';

/** A transaction and the whole Fabric block that holds it. */
export const FabricTransactionProofSchema = z.strictObject({
  txId: z.string().min(1).max(128),
  blockNumber: Count,
  txIndex: Count,
  /** base64 of the serialized `common.Block` (qscc GetBlockByNumber), every envelope and metadata entry in it. */
  block: Base64.min(4),
});
export type FabricTransactionProof = z.infer<typeof FabricTransactionProofSchema>;

/** A later block's header with its SIGNATURES metadata (base64 of the serialized `common.Metadata`). */
export const FabricSignedHeaderSchema = z.strictObject({
  number: Count,
  /** Fabric block 0 has an empty previous hash; every other block a SHA-256. */
  previousHash: z.union([Hex64, z.literal('')]),
  dataHash: Hex64,
  signatures: Base64.min(4),
});
export type FabricSignedHeader = z.infer<typeof FabricSignedHeaderSchema>;

const ProofRecordSchema = ProofBundleSchema.shape.record;

export const FabricProofBundleSchema = z.strictObject({
  format: z.literal(FABRIC_PROOF_BUNDLE_FORMAT),
  createdAt: z.string(),
  ledger: z.strictObject({
    blockFormat: z.literal(FABRIC_BLOCK_FORMAT),
    channel: z.string().min(1).max(250),
    /**
     * The channel's configuration blocks, base64 `common.Block`s: block 0 (the genesis block, the trust anchor
     * a verifier pins by its header hash) first, then each later configuration block up to the one in force
     * for the anchoring block, each signed under the configuration before it.
     */
    configBlocks: z.array(Base64.min(4)).min(1).max(256),
  }),
  query: z.strictObject({ sha256: Hex64 }).optional(),
  record: ProofRecordSchema,
  transaction: FabricTransactionProofSchema,
  revocation: z.strictObject({ transaction: FabricTransactionProofSchema }).optional(),
  /** Headers of the blocks after the anchoring block, consecutive, each with its orderer signatures (may be empty). */
  chain: z.array(FabricSignedHeaderSchema).max(100_000),
  statement: ProofBundleSchema.shape.statement,
});
export type FabricProofBundle = z.infer<typeof FabricProofBundleSchema>;

// ------------------------------------------------------------------------------------------- bundle v2

/**
 * The proof bundle v2 (`approval-ledger/proof@2`): the v1 evidence of either engine (record opening ->
 * commitment -> transaction -> block, and the header chain up to a block `head`), then what makes it hold
 * against a pinned log rather than against the bundle itself: `head` is included in a checkpoint of the
 * ledger's transparency log (RFC 6962 inclusion proof), the checkpoint is signed by the log key and cosigned by
 * witnesses (the C2SP signed note, carried whole), and the checkpoint's `status` line commits to a status tree
 * in which the record is proven revoked or not revoked (`status`). An optional public anchor names the
 * checkpoint it anchored. Documented in protocol/README.md ("Proof bundle v2").
 */
export const PROOF_BUNDLE_V2_FORMAT = 'approval-ledger/proof@2';

/**
 * The public anchor a v2 bundle carries. Anchoring lags the log (one transaction per interval), so the
 * anchored checkpoint A is usually older than the bundle's checkpoint C. The bundle carries A itself and ties
 * it both ways:
 *
 * - `note`: A as anchored, its C2SP signed note with the cosignatures it had (the contract's `noteHash` is
 *   SHA-256 of exactly this text), which the verifier checks against the pinned log key;
 * - `inclusion`: the RFC 6962 audit path of the record's own block in A (leaf index = block number, so the
 *   block must be below A's size): the record was in the anchored history, not merely in a later one;
 * - `consistency`: the RFC 6962 consistency proof from A to C: C, which the witnesses cosigned and the status
 *   proof is against, extends the anchored history;
 * - `reference`: where the chain recorded A (chain id, contract, transaction, block, log index, and A's
 *   origin, size and root, which must be A's exactly).
 *
 * A bundle of a record whose block no anchored checkpoint covers yet carries no anchor ("not yet anchored").
 */
export const PublicAnchorSchema = z.strictObject({
  reference: AnchorReferenceSchema,
  note: z.string().min(10).max(20_000),
  inclusion: z.strictObject({ block: Count, path: z.array(Hex64).max(64) }),
  consistency: z.array(Hex64).max(128),
});
export type PublicAnchor = z.infer<typeof PublicAnchorSchema>;

export const ProofBundleV2Schema = z.strictObject({
  format: z.literal(PROOF_BUNDLE_V2_FORMAT),
  createdAt: z.string(),
  /**
   * The engine's evidence, exactly a v1 bundle (`approval-ledger/proof@1` or `fabric-proof@1`): the record
   * section lives there and grows there (e.g. a record version).
   */
  evidence: z.record(z.string(), z.unknown()),
  checkpoint: z.strictObject({
    /** The C2SP signed note: `<origin>\n<size>\n<base64 root>\nstatus <n> <base64 root>\n\n— signatures`. */
    note: z.string().min(10).max(20_000),
    /** RFC 6962 audit path of the evidence's newest block (`head`, leaf index = its number) in the checkpoint. */
    inclusion: z.strictObject({ block: Count, path: z.array(Hex64).max(64) }),
  }),
  /** The record's status proof in the status tree the checkpoint commits to (absent: status not proven). */
  status: StatusProofJsonSchema.optional(),
  /**
   * A certificate's or milestone's supersession proof for the version the evidence anchors (key
   * `<kind>@<version>/<id>` in the same status tree): membership says which later version superseded it,
   * non-membership that it is the latest as of the checkpoint (absent: whether it is the latest is not proven).
   */
  supersession: StatusProofJsonSchema.optional(),
  anchor: PublicAnchorSchema.optional(),
});
export type ProofBundleV2 = z.infer<typeof ProofBundleV2Schema>;

/** A v1 proof bundle of either engine (the evidence of a v2 bundle). */
export const AnyProofBundleSchema = z.union([ProofBundleSchema, FabricProofBundleSchema]);
export type AnyProofBundle = z.infer<typeof AnyProofBundleSchema>;

/** Any bundle a verifier accepts: v1 of either engine, or v2. */
export const VerifiableProofBundleSchema = z.union([
  ProofBundleSchema,
  FabricProofBundleSchema,
  ProofBundleV2Schema,
]);
export type VerifiableProofBundle = z.infer<typeof VerifiableProofBundleSchema>;
