// The transparency-log module: RFC 6962 proofs over leaf hashes, C2SP signed notes, checkpoints,
// cosignatures and witness requests, and the trust anchors a region publishes. Browser-safe like the rest.
export {
  consistencyProof,
  EMPTY_ROOT,
  inclusionPath,
  MemoryTree,
  rangeHashOf,
  splitPoint,
  verifyConsistencyProof,
  verifyInclusionProof,
  type TreeHashes,
} from './merkle-proofs.js';
export { ed25519Verify, jsEd25519Verify, useEd25519, type Ed25519Verify } from './ed25519.js';
export {
  addSignatures,
  checkKeyName,
  cosignedMessage,
  formatSignatureLine,
  formatVerifierKey,
  keyIdOf,
  MAX_NOTE_SIGNATURES,
  NoteFormatError,
  parseNote,
  parseVerifierKey,
  sameKey,
  signNote,
  SIGNATURE_TYPE,
  verifyNote,
  type Note,
  type NoteSignature,
  type NoteSigner,
  type NoteVerification,
  type NoteVerifier,
  type SignatureType,
} from './signed-note.js';
export {
  formatCheckpoint,
  parseCheckpoint,
  verifyCheckpoint,
  type CheckpointVerification,
  type TreeHead,
} from './checkpoint.js';
export {
  cosignatureSigner,
  cosignatureTime,
  ed25519NoteSigner,
  verifyCosignature,
  verifyCosignedCheckpoint,
  type CosignedCheckpointVerification,
  type Ed25519Sign,
  type WitnessCosignature,
} from './cosignature.js';
export {
  formatAddCheckpoint,
  MAX_PROOF_LINES,
  parseAddCheckpoint,
  TLOG_SIZE_CONTENT_TYPE,
  type AddCheckpointRequest,
} from './witness-request.js';
export {
  formatTrustAnchors,
  parseTrustAnchors,
  TRUST_ANCHORS_HEADER,
  TrustAnchorsError,
  type TrustAnchors,
} from './trust-anchors.js';
