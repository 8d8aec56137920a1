/**
 * Which chaincode namespace a transaction goes to. A ledger is in one of two modes, fixed when it was created:
 *
 * - `plan` (the default for a new embedded data directory and a new Fabric deployment): the namespaces of the
 *   plan (@approval-ledger/protocol `registries/namespaces.ts`). A region's records and registries go to its
 *   region's namespace (`approval-beijing`, ...), endorsed by that region's peer only; recognitions to the pair
 *   namespace of their two regions (`approval-bj-tj`, ...), endorsed by both. Fabric's validator then refuses a
 *   record endorsed by another region alone, first writes included.
 * - `legacy`: everything in the one old definition `approval-ledger` (policy OR of the three regions' peers),
 *   for a ledger created before the plan. It keeps working as it was; it is NOT protected against a first
 *   write endorsed by another region (see network/README.md), and the two modes are never mixed on one ledger.
 *
 * The services say WHERE a record belongs (a {@link LedgerScope}: a region, or the pair of a recognition); the
 * engine turns it into a chaincode name by its mode. Without a scope a call goes to the namespace of the
 * identity's region: every region record is written by its own region's identities.
 */
import {
  CHAINCODE_DEFINITIONS,
  CHAINCODE_BASE_NAME,
  type NamespaceScope,
  recognitionNamespace,
  regionNamespace,
  type RegionCode,
} from '@approval-ledger/protocol';

export type NamespaceMode = 'plan' | 'legacy';

export const NAMESPACE_MODES: readonly NamespaceMode[] = ['plan', 'legacy'];

/** The single chaincode definition of the legacy mode. */
export const LEGACY_CHAINCODE_NAME = 'approval-ledger';

/**
 * What the embedded ledger's block 0 names as its chaincode: the plan's base name (`approval`) for the plan,
 * the legacy definition's name otherwise. Read back at every start, so the mode is fixed at genesis.
 */
export function genesisChaincodeName(mode: NamespaceMode): string {
  return mode === 'plan' ? CHAINCODE_BASE_NAME : LEGACY_CHAINCODE_NAME;
}

/** The mode a block 0 chaincode name stands for. */
export function modeOfGenesisChaincode(name: string): NamespaceMode {
  return name === CHAINCODE_BASE_NAME ? 'plan' : 'legacy';
}

/** Where a record belongs: a region's records, or the recognitions between two regions. */
export type LedgerScope = NamespaceScope;

export function regionScope(region: RegionCode): LedgerScope {
  return { kind: 'region', region };
}

export function pairScope(a: RegionCode, b: RegionCode): LedgerScope {
  return { kind: 'recognition', regions: [a, b] };
}

/** The chaincode name a scope is transacted under in a mode (`legacy`: always the one old name). */
export function chaincodeNameOf(
  mode: NamespaceMode,
  scope: LedgerScope,
  legacyName = LEGACY_CHAINCODE_NAME,
): string {
  if (mode === 'legacy') return legacyName;
  return scope.kind === 'region'
    ? regionNamespace(scope.region)
    : recognitionNamespace(scope.regions[0], scope.regions[1]);
}

/** Every chaincode name of a mode: the seven namespaces of the plan, or the legacy name. */
export function chaincodeNamesOf(mode: NamespaceMode, legacyName = LEGACY_CHAINCODE_NAME): string[] {
  return mode === 'plan' ? CHAINCODE_DEFINITIONS.map((d) => d.namespace) : [legacyName];
}

/** The namespaces a query may have to ask when it cannot tell the region of what it looks for. */
export function regionScopes(): LedgerScope[] {
  return CHAINCODE_DEFINITIONS.filter((d) => d.scope.kind === 'region').map((d) => d.scope);
}
