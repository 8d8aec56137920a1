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
}

/** The core's `transaction.policy` rule over the policies found in `current` state. */
export async function validateEndorsements(
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
