// The batched calls over fabric-shim's own message handler, against a peer double that speaks the chaincode
// protocol in fabric-protos messages (what a Fabric 3.1 peer's handler.go decodes), and the write buffer's rules.
import { peer } from '@hyperledger/fabric-protos';
import { buildProposal, CertificateAuthority } from '@approval-ledger/fabric-engine';
import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import type { ChaincodeInterface, ChaincodeStub } from 'fabric-shim';
import {
  getStates,
  installShimBatching,
  peerBatchingOf,
  withBatchedWrites,
  type BatchingHandler,
} from './peer-batching';
import type { BatchedWrite, PeerBatching } from '@approval-ledger/protocol';

installShimBatching();

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ChaincodeMessageHandler } = require('fabric-shim/lib/handler') as {
  ChaincodeMessageHandler: new (
    stream: EventEmitter & { write(m: peer.ChaincodeMessage): void; end(): void },
    chaincode: ChaincodeInterface,
  ) => { chat(starter: peer.ChaincodeMessage): void; peerBatching?: PeerBatching };
};

const TYPE = peer.ChaincodeMessage.Type;

/** The chaincode's answer in a COMPLETED message (the shim sends an error response as COMPLETED too). */
function answerOf(m: peer.ChaincodeMessage): { status: number; message: string; payload: string } {
  expect(m.getType()).to.equal(TYPE.COMPLETED);
  const r = peer.Response.deserializeBinary(m.getPayload_asU8());
  return {
    status: r.getStatus(),
    message: r.getMessage(),
    payload: Buffer.from(r.getPayload_asU8()).toString(),
  };
}
const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

function readyPayload(params: Partial<PeerBatching>): Uint8Array {
  const p = new peer.ChaincodeAdditionalParams();
  p.setUseWriteBatch(params.useWriteBatch ?? false);
  p.setMaxSizeWriteBatch(params.maxSizeWriteBatch ?? 0);
  p.setUseGetMultipleKeys(params.useGetMultipleKeys ?? false);
  p.setMaxSizeGetMultipleKeys(params.maxSizeGetMultipleKeys ?? 0);
  return p.serializeBinary();
}

/**
 * The peer's side of one chaincode stream: REGISTERED, READY with `announce` (none: a 2.x peer), one TRANSACTION,
 * then answers the shim's state calls from `state` until COMPLETED or ERROR. Every message the shim sent is kept.
 */
class PeerDouble extends EventEmitter {
  readonly sent: peer.ChaincodeMessage[] = [];
  readonly writes: BatchedWrite[] = [];
  readonly state: Map<string, string>;
  #done!: (m: peer.ChaincodeMessage) => void;
  readonly finished = new Promise<peer.ChaincodeMessage>((resolve) => (this.#done = resolve));
  readonly handler: ReturnType<typeof this.start>;

  constructor(
    chaincode: ChaincodeInterface,
    state: Record<string, string>,
    readonly announce?: Partial<PeerBatching>,
  ) {
    super();
    this.state = new Map(Object.entries(state));
    this.handler = this.start(chaincode);
  }

  private start(chaincode: ChaincodeInterface) {
    return new ChaincodeMessageHandler(this, chaincode);
  }

  write(message: peer.ChaincodeMessage): void {
    this.sent.push(message);
    setImmediate(() => this.answer(message));
  }

  end(): void {}

  private reply(to: peer.ChaincodeMessage, type: number, payload: Uint8Array = new Uint8Array(0)): void {
    const m = new peer.ChaincodeMessage();
    m.setType(type as peer.ChaincodeMessage.TypeMap[keyof peer.ChaincodeMessage.TypeMap]);
    m.setPayload(payload);
    m.setTxid(to.getTxid());
    m.setChannelId(to.getChannelId());
    this.emit('data', m);
  }

  private answer(m: peer.ChaincodeMessage): void {
    switch (m.getType()) {
      case TYPE.GET_STATE: {
        const key = peer.GetState.deserializeBinary(m.getPayload_asU8()).getKey();
        return this.reply(m, TYPE.RESPONSE, Buffer.from(this.state.get(key) ?? ''));
      }
      case TYPE.PUT_STATE: {
        const put = peer.PutState.deserializeBinary(m.getPayload_asU8());
        this.writes.push({ type: 'put', collection: '', key: put.getKey(), value: put.getValue_asU8() });
        return this.reply(m, TYPE.RESPONSE);
      }
      case TYPE.DEL_STATE: {
        const key = peer.DelState.deserializeBinary(m.getPayload_asU8()).getKey();
        this.writes.push({ type: 'delete', collection: '', key });
        return this.reply(m, TYPE.RESPONSE);
      }
      case TYPE.PUT_STATE_METADATA: {
        const put = peer.PutStateMetadata.deserializeBinary(m.getPayload_asU8());
        this.writes.push({
          type: 'metadata',
          collection: '',
          key: put.getKey(),
          metakey: put.getMetadata()!.getMetakey(),
          value: put.getMetadata()!.getValue_asU8(),
        });
        return this.reply(m, TYPE.RESPONSE);
      }
      case TYPE.GET_STATE_MULTIPLE: {
        const keys = peer.GetStateMultiple.deserializeBinary(m.getPayload_asU8()).getKeysList();
        const result = new peer.GetStateMultipleResult();
        result.setValuesList(keys.map((k) => Buffer.from(this.state.get(k) ?? '')));
        return this.reply(m, TYPE.RESPONSE, result.serializeBinary());
      }
      case TYPE.WRITE_BATCH_STATE: {
        for (const r of peer.WriteBatchState.deserializeBinary(m.getPayload_asU8()).getRecList()) {
          if (r.getKey() === 'refused')
            return this.reply(m, TYPE.ERROR, Buffer.from('key refused by the peer'));
          if (r.getType() === peer.WriteRecord.Type.PUT_STATE)
            this.writes.push({
              type: 'put',
              collection: r.getCollection(),
              key: r.getKey(),
              value: r.getValue_asU8(),
            });
          else if (r.getType() === peer.WriteRecord.Type.DEL_STATE)
            this.writes.push({ type: 'delete', collection: r.getCollection(), key: r.getKey() });
          else
            this.writes.push({
              type: 'metadata',
              collection: r.getCollection(),
              key: r.getKey(),
              metakey: r.getMetadata()!.getMetakey(),
              value: r.getMetadata()!.getValue_asU8(),
            });
        }
        return this.reply(m, TYPE.RESPONSE);
      }
      case TYPE.COMPLETED:
      case TYPE.ERROR:
        return this.#done(m);
      default:
        return undefined;
    }
  }

  async run(args: string[]): Promise<peer.ChaincodeMessage> {
    const register = new peer.ChaincodeMessage();
    register.setType(TYPE.REGISTER);
    this.handler.chat(register);
    this.reply(register, TYPE.REGISTERED);
    this.reply(register, TYPE.READY, this.announce ? readyPayload(this.announce) : new Uint8Array(0));
    const ca = await CertificateAuthority.create({ mspId: 'BeijingMSP', domain: 'beijing.approval-ledger' });
    const client = await ca.issue({ enrollmentId: 'bj-approver', role: 'client' });
    const built = buildProposal({
      channelId: 'approval',
      chaincodeName: 'approval-beijing',
      creator: { mspId: client.mspId, certificate: client.certificate },
      args,
      timestamp: new Date('2025-03-10T02:00:00Z'),
    });
    const tx = new peer.ChaincodeMessage();
    tx.setType(TYPE.TRANSACTION);
    tx.setTxid(built.txId);
    tx.setChannelId('approval');
    tx.setPayload(built.chaincodeInput.serializeBinary());
    tx.setProposal(built.signedProposal);
    this.emit('data', tx);
    return this.finished;
  }

  /** The shim's state calls of the transaction, by message type name. */
  calls(): string[] {
    const names = Object.fromEntries(Object.entries(TYPE).map(([k, v]) => [v, k]));
    return this.sent
      .map((m) => names[m.getType()]!)
      .filter((n) => !['REGISTER', 'COMPLETED', 'ERROR'].includes(n));
  }
}

/** Reads every key named in its args, then writes `<key>=<old value>+1` and a few more writes. */
const counter: ChaincodeInterface = {
  Init: () => Promise.resolve({ status: 200, message: '', payload: Buffer.alloc(0) }),
  Invoke: (stub) =>
    withBatchedWrites(stub, async (s: ChaincodeStub) => {
      const keys = s.getArgs();
      const values = await getStates(s, keys);
      for (let i = 0; i < keys.length; i++) await s.putState(keys[i]!, Buffer.from(`${text(values[i]!)}+1`));
      await s.putState('scratch', Buffer.from('first'));
      await s.putState('scratch', Buffer.from('last')); // the last write of a key wins
      await s.deleteState('gone');
      await s.setStateValidationParameter(keys[0]!, Buffer.from('policy'));
      if (keys.includes('refused')) await s.putState('refused', Buffer.from('x'));
      return { status: 200, message: '', payload: Buffer.from(values.map(text).join(',')) };
    }),
};

const FABRIC_3_1 = {
  useWriteBatch: true,
  maxSizeWriteBatch: 1000,
  useGetMultipleKeys: true,
  maxSizeGetMultipleKeys: 1000,
};

describe('Fabric 3.1 batched calls through fabric-shim', () => {
  it('reads the announcement a Fabric 3.1 peer sends in READY, and an empty one as a 2.x peer', () => {
    expect(peerBatchingOf(readyPayload(FABRIC_3_1))).to.deep.equal(FABRIC_3_1);
    expect(peerBatchingOf(new Uint8Array(0))).to.deep.equal({
      useWriteBatch: false,
      maxSizeWriteBatch: 0,
      useGetMultipleKeys: false,
      maxSizeGetMultipleKeys: 0,
    });
  });

  it('sends one GET_STATE_MULTIPLE and one WRITE_BATCH_STATE to a peer that announces them', async () => {
    const peerDouble = new PeerDouble(counter, { a: '1', c: '3' }, FABRIC_3_1);
    const done = await peerDouble.run(['a', 'b', 'c']);
    expect(answerOf(done)).to.include({ status: 200, payload: '1,,3' });
    expect(peerDouble.handler.peerBatching).to.deep.equal(FABRIC_3_1);
    expect(peerDouble.calls()).to.deep.equal(['GET_STATE_MULTIPLE', 'WRITE_BATCH_STATE']);
    expect(
      peerDouble.writes.map((w) => [w.type, w.key, 'value' in w ? text(w.value) : undefined]),
    ).to.deep.equal([
      ['put', 'a', '1+1'],
      ['put', 'b', '+1'],
      ['put', 'c', '3+1'],
      ['put', 'scratch', 'last'],
      ['delete', 'gone', undefined],
      ['metadata', 'a', 'policy'],
    ]);
    const metadata = peerDouble.writes.find((w) => w.type === 'metadata');
    expect(metadata && 'metakey' in metadata ? metadata.metakey : '').to.equal('VALIDATION_PARAMETER');
  });

  it('keeps to the announced sizes: 5 keys at 2 per message are three reads and, with 8 writes, four batches', async () => {
    const peerDouble = new PeerDouble(
      counter,
      {},
      { ...FABRIC_3_1, maxSizeGetMultipleKeys: 2, maxSizeWriteBatch: 2 },
    );
    await peerDouble.run(['k1', 'k2', 'k3', 'k4', 'k5']);
    const sizes = peerDouble.sent
      .filter((m) => m.getType() === TYPE.GET_STATE_MULTIPLE)
      .map((m) => peer.GetStateMultiple.deserializeBinary(m.getPayload_asU8()).getKeysList().length);
    expect(sizes).to.deep.equal([2, 2, 1]);
    const batches = peerDouble.sent
      .filter((m) => m.getType() === TYPE.WRITE_BATCH_STATE)
      .map((m) => peer.WriteBatchState.deserializeBinary(m.getPayload_asU8()).getRecList().length);
    expect(batches).to.deep.equal([2, 2, 2, 2]);
  });

  it('sends a message per call to a Fabric 2.x peer, with the same writes', async () => {
    const batched = new PeerDouble(counter, { a: '1' }, FABRIC_3_1);
    await batched.run(['a', 'b']);
    const single = new PeerDouble(counter, { a: '1' });
    const done = await single.run(['a', 'b']);
    expect(answerOf(done)).to.include({ status: 200, payload: '1,' });
    expect(single.calls()).to.deep.equal([
      'GET_STATE',
      'GET_STATE',
      'PUT_STATE',
      'PUT_STATE',
      'PUT_STATE',
      'PUT_STATE',
      'DEL_STATE',
      'PUT_STATE_METADATA',
    ]);
    // the same final writes: the 2.x peer sees both writes of `scratch`, the batch only the last
    const last = (d: PeerDouble) =>
      Object.fromEntries(d.writes.map((w) => [`${w.type} ${w.key}`, 'value' in w ? text(w.value) : null]));
    expect(last(single)).to.deep.equal(last(batched));
    expect(single.writes).to.have.length(batched.writes.length + 1);
  });

  it('fails the transaction when the peer refuses the write batch, and sends no writes of a failed one', async () => {
    const refused = new PeerDouble(counter, {}, FABRIC_3_1);
    const done = await refused.run(['a', 'refused']);
    const answer = answerOf(done);
    expect(answer.status).to.equal(500);
    expect(answer.message).to.contain('key refused by the peer');

    const failing: ChaincodeInterface = {
      Init: (stub) => counter.Init(stub),
      Invoke: (stub) =>
        withBatchedWrites(stub, async (s) => {
          await s.putState('a', Buffer.from('x'));
          return { status: 500, message: 'refused by the chaincode', payload: Buffer.alloc(0) };
        }),
    };
    const failed = new PeerDouble(failing, {}, FABRIC_3_1);
    expect(answerOf(await failed.run(['a']))).to.include({
      status: 500,
      message: 'refused by the chaincode',
    });
    expect(failed.calls()).to.deep.equal([]);
  });
});

describe('getStates', () => {
  const stubWith = (handler: Partial<BatchingHandler>, single: Record<string, string> = {}): ChaincodeStub =>
    ({
      handler,
      getChannelID: () => 'approval',
      getTxID: () => 'tx1',
      getState: (key: string) => Promise.resolve(Buffer.from(single[key] ?? '')),
    }) as unknown as ChaincodeStub;

  it('refuses a peer answer with fewer values than keys', async () => {
    const stub = stubWith({
      peerBatching: FABRIC_3_1,
      handleGetStateMultiple: () => Promise.resolve([Buffer.from('only one')]),
    });
    let error: unknown;
    await getStates(stub, ['a', 'b']).catch((e: unknown) => (error = e));
    expect(String(error)).to.contain('1 values for 2 keys');
  });

  it('reads one key with GET_STATE even on a batching peer, and every key singly on a 2.x one', async () => {
    const calls: string[][] = [];
    const handler = {
      peerBatching: FABRIC_3_1,
      handleGetStateMultiple: (_c: string, keys: readonly string[]) => {
        calls.push([...keys]);
        return Promise.resolve(keys.map(() => Buffer.alloc(0)));
      },
    };
    expect((await getStates(stubWith(handler, { a: 'A' }), ['a'])).map(text)).to.deep.equal(['A']);
    expect(calls).to.deep.equal([]);
    const twoX = { ...handler, peerBatching: { ...FABRIC_3_1, useGetMultipleKeys: false } };
    expect((await getStates(stubWith(twoX, { a: 'A', b: 'B' }), ['a', 'b'])).map(text)).to.deep.equal([
      'A',
      'B',
    ]);
    expect(calls).to.deep.equal([]);
  });
});
