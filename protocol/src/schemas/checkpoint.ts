import { z } from 'zod';
import { RegionSchema } from '../registries/registry-schemas.js';
import { EvmTxHashSchema, RecordIdSchema, Sha256HexSchema, TimestampSchema } from './fields.js';
import { addRuleIssue } from './refinements.js';

const BlockNumberSchema = z.number().int().nonnegative();

/**
 * A Merkle root over a batch of records or a range of blocks. For `blocks`, fromBlock..toBlock are both
 * given and `size` is the number of blocks in the range; for `batch` the range is optional.
 */
export const CheckpointSchema = z
  .strictObject({
    id: RecordIdSchema,
    kind: z.enum(['batch', 'blocks']),
    region: RegionSchema,
    fromBlock: BlockNumberSchema.exactOptional(),
    toBlock: BlockNumberSchema.exactOptional(),
    size: z.number().int().positive(),
    root: Sha256HexSchema,
    createdAt: TimestampSchema,
  })
  .superRefine((c, ctx) => {
    if (c.kind === 'blocks') checkBlockRange(c, ctx);
    else if (c.fromBlock !== undefined && c.toBlock !== undefined && c.fromBlock > c.toBlock) {
      addRuleIssue(
        ctx,
        ['toBlock'],
        'checkpoint.range',
        `toBlock ${c.toBlock} is before fromBlock ${c.fromBlock}`,
      );
    }
  });

export type Checkpoint = z.infer<typeof CheckpointSchema>;

/** Where a checkpoint was anchored on a public EVM chain. */
export const AnchorRefSchema = z.strictObject({
  chainId: z.number().int().positive(),
  txHash: EvmTxHashSchema,
  blockNumber: BlockNumberSchema,
});

export type AnchorRef = z.infer<typeof AnchorRefSchema>;

function checkBlockRange(
  c: { fromBlock?: number; toBlock?: number; size: number },
  ctx: z.RefinementCtx,
): void {
  if (c.fromBlock === undefined || c.toBlock === undefined) {
    const missing = c.fromBlock === undefined ? 'fromBlock' : 'toBlock';
    addRuleIssue(ctx, [missing], 'checkpoint.range', `a blocks checkpoint needs ${missing}`);
  } else if (c.fromBlock > c.toBlock) {
    addRuleIssue(
      ctx,
      ['toBlock'],
      'checkpoint.range',
      `toBlock ${c.toBlock} is before fromBlock ${c.fromBlock}`,
    );
  } else if (c.size !== c.toBlock - c.fromBlock + 1) {
    addRuleIssue(
      ctx,
      ['size'],
      'checkpoint.size',
      `size ${c.size} does not match blocks ${c.fromBlock}..${c.toBlock} (${c.toBlock - c.fromBlock + 1})`,
    );
  }
}
