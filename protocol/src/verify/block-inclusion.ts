/**
 * The one check that a block is a leaf of a checkpoint's RFC 6962 tree (leaf i = block i's hash), used for the
 * bundle's own checkpoint (`checkpoint.inclusion`) and for the older anchored one (`anchor.inclusion`).
 */
import { hexToBytes } from '../bytes.js';
import { leafHash } from '../merkle.js';
import { type TreeHead } from '../tlog/checkpoint.js';
import { verifyInclusionProof } from '../tlog/merkle-proofs.js';
import { type Check, failed, verified } from './check.js';
import { type SuiteAlgorithms } from './crypto-suite.js';

export interface BlockInclusion {
  /** The check's name, e.g. `checkpoint.inclusion`. */
  readonly name: string;
  /** How the messages name the tree: `checkpoint`, `anchored checkpoint`. */
  readonly tree: string;
  /** How the messages name where the block comes from: `the evidence ends at`, `the record is in block`. */
  readonly blockIs: string;
}

/** Block `block` (its number and hash, established by the evidence) is leaf `block.number` of `head`, by `proof`. */
export function blockInclusionCheck(
  what: BlockInclusion,
  block: { readonly number: number; readonly hash: string },
  proof: { readonly block: number; readonly path: readonly string[] },
  head: TreeHead,
  suite: SuiteAlgorithms,
): Check {
  if (block.number >= head.size) {
    return failed(what.name, `the ${what.tree} of size ${head.size} does not cover block ${block.number}`);
  }
  if (proof.block !== block.number) {
    return failed(what.name, `the proof is for block ${proof.block}, ${what.blockIs} ${block.number}`);
  }
  const ok = verifyInclusionProof(
    leafHash(hexToBytes(block.hash), suite.digest),
    block.number,
    head.size,
    proof.path.map(hexToBytes),
    head.root,
    suite.digest,
  );
  return ok
    ? verified(what.name, `block ${block.number} is leaf ${block.number} of ${what.tree} ${head.size}`)
    : failed(
        what.name,
        `block ${block.number} (${block.hash}) is not in the ${what.tree} of size ${head.size}`,
      );
}
