// A trivial key-value chaincode for engine-only tests (MVCC and phantom conflicts, key-level endorsement
// policies, deletes, history): not deployed on Fabric, so the behaviours it drives are the embedded
// engine's own; the conformance suite drives the approval chaincode on both engines.
import 'reflect-metadata';
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { keyEndorsementPolicy } from '@approval-ledger/fabric-engine';
import { type ContractChaincode, createContractChaincode } from '@approval-ledger/chaincode';
import { type EmbeddedChaincode } from '../../src/ledger/embedded/embedded-chaincode';

const utf8 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

@Info({ title: 'kv', description: 'key-value test chaincode' })
export class KvContract extends Contract {
  constructor() {
    super('kv');
  }

  @Transaction()
  async Put(ctx: Context, key: string, value: string): Promise<void> {
    await ctx.stub.putState(key, Buffer.from(value));
    ctx.stub.setEvent('Put', Buffer.from(JSON.stringify({ key, value })));
  }

  /** Reads `key` (a number, 0 when absent) and writes it plus one: two at once conflict. */
  @Transaction()
  @Returns('string')
  async Increment(ctx: Context, key: string): Promise<string> {
    const current = await ctx.stub.getState(key);
    const next = (current.length === 0 ? 0 : Number(utf8(current))) + 1;
    await ctx.stub.putState(key, Buffer.from(String(next)));
    return String(next);
  }

  /** Writes `key` and sets its key-level endorsement policy: every organisation in `orgs` (comma list). */
  @Transaction()
  async PutWithPolicy(ctx: Context, key: string, value: string, orgs: string): Promise<void> {
    await ctx.stub.putState(key, Buffer.from(value));
    await ctx.stub.setStateValidationParameter(key, keyEndorsementPolicy(orgs.split(',')));
  }

  @Transaction()
  async Delete(ctx: Context, key: string): Promise<void> {
    await ctx.stub.deleteState(key);
  }

  /** Counts the keys in [start, end) and writes the count under `into`: a phantom-read candidate. */
  @Transaction()
  @Returns('string')
  async CountRange(ctx: Context, start: string, end: string, into: string): Promise<string> {
    let count = 0;
    for await (const _ of ctx.stub.getStateByRange(start, end)) count++;
    await ctx.stub.putState(into, Buffer.from(String(count)));
    return String(count);
  }

  @Transaction(false)
  @Returns('string')
  async Get(ctx: Context, key: string): Promise<string> {
    return utf8(await ctx.stub.getState(key));
  }

  @Transaction(false)
  @Returns('string')
  async History(ctx: Context, key: string): Promise<string> {
    const out: { txId: string; value: string; isDelete: boolean }[] = [];
    for await (const m of ctx.stub.getHistoryForKey(key)) {
      out.push({ txId: m.txId, value: utf8(m.value), isDelete: m.isDelete });
    }
    return JSON.stringify(out);
  }

  /** Reads `key` of chaincode `namespace` by a chaincode-to-chaincode call and writes it under `into` here. */
  @Transaction()
  @Returns('string')
  async CopyFrom(ctx: Context, namespace: string, key: string, into: string): Promise<string> {
    const response = await ctx.stub.invokeChaincode(namespace, ['kv:Get', key], '');
    const value = utf8(response.payload ?? new Uint8Array());
    await ctx.stub.putState(into, Buffer.from(value));
    return value;
  }

  /** Asks chaincode `namespace` to write (a called chaincode may only read on the embedded engine). */
  @Transaction()
  async PutVia(ctx: Context, namespace: string, key: string, value: string): Promise<void> {
    await ctx.stub.invokeChaincode(namespace, ['kv:Put', key, value], '');
  }

  /** Throws `message` (e.g. `RECORD_CONFLICT: …`), as the approval chaincode refuses. */
  @Transaction()
  async Fail(_ctx: Context, message: string): Promise<void> {
    await Promise.resolve();
    throw new Error(message);
  }
}

export const KV_CONTRACTS = [KvContract];
export const KV_MODULE = __filename;

/** The chaincode the engine's endorsement workers load from {@link KV_MODULE}: fabric-shim's dispatcher. */
export function createKvChaincode(): ContractChaincode {
  return createContractChaincode(KV_CONTRACTS);
}

export const KV_CHAINCODE: EmbeddedChaincode = {
  name: 'kv',
  contracts: KV_CONTRACTS,
  source: { module: KV_MODULE, exportName: 'createKvChaincode' },
};
