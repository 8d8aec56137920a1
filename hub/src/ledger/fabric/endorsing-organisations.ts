/**
 * Which organisations the Fabric engine asks to endorse (fabric-gateway `endorsingOrganizations` on the
 * proposal). Left to itself the gateway plans from the chaincode-level policy; under the single `approval-ledger`
 * definition, `OR` of the three regions' peers, its own organisation suffices, so through Tianjin's gateway a
 * Beijing milestone was endorsed by Tianjin's peer alone (issue 13, item 3). So:
 *
 * - a namespace of the plan (@approval-ledger/protocol `registries/namespaces.ts`): the organisations its
 *   definition names, its region's (a recognition pair: both), which its policy also requires;
 * - the legacy single definition: the creator's own organisation, whose region the chaincode requires of every
 *   record it writes; except recognition requests and decisions, whose key-level policy names both regions and
 *   which the gateway plans from the chaincode interest the endorsement reports (state-based endorsement).
 *
 * An explicit `SubmitOptions.endorsingOrganizations` wins.
 */
import { chaincodeDefinition, REGIONS } from '@approval-ledger/protocol';
import { type LedgerIdentity } from '../ledger-port';

const PLANNED_BY_GATEWAY = new Set(['recognition:Request', 'recognition:Decide']);

export function endorsingOrganisations(
  namespace: string,
  identity: LedgerIdentity,
  fn: string,
  requested?: readonly string[],
): string[] | undefined {
  if (requested) return [...requested];
  const definition = chaincodeDefinition(namespace);
  if (definition) return [...definition.endorsingMspIds];
  if (PLANNED_BY_GATEWAY.has(fn)) return undefined;
  return [REGIONS[identity.region].mspId];
}
