// Reads of another chaincode namespace of the plan (see `namespace.ts`): a recognition lives in its pair's
// namespace, but its source record and the deciding region's signer registry live in the regions' own. A chaincode
// cannot read another namespace's state directly; it calls that namespace's chaincode (the same code) on the
// same channel, read-only, through the `state` contract. The peer records those reads under the called
// namespace and validates them at commit, so a source revoked in between invalidates the decision (MVCC).
import { recognitionNamespace, regionNamespace, type RegionCode } from '@approval-ledger/protocol';
import type { Context } from 'fabric-contract-api';
import { fail } from './fail';
import type { KeyType } from './keys';
import type { LedgerState, Listed } from './ledger-state';
import { invokedDefinition } from './namespace';

/** What the rules read: one entry, or every entry under a partial key. */
export interface StateReader {
  get<T>(type: KeyType, attributes: readonly string[]): Promise<T | undefined>;
  list<T>(type: KeyType, partial: readonly string[]): Promise<Listed<T>[]>;
}

const decoder = new TextDecoder();

/** Another namespace's state, read through chaincode-to-chaincode calls of its `state` contract. */
export class CalledNamespaceState implements StateReader {
  constructor(
    private readonly ctx: Context,
    readonly namespace: string,
  ) {}

  async get<T>(type: KeyType, attributes: readonly string[]): Promise<T | undefined> {
    const text = await this.#call('state:Get', type, attributes);
    return text === '' ? undefined : (JSON.parse(text) as T);
  }

  async list<T>(type: KeyType, partial: readonly string[]): Promise<Listed<T>[]> {
    return JSON.parse(await this.#call('state:List', type, partial)) as Listed<T>[];
  }

  async #call(fn: string, type: KeyType, attributes: readonly string[]): Promise<string> {
    const response = await this.ctx.stub.invokeChaincode(
      this.namespace,
      [fn, type, JSON.stringify(attributes)],
      '',
    );
    if (response.status >= 400)
      fail('INVALID_STATE', `${this.namespace} answered ${fn}: ${response.message}`);
    return decoder.decode(response.payload);
  }
}

/**
 * The state holding `region`'s records: this invocation's own when it runs as that region's namespace or outside
 * the plan (one namespace holds everything), else that region's namespace, read through calls.
 */
export function regionState(ctx: Context, own: LedgerState, region: RegionCode): StateReader {
  const definition = invokedDefinition(ctx);
  const namespace = regionNamespace(region);
  return !definition || definition.namespace === namespace ? own : new CalledNamespaceState(ctx, namespace);
}

/**
 * The state holding the recognitions between regions `a` and `b`: this invocation's own when it runs as their
 * pair's namespace or outside the plan, else the pair's namespace, read through calls.
 */
export function pairState(ctx: Context, own: LedgerState, a: RegionCode, b: RegionCode): StateReader {
  const definition = invokedDefinition(ctx);
  const namespace = recognitionNamespace(a, b);
  return !definition || definition.namespace === namespace ? own : new CalledNamespaceState(ctx, namespace);
}

/** True when this invocation runs as a namespace of the plan (records of one region or pair only). */
export function runsInPlan(ctx: Context): boolean {
  return invokedDefinition(ctx) !== undefined;
}
