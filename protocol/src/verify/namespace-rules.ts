/**
 * Which transactions may carry a region's records (see `registries/namespaces.ts` for the plan and why):
 *
 * - `record.namespace`: a record of region R is written in R's namespace; a recognition in the namespace of
 *   its two regions. A Beijing record in Tianjin's namespace was endorsed by a peer whose chaincode should
 *   have refused it: only a malicious peer writes one, and Fabric's validator cannot tell (it knows nothing of
 *   record contents), so the verifier refuses it.
 * - `record.endorsement`: the transaction carries a verified endorsement by the peer of every region the
 *   namespace's definition names (R; both for a recognition). This is the definition policy re-checked from
 *   the plan, so an offline verifier needs neither the `_lifecycle` state nor the committer's word.
 *
 * The committer evaluates the same definition policy at commit ({@link definitionPolicy}).
 */
import { REGIONS, type RegionCode } from '../registries/regions.js';
import { chaincodeDefinition, namespaceOfRecord } from '../registries/namespaces.js';
import { type Check, failed, unchecked, verified } from './check.js';
import { type PolicyEndorser } from './endorsement-policy.js';

export const NAMESPACE_CHECKS = {
  namespace: 'record.namespace',
  endorsement: 'record.endorsement',
} as const;

/** Whose record it is: its region, and for a recognition the other region of the pair. */
export interface RecordOrigin {
  readonly region: RegionCode;
  readonly otherRegion?: RegionCode;
  /** For the detail: `milestone`, `certificate`, ... */
  readonly kind: string;
}

/** The transaction the record was written in, as decoded and verified. */
export interface RecordTransaction {
  /** The chaincode namespace the transaction invoked (its written namespace); undefined when not decodable. */
  readonly namespace: string | undefined;
  /** The endorsers whose endorsement signature verified (`policyEndorsers`). */
  readonly endorsers: readonly PolicyEndorser[];
}

/**
 * The definition policy of a namespace of the plan as a predicate over verified endorsers (every named MSP's
 * peer endorsed), or undefined when the namespace is not one of the plan.
 */
export function definitionPolicy(
  namespace: string,
): ((endorsers: readonly PolicyEndorser[]) => boolean) | undefined {
  const definition = chaincodeDefinition(namespace);
  if (!definition) return undefined;
  return (endorsers) => missingPeers(definition.endorsingMspIds, endorsers).length === 0;
}

function missingPeers(mspIds: readonly string[], endorsers: readonly PolicyEndorser[]): string[] {
  return mspIds.filter((mspId) => !endorsers.some((e) => e.mspId === mspId && e.role === 'peer'));
}

function describe(origin: RecordOrigin): string {
  return origin.otherRegion === undefined
    ? `a ${origin.region} ${origin.kind}`
    : `a ${origin.kind} between ${origin.region} and ${origin.otherRegion}`;
}

/** `record.namespace` and `record.endorsement` of one record and the transaction that wrote it. */
export function recordNamespaceChecks(origin: RecordOrigin, tx: RecordTransaction): Check[] {
  const expected = namespaceOfRecord(origin.region, origin.otherRegion);
  const what = describe(origin);
  const namespace =
    tx.namespace === undefined
      ? unchecked(NAMESPACE_CHECKS.namespace, 'the transaction does not name its chaincode namespace')
      : tx.namespace === expected
        ? verified(NAMESPACE_CHECKS.namespace, `${what} in ${expected}`)
        : failed(
            NAMESPACE_CHECKS.namespace,
            `${what} must be written in namespace ${expected}; its transaction is in ${tx.namespace}`,
          );
  const required = [origin.region, ...(origin.otherRegion ? [origin.otherRegion] : [])].map(
    (r) => REGIONS[r].mspId,
  );
  const missing = missingPeers(required, tx.endorsers);
  const endorsement =
    missing.length === 0
      ? verified(NAMESPACE_CHECKS.endorsement, `endorsed by the peers of ${required.join(' and ')}`)
      : failed(
          NAMESPACE_CHECKS.endorsement,
          `${what} needs the endorsement of ${required.map((m) => `${m}.peer`).join(' and ')}; ` +
            `missing ${missing.map((m) => `${m}.peer`).join(', ')}`,
        );
  return [namespace, endorsement];
}
