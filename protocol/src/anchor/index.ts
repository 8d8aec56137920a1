// Public anchoring of checkpoints on an EVM chain: the anchor reference a proof bundle carries, the contract's
// ABI as verifiers need it, and the offline and online checks of an anchor.
export {
  ANCHORED_EVENT,
  type AnchoredCheckpoint,
  AnchoredCheckpointSchema,
  type AnchorReference,
  AnchorReferenceSchema,
  CHECKPOINT_ANCHOR_ABI,
} from './anchor-reference.js';
export {
  anchoredRoot,
  type AnchorVerdict,
  checkAnchorOffline,
  OFFLINE_ANCHOR_LIMITS,
  type OnlineAnchorOptions,
  type ProvenCheckpoint,
  verifyAnchorOnline,
} from './verify-anchor.js';
