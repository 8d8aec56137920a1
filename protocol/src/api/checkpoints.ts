/**
 * The transparency log of the ledger (`GET /checkpoints/...`, public): the latest checkpoint as a C2SP signed
 * note (text/plain, the log's signature and the witnesses' cosignatures), and JSON inclusion and consistency
 * proofs over the tree of block hashes (leaf i = the 32-byte header hash of block i). Hashes are hex, as
 * elsewhere in the API; a checkpoint's own root line is base64, as C2SP writes it.
 */
import { z } from 'zod';
import { CountSchema, HashHexSchema, InstantSchema } from './api-fields.js';

const SizeSchema = z.coerce.number().int().positive();

/** `GET /checkpoints/inclusion?block=&size=`: size defaults to the latest checkpoint's. */
export const InclusionQuerySchema = z.strictObject({
  block: z.coerce.number().int().nonnegative(),
  size: SizeSchema.optional(),
});
export type InclusionQuery = z.infer<typeof InclusionQuerySchema>;

/** `GET /checkpoints/consistency?from=&to=`: to defaults to the latest checkpoint's size. */
export const ConsistencyQuerySchema = z.strictObject({ from: SizeSchema, to: SizeSchema.optional() });
export type ConsistencyQuery = z.infer<typeof ConsistencyQuerySchema>;

export const InclusionProofJsonSchema = z.strictObject({
  origin: z.string().describe('the log origin: the first line of its checkpoints'),
  block: CountSchema.describe('the block number, which is the leaf index'),
  blockHash: HashHexSchema.describe(
    'the leaf: the block header hash (its RFC 6962 leaf hash is SHA-256(0x00 ‖ it))',
  ),
  treeSize: CountSchema,
  root: HashHexSchema.describe('the tree root at treeSize'),
  proof: z.array(HashHexSchema).describe('RFC 6962 audit path, sibling hashes from the leaf up'),
});
export type InclusionProofJson = z.infer<typeof InclusionProofJsonSchema>;

export const ConsistencyProofJsonSchema = z.strictObject({
  origin: z.string(),
  from: CountSchema,
  to: CountSchema,
  fromRoot: HashHexSchema,
  toRoot: HashHexSchema,
  proof: z.array(HashHexSchema).describe('RFC 6962 consistency proof (empty when from = to)'),
});
export type ConsistencyProofJson = z.infer<typeof ConsistencyProofJsonSchema>;

/** `GET /checkpoints/status`: what the log has published and who cosigned it. */
export const TlogStatusSchema = z.strictObject({
  origin: z.string(),
  logKey: z.string().describe('the C2SP verifier key of the log'),
  treeSize: CountSchema.describe('blocks in the tree now (may be ahead of the latest checkpoint)'),
  checkpoint: z
    .strictObject({
      size: CountSchema,
      root: HashHexSchema,
      publishedAt: InstantSchema,
      cosignedBy: z.array(z.string()).describe('names of the witnesses whose cosignatures it carries'),
      recordedInTx: z
        .string()
        .nullable()
        .describe('the ledger transaction that recorded it (checkpoints contract)'),
    })
    .nullable(),
  witnesses: z.array(
    z.strictObject({ region: z.string(), name: z.string(), url: z.string(), vkey: z.string() }),
  ),
});
export type TlogStatus = z.infer<typeof TlogStatusSchema>;

// ------------------------------------------------------------------------------------------------ status

/**
 * A status tree entry (protocol `tlog/status-tree.ts`): what revoked a certificate, milestone or recognition,
 * or which version superseded a version of a certificate or milestone (SUPERSEDED, with `version` and
 * `supersededBy`).
 */
export const StatusEntryJsonSchema = z.strictObject({
  kind: z.enum(['certificate', 'milestone', 'recognition']),
  id: z.string().min(1).max(256),
  status: z.enum(['REVOKED', 'SOURCE_REVOKED', 'SUPERSEDED']),
  txId: z.string().min(1).max(128),
  block: CountSchema,
  by: z.string().min(1).max(300).optional(),
  version: z.number().int().min(1).optional(),
  supersededBy: z.number().int().min(1).optional(),
});

const StatusLeafProofJsonSchema = z.strictObject({
  index: CountSchema,
  entry: StatusEntryJsonSchema,
  path: z.array(HashHexSchema).max(64).describe('RFC 6962 audit path in the status tree, from the leaf up'),
});

/** A membership (`member`) or non-membership (`left`/`right` neighbours) proof in the status tree. */
export const StatusProofJsonSchema = z.strictObject({
  kind: z.enum(['certificate', 'milestone', 'recognition']),
  id: z.string().min(1).max(256),
  version: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('a supersession proof: about this version of the record (key `<kind>@<version>/<id>`)'),
  size: CountSchema.describe('leaves of the status tree the proof is against'),
  member: StatusLeafProofJsonSchema.optional(),
  left: StatusLeafProofJsonSchema.optional(),
  right: StatusLeafProofJsonSchema.optional(),
});
export type StatusProofJson = z.infer<typeof StatusProofJsonSchema>;

/** `GET /status/{kind}/{id}?checkpoint=N`. */
export const StatusParamsSchema = z.strictObject({
  kind: z.enum(['certificate', 'milestone', 'recognition']),
  id: z.string().min(1).max(256),
});
export type StatusParams = z.infer<typeof StatusParamsSchema>;

export const StatusQuerySchema = z.strictObject({
  checkpoint: SizeSchema.optional().describe('the checkpoint (tree size); default the latest'),
  recordVersion: SizeSchema.optional().describe(
    'prove whether this version of the certificate or milestone is superseded (a correction, 更正) instead of its revocation',
  ),
});
export type StatusQuery = z.infer<typeof StatusQuerySchema>;

export const StatusAnswerSchema = z.strictObject({
  checkpoint: z.strictObject({ size: CountSchema, root: HashHexSchema }),
  statusSize: CountSchema.describe('leaves of the status tree the checkpoint commits to'),
  statusRoot: HashHexSchema.describe('its root; the checkpoint line is `status <statusSize> <base64 root>`'),
  proof: StatusProofJsonSchema,
});
export type StatusAnswer = z.infer<typeof StatusAnswerSchema>;
