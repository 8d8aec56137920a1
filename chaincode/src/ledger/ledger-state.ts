// World-state access for the contracts: canonical JSON values under composite keys, partial-key
// ranges, key history, key-level endorsement policies and the transaction's one event.
import { canonicalize } from '@approval-ledger/protocol';
import type { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';
import type { KeyType } from './keys';
import { invokedDefinition } from './namespace';
import { getStates } from '../shim/peer-batching';

const decoder = new TextDecoder();

export interface Listed<T> {
  readonly attributes: readonly string[];
  readonly value: T;
}

export interface HistoryItem<T> {
  readonly txId: string;
  readonly timestamp: string;
  readonly isDelete: boolean;
  readonly value?: T;
}

function parseValue<T>(bytes: Uint8Array): T {
  return JSON.parse(decoder.decode(bytes)) as T;
}

function isoOf(ts: { seconds: number | { toNumber(): number }; nanos: number }): string {
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : ts.seconds.toNumber();
  return new Date(seconds * 1000 + Math.floor(ts.nanos / 1_000_000)).toISOString();
}

/** Encoded key-level policies by organisation set: the same organisations always encode to the same bytes. */
const policies = new Map<string, Buffer>();
const POLICY_CACHE_LIMIT = 64;

/** KeyEndorsementPolicy bytes requiring a peer of every named organisation (a fresh copy each call). */
export function endorsementPolicy(mspIds: readonly string[]): Buffer {
  // one organisation (every milestone key): no set or sort per call
  const orgs = mspIds.length === 1 ? [...mspIds] : [...new Set(mspIds)].sort();
  const id = JSON.stringify(orgs);
  let bytes = policies.get(id);
  if (!bytes) {
    const policy = new KeyEndorsementPolicy();
    policy.addOrgs('PEER', ...orgs);
    bytes = Buffer.from(policy.getPolicy());
    if (policies.size >= POLICY_CACHE_LIMIT) policies.clear();
    policies.set(id, bytes);
  }
  return Buffer.from(bytes);
}

/** True when `a` and `b` name the same organisations. */
function sameOrganisations(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 1 && b.length === 1) return a[0] === b[0]; // a region's namespace and one record's region
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((m) => y.has(m));
}

export class LedgerState {
  readonly #ctx: Context;
  #eventSet = false;
  /** The organisations the invoked definition's own policy requires (all of them), or null outside the plan. */
  #definitionEndorsers: readonly string[] | null | undefined;

  constructor(ctx: Context) {
    this.#ctx = ctx;
  }

  key(type: KeyType, attributes: readonly string[]): string {
    return this.#ctx.stub.createCompositeKey(type, [...attributes]);
  }

  async get<T>(type: KeyType, attributes: readonly string[]): Promise<T | undefined> {
    const bytes = await this.#ctx.stub.getState(this.key(type, attributes));
    return bytes && bytes.length > 0 ? parseValue<T>(bytes) : undefined;
  }

  /**
   * The entries under several keys of one type, in order: one GET_STATE_MULTIPLE per `maxSizeGetMultipleKeys` keys
   * on a peer that offers it (Fabric 3.1), else a GET_STATE each. Each key is a read of the transaction either way.
   */
  async getMany<T>(type: KeyType, attributes: readonly (readonly string[])[]): Promise<(T | undefined)[]> {
    const values = await getStates(
      this.#ctx.stub,
      attributes.map((a) => this.key(type, a)),
    );
    return values.map((bytes) => (bytes && bytes.length > 0 ? parseValue<T>(bytes) : undefined));
  }

  /** Stores `value` as canonical JSON (RFC 8785), so every language and peer writes the same bytes. */
  async put(type: KeyType, attributes: readonly string[], value: unknown): Promise<void> {
    await this.putJson(type, attributes, canonicalize(value));
  }

  /** Stores `json`, which the caller has already made canonical (e.g. `milestoneEntryJson`). */
  putJson(type: KeyType, attributes: readonly string[], json: string): Promise<void> {
    return this.#ctx.stub.putState(this.key(type, attributes), Buffer.from(json, 'utf8'));
  }

  /**
   * Requires every named organisation to endorse later changes of this key. Inside the namespace plan the
   * invoked definition's own policy already requires exactly these organisations for every key of the namespace
   * (a region's namespace: its peer; a pair's: both), so a key-level policy would repeat it at the cost of one
   * more call to the peer and one more metadata write per key: then nothing is set. Outside the plan (one
   * definition endorsed by any region) the key-level policy is what guards later changes, and it is set.
   */
  setEndorsers(
    type: KeyType,
    attributes: readonly string[],
    mspIds: readonly string[],
  ): Promise<void> | undefined {
    if (this.#definitionEndorsers === undefined)
      this.#definitionEndorsers = invokedDefinition(this.#ctx)?.endorsingMspIds ?? null;
    // nothing to set: no promise either (a batch asks once per record)
    if (this.#definitionEndorsers !== null && sameOrganisations(this.#definitionEndorsers, mspIds))
      return undefined;
    return this.#ctx.stub.setStateValidationParameter(this.key(type, attributes), endorsementPolicy(mspIds));
  }

  /** Every entry under a partial key, in key order. */
  async list<T>(type: KeyType, partial: readonly string[]): Promise<Listed<T>[]> {
    const out: Listed<T>[] = [];
    for await (const kv of this.#ctx.stub.getStateByPartialCompositeKey(type, [...partial])) {
      out.push({
        attributes: this.#ctx.stub.splitCompositeKey(kv.key).attributes,
        value: parseValue<T>(kv.value),
      });
    }
    return out;
  }

  /** The key's history, newest first. */
  async history<T>(type: KeyType, attributes: readonly string[]): Promise<HistoryItem<T>[]> {
    const out: HistoryItem<T>[] = [];
    for await (const mod of this.#ctx.stub.getHistoryForKey(this.key(type, attributes))) {
      const base = { txId: mod.txId, timestamp: isoOf(mod.timestamp), isDelete: mod.isDelete };
      out.push(mod.isDelete || mod.value.length === 0 ? base : { ...base, value: parseValue<T>(mod.value) });
    }
    return out;
  }

  /** Sets the transaction's one chaincode event (Fabric keeps only the last one set). */
  emit(name: string, payload: unknown): void {
    if (this.#eventSet) throw new Error(`a second chaincode event (${name}) in one transaction`);
    this.#eventSet = true;
    this.#ctx.stub.setEvent(name, Buffer.from(canonicalize(payload), 'utf8'));
  }

  get txId(): string {
    return this.#ctx.stub.getTxID();
  }
}
