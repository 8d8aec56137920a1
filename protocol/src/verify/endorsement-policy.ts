/**
 * Endorsement policies as Fabric evaluates them (cauthdsl): a `common.SignaturePolicyEnvelope` (the bytes of a
 * key-level validation parameter, or a chaincode-level policy) decoded with the package's protobuf reader, and
 * evaluated over the endorsers whose endorsement verified (`policyEndorsers` of a transaction verdict), each
 * endorsement satisfying at most one principal. Field numbers from fabric-protos `common/policies.proto` and
 * `msp/msp_principal.proto`:
 *
 * - `SignaturePolicyEnvelope { int32 version = 1; SignaturePolicy rule = 2; repeated MSPPrincipal identities = 3; }`
 * - `SignaturePolicy { oneof Type { int32 signed_by = 1; NOutOf n_out_of = 2; } }`,
 *   `NOutOf { int32 n = 1; repeated SignaturePolicy rules = 2; }`
 * - `MSPPrincipal { Classification principal_classification = 1; bytes principal = 2; }` (ROLE = 0),
 *   `MSPRole { string msp_identifier = 1; MSPRoleType role = 2; }` (MEMBER, ADMIN, CLIENT, PEER, ORDERER).
 *
 * Which policy governs a written key (its validation parameter in state, else the chaincode-level policy) is the
 * engine's to look up in its state; the rule over what it found is {@link endorsementPolicyVerdict}.
 */
import { ProtobufMessage } from '../block-format/protobuf-reader.js';
import { type Check, failed, verified } from './check.js';

export type MspRole = 'member' | 'admin' | 'client' | 'peer' | 'orderer';

/** The identity behind one endorsement: its MSP and its NodeOU role. */
export interface PolicyEndorser {
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
const ROLE_CLASSIFICATION = 0;

function decodeRule(rule: ProtobufMessage | undefined): SignaturePolicyRule {
  if (!rule) throw new Error('signature policy has no rule');
  const nOutOf = rule.message(2, 'n_out_of', 'NOutOf');
  if (nOutOf) {
    return {
      nOutOf: {
        n: nOutOf.int32(1, 'n'),
        rules: nOutOf.repeatedMessages(2, 'rules', 'SignaturePolicy').map(decodeRule),
      },
    };
  }
  return { signedBy: rule.int32(1, 'signed_by') };
}

/** Decodes `common.SignaturePolicyEnvelope` bytes; ROLE principals only (what key-level policies use). */
export function decodeEndorsementPolicy(bytes: Uint8Array): DecodedPolicy {
  const envelope = ProtobufMessage.decode(bytes, 'SignaturePolicyEnvelope');
  const identities = envelope.repeatedMessages(3, 'identities', 'MSPPrincipal').map((principal) => {
    if (principal.int32(1, 'principal_classification') !== ROLE_CLASSIFICATION) {
      throw new Error('only ROLE principals are supported in key-level endorsement policies');
    }
    const role = ProtobufMessage.decode(principal.bytes(2, 'principal'), 'MSPRole');
    return { mspId: role.string(1, 'msp_identifier'), role: ROLE_NAMES[role.int32(2, 'role')] ?? 'member' };
  });
  return { identities, rule: decodeRule(envelope.message(2, 'rule', 'SignaturePolicy')) };
}

/** The organisations a policy names (for an n-out-of-n policy: the ones that must all endorse). */
export function policyOrganisations(policy: Uint8Array | DecodedPolicy): string[] {
  const decoded = policy instanceof Uint8Array ? decodeEndorsementPolicy(policy) : policy;
  return [...new Set(decoded.identities.map((i) => i.mspId))].sort();
}

function satisfiesPrincipal(
  endorser: PolicyEndorser,
  principal: DecodedPolicy['identities'][number],
): boolean {
  if (endorser.mspId !== principal.mspId) return false;
  return principal.role === 'member' || principal.role === endorser.role;
}

/** Fabric's cauthdsl evaluation: each endorsement satisfies at most one principal. */
function evaluateRule(
  rule: SignaturePolicyRule,
  policy: DecodedPolicy,
  endorsers: readonly PolicyEndorser[],
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

/** True when the endorsers satisfy the policy. */
export function evaluatePolicy(
  policy: Uint8Array | DecodedPolicy,
  endorsers: readonly PolicyEndorser[],
): boolean {
  const decoded = policy instanceof Uint8Array ? decodeEndorsementPolicy(policy) : policy;
  return evaluateRule(
    decoded.rule,
    decoded,
    endorsers,
    endorsers.map(() => false),
  );
}

/** The chaincode-level endorsement policy: policy bytes, or a predicate over the endorsers. */
export type ChaincodePolicy = Uint8Array | ((endorsers: readonly PolicyEndorser[]) => boolean);

/** The policies a transaction's writes fall under, as the engine found them in its state. */
export interface ApplicablePolicies {
  /** Written keys that carry a key-level policy in current state, with that policy. */
  readonly keyPolicies: readonly { readonly key: string; readonly policy: Uint8Array }[];
  /** True when some written key has no key-level policy, or the transaction writes nothing. */
  readonly chaincodePolicyApplies: boolean;
}

export interface EndorsementPolicyVerdict {
  readonly valid: boolean;
  /** The key whose policy failed; undefined when the chaincode-level policy failed. */
  readonly failedKey?: string;
  /** `transaction.policy`. */
  readonly check: Check;
}

/**
 * `transaction.policy`: every written key's key-level policy, and the chaincode-level policy when a written key
 * has none (or nothing is written), is satisfied by the verified endorsers. A failure is Fabric's
 * ENDORSEMENT_POLICY_FAILURE.
 */
export function endorsementPolicyVerdict(
  applicable: ApplicablePolicies,
  endorsers: readonly PolicyEndorser[],
  chaincodePolicy: ChaincodePolicy,
): EndorsementPolicyVerdict {
  const name = 'transaction.policy';
  for (const { key, policy } of applicable.keyPolicies) {
    if (!evaluatePolicy(policy, endorsers)) {
      return {
        valid: false,
        failedKey: key,
        check: failed(name, `the endorsements do not satisfy the policy of ${JSON.stringify(key)}`),
      };
    }
  }
  if (!applicable.chaincodePolicyApplies) return { valid: true, check: verified(name) };
  const ok =
    chaincodePolicy instanceof Uint8Array
      ? evaluatePolicy(chaincodePolicy, endorsers)
      : chaincodePolicy(endorsers);
  return ok
    ? { valid: true, check: verified(name) }
    : { valid: false, check: failed(name, 'the endorsements do not satisfy the chaincode-level policy') };
}
