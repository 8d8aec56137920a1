// Key-level (state-based) endorsement policies. Chaincode sets them with
// `stub.setStateValidationParameter(key, new KeyEndorsementPolicy().getPolicy())`; the bytes are a
// `common.SignaturePolicyEnvelope`. At commit the peer checks, for every key a transaction writes
// (value or metadata), the policy the key carries in current state; keys without one fall under the
// chaincode-level policy. Decoding, evaluation and that rule are the verification core's
// (@approval-ledger/protocol `src/verify/endorsement-policy.ts`); this file looks the policies up in state.
import {
  type ApplicablePolicies,
  type ChaincodePolicy,
  endorsementPolicyVerdict,
  type PolicyEndorser,
  policyOrganisations,
} from '@approval-ledger/protocol';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { writtenKeys, type ReadWriteSet } from './read-write-set';
import { getAll, type VersionedStateReader } from './state';

export {
  type ApplicablePolicies,
  type ChaincodePolicy,
  decodeEndorsementPolicy,
  type DecodedPolicy,
  evaluatePolicy,
  type MspRole,
  policyOrganisations,
  type SignaturePolicyRule,
} from '@approval-ledger/protocol';

export const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

/** The identity behind one endorsement: its MSP and its NodeOU role. */
export type Endorser = PolicyEndorser;

/** Policy bytes requiring every listed organisation (Fabric's KeyEndorsementPolicy: n-out-of-n). */
export function keyEndorsementPolicy(
  mspIds: readonly string[],
  role: 'PEER' | 'MEMBER' = 'PEER',
): Uint8Array {
  const policy = new KeyEndorsementPolicy();
  policy.addOrgs(role, ...[...new Set(mspIds)].sort());
  return Uint8Array.from(policy.getPolicy());
}

/** Which policies a transaction's endorsements must satisfy, given current state (committed + earlier in block). */
export async function applicablePolicies(
  rwset: ReadWriteSet,
  current: VersionedStateReader,
): Promise<ApplicablePolicies> {
  const keyPolicies: { key: string; policy: Uint8Array }[] = [];
  let chaincodePolicyApplies = false;
  const keys = writtenKeys(rwset);
  const values = await getAll(current, keys);
  for (const key of keys) {
    const policy = values.get(key)?.metadata?.[VALIDATION_PARAMETER];
    if (policy && policy.length > 0) keyPolicies.push({ key, policy });
    else chaincodePolicyApplies = true;
  }
  return { keyPolicies, chaincodePolicyApplies: chaincodePolicyApplies || keys.length === 0 };
}

export interface EndorsementValidation {
  readonly valid: boolean;
  /** The key whose policy failed; undefined when the chaincode-level policy failed. */
  readonly failedKey?: string;
  /**
   * Set when the failure is Fabric's same-block rule: an earlier transaction of the block (this index) changed
   * the metadata of `failedKey`, so the key's validation parameter is unknown until that one commits.
   */
  readonly changedInTx?: number;
}

/**
 * Fabric's rule for validation parameters changed inside a block (core/common/validation/statebased,
 * `KeyLevelValidationParameterManagerImpl`): every transaction's metadata writes are recorded as dependencies
 * of their keys; a later transaction of the same block that writes such a key (value or metadata) fails its
 * endorsement policy ("validation parameters for key [...] have been changed in transaction N of block M")
 * when the earlier transaction passed ITS endorsement validation, whatever its endorsements and even if the
 * earlier one is invalidated later by MVCC (the validator decides before MVCC). An earlier transaction that
 * failed endorsement validation changes nothing. One instance per block.
 */
export class BlockValidationParameters {
  /** Key -> the first transaction of the block that changed its metadata and passed endorsement validation. */
  readonly #changedBy = new Map<string, number>();

  /** The first written key whose metadata an earlier transaction of the block changed, with that one's index. */
  changedBefore(rwset: ReadWriteSet): { key: string; txNum: number } | undefined {
    if (this.#changedBy.size === 0) return undefined;
    for (const key of writtenKeys(rwset)) {
      const txNum = this.#changedBy.get(key);
      if (txNum !== undefined) return { key, txNum };
    }
    return undefined;
  }

  /** Records a transaction that passed endorsement validation: its metadata writes change those keys. */
  record(txNum: number, rwset: ReadWriteSet): void {
    for (const { key } of rwset.metadataWrites)
      if (!this.#changedBy.has(key)) this.#changedBy.set(key, txNum);
  }
}

/**
 * Validates a transaction's endorsements against the policy of every key it writes (key-level if the key has
 * one in `current`, else the chaincode-level policy). With `block`, applies Fabric's same-block rule first (see
 * {@link BlockValidationParameters}) and records the transaction when it passes.
 */
export async function validateEndorsements(
  rwset: ReadWriteSet,
  current: VersionedStateReader,
  endorsers: readonly Endorser[],
  chaincodePolicy: ChaincodePolicy,
  block?: { readonly parameters: BlockValidationParameters; readonly txNum: number },
): Promise<EndorsementValidation> {
  const changed = block?.parameters.changedBefore(rwset);
  if (changed) return { valid: false, failedKey: changed.key, changedInTx: changed.txNum };
  const outcome = await evaluateApplicablePolicies(rwset, current, endorsers, chaincodePolicy);
  if (outcome.valid) block?.parameters.record(block.txNum, rwset);
  return outcome;
}

async function evaluateApplicablePolicies(
  rwset: ReadWriteSet,
  current: VersionedStateReader,
  endorsers: readonly Endorser[],
  chaincodePolicy: ChaincodePolicy,
): Promise<EndorsementValidation> {
  const applicable = await applicablePolicies(rwset, current);
  const { valid, failedKey } = endorsementPolicyVerdict(applicable, endorsers, chaincodePolicy);
  return failedKey === undefined ? { valid } : { valid, failedKey };
}

/** Organisations whose endorsement the key-level policies of the written keys ask for. */
export async function requiredOrganisations(
  rwset: ReadWriteSet,
  current: VersionedStateReader,
): Promise<string[]> {
  const { keyPolicies } = await applicablePolicies(rwset, current);
  return [...new Set(keyPolicies.flatMap((k) => policyOrganisations(k.policy)))].sort();
}
