// Key-level (state-based) endorsement policies. Chaincode sets them with
// `stub.setStateValidationParameter(key, new KeyEndorsementPolicy().getPolicy())`; the bytes are a
// `common.SignaturePolicyEnvelope`. At commit the peer checks, for every key a transaction writes
// (value or metadata), the policy the key carries in current state; keys without one fall under the
// chaincode-level policy. These helpers decode, evaluate and apply that rule for the embedded engine.
import { common, msp } from '@hyperledger/fabric-protos';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { writtenKeys, type ReadWriteSet } from './read-write-set';
import { getAll, type VersionedStateReader } from './state';

export const VALIDATION_PARAMETER = 'VALIDATION_PARAMETER';

export type MspRole = 'member' | 'admin' | 'client' | 'peer' | 'orderer';

/** The identity behind one endorsement: its MSP and its NodeOU role. */
export interface Endorser {
  readonly mspId: string;
  readonly role: MspRole;
}

export type SignaturePolicyRule =
  | { readonly signedBy: number }
  | { readonly nOutOf: { readonly n: number; readonly rules: readonly SignaturePolicyRule[] } };

export interface DecodedPolicy {
  readonly identities: readonly { readonly mspId: string; readonly role: MspRole }[];
  readonly rule: SignaturePolicyRule;
}

const ROLE_NAMES: Record<number, MspRole> = { 0: 'member', 1: 'admin', 2: 'client', 3: 'peer', 4: 'orderer' };

/** Policy bytes requiring every listed organisation (Fabric's KeyEndorsementPolicy: n-out-of-n). */
export function keyEndorsementPolicy(
  mspIds: readonly string[],
  role: 'PEER' | 'MEMBER' = 'PEER',
): Uint8Array {
  const policy = new KeyEndorsementPolicy();
  policy.addOrgs(role, ...[...new Set(mspIds)].sort());
  return Uint8Array.from(policy.getPolicy());
}

function decodeRule(rule: common.SignaturePolicy | undefined): SignaturePolicyRule {
  if (!rule) throw new Error('signature policy has no rule');
  if (rule.hasNOutOf()) {
    const nOutOf = rule.getNOutOf()!;
    return { nOutOf: { n: nOutOf.getN(), rules: nOutOf.getRulesList().map(decodeRule) } };
  }
  return { signedBy: rule.getSignedBy() };
}

export function decodeEndorsementPolicy(bytes: Uint8Array): DecodedPolicy {
  const envelope = common.SignaturePolicyEnvelope.deserializeBinary(bytes);
  const identities = envelope.getIdentitiesList().map((principal) => {
    if (principal.getPrincipalClassification() !== msp.MSPPrincipal.Classification.ROLE) {
      throw new Error('only ROLE principals are supported in key-level endorsement policies');
    }
    const role = msp.MSPRole.deserializeBinary(principal.getPrincipal_asU8());
    return { mspId: role.getMspIdentifier(), role: ROLE_NAMES[role.getRole()] ?? 'member' };
  });
  return { identities, rule: decodeRule(envelope.getRule()) };
}

/** The organisations a policy names (for an n-out-of-n policy: the ones that must all endorse). */
export function policyOrganisations(policy: Uint8Array | DecodedPolicy): string[] {
  const decoded = policy instanceof Uint8Array ? decodeEndorsementPolicy(policy) : policy;
  return [...new Set(decoded.identities.map((i) => i.mspId))].sort();
}

function satisfiesPrincipal(endorser: Endorser, principal: DecodedPolicy['identities'][number]): boolean {
  if (endorser.mspId !== principal.mspId) return false;
  return principal.role === 'member' || principal.role === endorser.role;
}

/** Fabric's cauthdsl evaluation: each endorsement satisfies at most one principal. */
function evaluateRule(
  rule: SignaturePolicyRule,
  policy: DecodedPolicy,
  endorsers: readonly Endorser[],
  used: boolean[],
): boolean {
  if ('signedBy' in rule) {
    const principal = policy.identities[rule.signedBy];
    if (!principal) return false;
    const index = endorsers.findIndex((e, i) => !used[i] && satisfiesPrincipal(e, principal));
    if (index < 0) return false;
    used[index] = true;
    return true;
  }
  const trial = [...used];
  let verified = 0;
  for (const sub of rule.nOutOf.rules) if (evaluateRule(sub, policy, endorsers, trial)) verified++;
  if (verified < rule.nOutOf.n) return false;
  trial.forEach((u, i) => (used[i] = u));
  return true;
}

export function evaluatePolicy(policy: Uint8Array | DecodedPolicy, endorsers: readonly Endorser[]): boolean {
  const decoded = policy instanceof Uint8Array ? decodeEndorsementPolicy(policy) : policy;
  return evaluateRule(
    decoded.rule,
    decoded,
    endorsers,
    endorsers.map(() => false),
  );
}

export interface ApplicablePolicies {
  /** Written keys that carry a key-level policy in current state, with that policy. */
  readonly keyPolicies: readonly { readonly key: string; readonly policy: Uint8Array }[];
  /** True when some written key has no key-level policy, or the transaction writes nothing. */
  readonly chaincodePolicyApplies: boolean;
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

/** The chaincode-level endorsement policy: policy bytes, or a predicate over the endorsers. */
export type ChaincodePolicy = Uint8Array | ((endorsers: readonly Endorser[]) => boolean);

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
  for (const { key, policy } of applicable.keyPolicies) {
    if (!evaluatePolicy(policy, endorsers)) return { valid: false, failedKey: key };
  }
  if (!applicable.chaincodePolicyApplies) return { valid: true };
  const ok =
    chaincodePolicy instanceof Uint8Array
      ? evaluatePolicy(chaincodePolicy, endorsers)
      : chaincodePolicy(endorsers);
  return { valid: ok };
}

/** Organisations whose endorsement the key-level policies of the written keys ask for. */
export async function requiredOrganisations(
  rwset: ReadWriteSet,
  current: VersionedStateReader,
): Promise<string[]> {
  const { keyPolicies } = await applicablePolicies(rwset, current);
  return [...new Set(keyPolicies.flatMap((k) => policyOrganisations(k.policy)))].sort();
}
