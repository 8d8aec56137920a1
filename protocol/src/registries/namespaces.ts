/**
 * The chaincode namespaces of the channel: ONE chaincode (the same code), deployed under several chaincode
 * definitions, each on its own package and chaincode servers (a chaincode cannot call another definition of its
 * own package in one transaction on a peer: `network/README.md`), so that Fabric's own validator guards every
 * write of a region's records, first writes included.
 *
 * Fabric's validator checks, per namespace a transaction writes, the key-level policy of each written key that
 * has one in committed state, else the namespace's chaincode-definition endorsement policy. A first write has
 * no key-level policy yet, so only the definition policy can guard it; and the validator knows nothing about
 * key prefixes or record contents. Hence one definition per region, holding that region's records and
 * registries, whose policy names that region's peers only, and one per pair of regions for recognitions,
 * whose policy needs both:
 *
 * | namespace          | records                                         | definition policy                        |
 * | ------------------ | ----------------------------------------------- | ---------------------------------------- |
 * | `approval-beijing` | BJ milestones, certificates, revocations, credit events, issuer and signer registries | `OR('BeijingMSP.peer')` |
 * | `approval-tianjin` | the same for TJ                                 | `OR('TianjinMSP.peer')`                  |
 * | `approval-hebei`   | the same for HE                                 | `OR('HebeiMSP.peer')`                    |
 * | `approval-bj-tj`   | recognitions between BJ and TJ (either way)      | `AND('BeijingMSP.peer','TianjinMSP.peer')` |
 * | `approval-bj-he`   | recognitions between BJ and HE                  | `AND('BeijingMSP.peer','HebeiMSP.peer')` |
 * | `approval-tj-he`   | recognitions between TJ and HE                  | `AND('TianjinMSP.peer','HebeiMSP.peer')` |
 *
 * The chaincode refuses, at endorsement, a record of another region than its namespace's; the verifier
 * (`verify/namespace-rules.ts`) accepts a record only from a transaction in its namespace that carries the
 * required peers' endorsements, so an offline verifier needs no copy of the definitions (which live in
 * Fabric's `_lifecycle` state, not in the config block). This table is the one place the plan is written;
 * `network/` deploys it and its static test reads it back.
 */
import { REGION_CODES, REGIONS, type RegionCode } from './regions.js';

/** The name every namespace of the plan starts with. */
export const CHAINCODE_BASE_NAME = 'approval';

/** What a namespace holds: one region's records, or the recognitions between two regions. */
export type NamespaceScope =
  | { readonly kind: 'region'; readonly region: RegionCode }
  | { readonly kind: 'recognition'; readonly regions: readonly [RegionCode, RegionCode] };

export interface ChaincodeDefinition {
  readonly namespace: string;
  readonly scope: NamespaceScope;
  /** The MSP IDs whose peers must ALL endorse (one for a region, two for a pair). */
  readonly endorsingMspIds: readonly string[];
  /** The definition's `--signature-policy`, in Fabric's policy language. */
  readonly signaturePolicy: string;
}

/** `approval-beijing`, `approval-tianjin`, `approval-hebei`. */
export function regionNamespace(region: RegionCode): string {
  return `${CHAINCODE_BASE_NAME}-${REGIONS[region].en.toLowerCase()}`;
}

/** The pair namespace of recognitions between two regions, whichever is source and which target. */
export function recognitionNamespace(a: RegionCode, b: RegionCode): string {
  if (a === b) throw new Error(`a recognition is between two different regions, not ${a} and ${b}`);
  const [first, second] = REGION_CODES.filter((code) => code === a || code === b);
  return `${CHAINCODE_BASE_NAME}-${(first ?? a).toLowerCase()}-${(second ?? b).toLowerCase()}`;
}

function definition(namespace: string, scope: NamespaceScope): ChaincodeDefinition {
  const regions = scope.kind === 'region' ? [scope.region] : [...scope.regions];
  const endorsingMspIds = regions.map((r) => REGIONS[r].mspId);
  const principals = endorsingMspIds.map((m) => `'${m}.peer'`).join(',');
  return {
    namespace,
    scope,
    endorsingMspIds,
    signaturePolicy: `${scope.kind === 'region' ? 'OR' : 'AND'}(${principals})`,
  };
}

function buildDefinitions(): ChaincodeDefinition[] {
  const regional = REGION_CODES.map((region) =>
    definition(regionNamespace(region), { kind: 'region', region }),
  );
  const pairs: ChaincodeDefinition[] = [];
  for (const [i, a] of REGION_CODES.entries()) {
    for (const b of REGION_CODES.slice(i + 1)) {
      pairs.push(definition(recognitionNamespace(a, b), { kind: 'recognition', regions: [a, b] }));
    }
  }
  return [...regional, ...pairs];
}

/** Every chaincode definition of the channel, regions first, then pairs. */
export const CHAINCODE_DEFINITIONS: readonly ChaincodeDefinition[] = buildDefinitions();

/** The definition of a namespace of the plan, or undefined for any other name. */
export function chaincodeDefinition(namespace: string): ChaincodeDefinition | undefined {
  return CHAINCODE_DEFINITIONS.find((d) => d.namespace === namespace);
}

/** The namespace a record of `region` must be written in (a recognition: the pair of its two regions). */
export function namespaceOfRecord(region: RegionCode, otherRegion?: RegionCode): string {
  return otherRegion === undefined ? regionNamespace(region) : recognitionNamespace(region, otherRegion);
}
