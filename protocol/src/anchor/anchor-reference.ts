/**
 * A public anchor of a transparency-log checkpoint on an EVM chain: which transaction, block and log of which
 * contract recorded which checkpoint (origin, tree size, root). Proof bundles carry it; the hub's anchorer
 * writes it; `verify-anchor.ts` checks it offline (against the checkpoint a bundle proves) and online (against
 * an RPC). The contract is hub/contracts/CheckpointAnchor.sol; its ABI, as far as a verifier needs it, is
 * declared here once (the hub's tests check that the compiled contract matches these lines).
 */
import { z } from 'zod';
import { base64ToBytes } from '../proof/base64.js';

/** The event the contract emits for each anchored checkpoint (Solidity human-readable ABI). */
export const ANCHORED_EVENT =
  'event Anchored(bytes32 indexed originHash, uint64 indexed size, bytes32 rootHash, bytes32 noteHash, uint8 cosigners, string origin)';

/** What the hub and verifiers call on CheckpointAnchor. */
export const CHECKPOINT_ANCHOR_ABI = [
  'function anchor(string origin, uint64 size, bytes32 rootHash, bytes32 noteHash, uint8 cosigners)',
  'function latestSize(bytes32 originHash) view returns (uint64)',
  'function latestRoot(bytes32 originHash) view returns (bytes32)',
  'function owner() view returns (address)',
  ANCHORED_EVENT,
  'error NotOwner(address sender)',
  'error SizeNotIncreasing(bytes32 originHash, uint64 lastSize, uint64 size)',
] as const;

const Hash32HexSchema = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected 0x and 64 hex digits');

const RootBase64Schema = z.string().refine((text) => {
  try {
    return base64ToBytes(text).length === 32;
  } catch {
    return false;
  }
}, 'expected the base64 of a 32-byte SHA-256 root (as a C2SP checkpoint writes it)');

/** The checkpoint an anchor names: its origin line, tree size and root (base64, as in the checkpoint). */
export const AnchoredCheckpointSchema = z.strictObject({
  origin: z.string().min(1, 'expected the log origin (the first line of its checkpoints)'),
  size: z.number().int().positive('expected a tree size of 1 or more'),
  rootHash: RootBase64Schema,
});
export type AnchoredCheckpoint = z.infer<typeof AnchoredCheckpointSchema>;

export const AnchorReferenceSchema = z.strictObject({
  chainId: z.number().int().positive('expected an EVM chain id (a positive integer)'),
  contract: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x-prefixed 20-byte contract address'),
  txHash: Hash32HexSchema,
  blockNumber: z.number().int().nonnegative('expected a block number'),
  blockHash: Hash32HexSchema,
  logIndex: z.number().int().nonnegative('expected the index of the log in its block'),
  checkpoint: AnchoredCheckpointSchema,
});
export type AnchorReference = z.infer<typeof AnchorReferenceSchema>;
