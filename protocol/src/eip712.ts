/**
 * EIP-712 typed data of the signed protocol messages (ethers v6 `TypedDataEncoder` / `signTypedData`
 * compatible): recognition decisions, signed by an authorised official of the target region, and checkpoints.
 * The domain has no chainId: the signatures are checked by the chaincode, not by an EVM contract.
 */
import { TypedDataEncoder, verifyTypedData, type TypedDataDomain, type TypedDataField } from 'ethers/hash';
import { type RegionCode } from './registries/regions.js';
import { type Checkpoint } from './schemas/checkpoint.js';
import {
  type RecognitionDecision,
  type RecognitionOutcome,
  type RecognitionRequest,
  type RecognitionSubjectType,
} from './schemas/recognition.js';

export const EIP712_DOMAIN: Readonly<TypedDataDomain> = Object.freeze({
  name: 'approval-ledger',
  version: '1',
});

export const RECOGNITION_DECISION_TYPES: Record<'RecognitionDecision', TypedDataField[]> = deepFreeze({
  RecognitionDecision: [
    { name: 'recognitionId', type: 'string' },
    { name: 'subjectType', type: 'string' },
    { name: 'subjectId', type: 'string' },
    { name: 'sourceRegion', type: 'string' },
    { name: 'targetRegion', type: 'string' },
    { name: 'outcome', type: 'string' },
    { name: 'decidedAt', type: 'string' },
  ],
});

export const CHECKPOINT_TYPES: Record<'Checkpoint', TypedDataField[]> = deepFreeze({
  Checkpoint: [
    { name: 'id', type: 'string' },
    { name: 'region', type: 'string' },
    { name: 'root', type: 'bytes32' },
    { name: 'size', type: 'uint256' },
    { name: 'fromBlock', type: 'uint256' },
    { name: 'toBlock', type: 'uint256' },
  ],
});

/** The signed content of a recognition decision. */
export interface RecognitionDecisionMessage {
  readonly recognitionId: string;
  readonly subjectType: RecognitionSubjectType;
  readonly subjectId: string;
  readonly sourceRegion: RegionCode;
  readonly targetRegion: RegionCode;
  readonly outcome: RecognitionOutcome;
  readonly decidedAt: string;
}

/** The signed content of a checkpoint: `root` as `0x` + 64 hex digits, block range 0..0 when absent. */
export interface CheckpointMessage {
  readonly id: string;
  readonly region: RegionCode;
  readonly root: string;
  readonly size: number | bigint;
  readonly fromBlock: number | bigint;
  readonly toBlock: number | bigint;
}

/** What the deciding official signs, from the request and the decision. */
export function recognitionDecisionMessage(
  request: RecognitionRequest,
  decision: Pick<RecognitionDecision, 'outcome' | 'decidedAt'>,
): RecognitionDecisionMessage {
  return {
    recognitionId: request.id,
    subjectType: request.subjectType,
    subjectId: request.subjectId,
    sourceRegion: request.sourceRegion,
    targetRegion: request.targetRegion,
    outcome: decision.outcome,
    decidedAt: decision.decidedAt,
  };
}

/** The EIP-712 message of a checkpoint record. */
export function checkpointMessage(checkpoint: Checkpoint): CheckpointMessage {
  return {
    id: checkpoint.id,
    region: checkpoint.region,
    root: `0x${checkpoint.root}`,
    size: checkpoint.size,
    fromBlock: checkpoint.fromBlock ?? 0,
    toBlock: checkpoint.toBlock ?? 0,
  };
}

/** The EIP-712 digest (`0x` hex) a recognition decision signature signs. */
export function recognitionDecisionDigest(value: RecognitionDecisionMessage): string {
  return TypedDataEncoder.hash(EIP712_DOMAIN, RECOGNITION_DECISION_TYPES, value);
}

/** The (checksummed) address that signed a recognition decision; throws on a malformed signature. */
export function recoverRecognitionSigner(value: RecognitionDecisionMessage, signature: string): string {
  return verifyTypedData(EIP712_DOMAIN, RECOGNITION_DECISION_TYPES, value, signature);
}

/** The EIP-712 digest (`0x` hex) a checkpoint signature signs. */
export function checkpointDigest(value: CheckpointMessage): string {
  return TypedDataEncoder.hash(EIP712_DOMAIN, CHECKPOINT_TYPES, value);
}

/** The (checksummed) address that signed a checkpoint; throws on a malformed signature. */
export function recoverCheckpointSigner(value: CheckpointMessage, signature: string): string {
  return verifyTypedData(EIP712_DOMAIN, CHECKPOINT_TYPES, value, signature);
}

function deepFreeze<T extends Record<string, TypedDataField[]>>(types: T): T {
  for (const fields of Object.values(types)) {
    fields.forEach((f) => Object.freeze(f));
    Object.freeze(fields);
  }
  return Object.freeze(types);
}
