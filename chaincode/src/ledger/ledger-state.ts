// World-state access for the contracts: canonical JSON values under composite keys, partial-key
// ranges, key history, key-level endorsement policies and the transaction's one event.
import { canonicalize } from '@approval-ledger/protocol';
import type { Context } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';
import type { KeyType } from './keys';

const decoder = new TextDecoder();

export interface Listed<T> {
  readonly attributes: readonly string[];
  readonly value: T;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Pass back to get the next page; '' when there is none. */
  readonly bookmark: string;
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
  const orgs = [...new Set(mspIds)].sort();
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

export class LedgerState {
  readonly #ctx: Context;
  #eventSet = false;

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

  /** Stores `value` as canonical JSON (RFC 8785), so every language and peer writes the same bytes. */
  async put(type: KeyType, attributes: readonly string[], value: unknown): Promise<void> {
    await this.#ctx.stub.putState(this.key(type, attributes), Buffer.from(canonicalize(value), 'utf8'));
  }

  /** Requires every named organisation to endorse later changes of this key. */
  async setEndorsers(type: KeyType, attributes: readonly string[], mspIds: readonly string[]): Promise<void> {
    await this.#ctx.stub.setStateValidationParameter(this.key(type, attributes), endorsementPolicy(mspIds));
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

  /** One page of entries under a partial key (read-only transactions only, as on a peer). */
  async page<T>(
    type: KeyType,
    partial: readonly string[],
    pageSize: number,
    bookmark: string,
  ): Promise<Page<Listed<T>>> {
    const { iterator, metadata } = await this.#ctx.stub.getStateByPartialCompositeKeyWithPagination(
      type,
      [...partial],
      pageSize,
      bookmark,
    );
    const items: Listed<T>[] = [];
    try {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
        items.push({
          attributes: this.#ctx.stub.splitCompositeKey(r.value.key).attributes,
          value: parseValue<T>(r.value.value),
        });
      }
    } finally {
      await iterator.close();
    }
    return { items, bookmark: metadata?.bookmark ?? '' };
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
