import { expect } from 'chai';
import {
  type ChaincodeInterface,
  type ChaincodeResponse,
  ChaincodeStub as ShimChaincodeStub,
  ClientIdentity,
  KeyEndorsementPolicy,
  Shim,
} from 'fabric-shim';
import {
  CertificateAuthority,
  InMemoryNetwork,
  MemoryWorldState,
  PendingUpdates,
  compareKeys,
  serializeIdentity,
  decodeEndorsementPolicy,
  evaluatePolicy,
  isLowS,
  keyEndorsementPolicy,
  policyOrganisations,
  signMessage,
  simulateTransaction,
  validateReadSet,
  verifyMessage,
  type X509Identity,
} from './index';

const T0 = new Date('2025-03-01T08:00:00.000Z');
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

/** What the probe's functions see: the stub and fabric-shim's ClientIdentity over it, as a contract's Context. */
interface ProbeContext {
  readonly stub: ShimChaincodeStub;
  readonly clientIdentity: ClientIdentity;
}

/**
 * The functions of a small hand-written chaincode: the engine runs any Fabric ChaincodeInterface and never
 * imports a contract framework (the chaincode package's own tests run fabric-contract-api's dispatcher on it).
 */
class Probe {
  async put(ctx: ProbeContext, key: string, value: string): Promise<void> {
    await ctx.stub.putState(key, Buffer.from(value));
  }

  async putThenGet(ctx: ProbeContext, key: string, value: string): Promise<string> {
    await ctx.stub.putState(key, Buffer.from(value));
    const read = await ctx.stub.getState(key);
    return JSON.stringify({ length: read.length, value: Buffer.from(read).toString() });
  }

  async deleteKey(ctx: ProbeContext, key: string): Promise<void> {
    await ctx.stub.deleteState(key);
  }

  async putSimpleMany(ctx: ProbeContext, prefix: string, count: string): Promise<void> {
    for (let i = 0; i < Number(count); i++)
      await ctx.stub.putState(`${prefix}${String(i).padStart(4, '0')}`, Buffer.from(String(i)));
  }

  async putEmpty(ctx: ProbeContext, key: string): Promise<void> {
    await ctx.stub.putState(key, new Uint8Array(0));
  }

  async increment(ctx: ProbeContext, key: string): Promise<string> {
    const current = Buffer.from(await ctx.stub.getState(key)).toString() || '0';
    const next = String(Number(current) + 1);
    await ctx.stub.putState(key, Buffer.from(next));
    return next;
  }

  async putComposite(
    ctx: ProbeContext,
    objectType: string,
    attrsJson: string,
    value: string,
  ): Promise<string> {
    const key = ctx.stub.createCompositeKey(objectType, JSON.parse(attrsJson) as string[]);
    await ctx.stub.putState(key, Buffer.from(value));
    return key;
  }

  async putMany(ctx: ProbeContext, objectType: string, prefix: string, count: string): Promise<void> {
    for (let i = 0; i < Number(count); i++) {
      const key = ctx.stub.createCompositeKey(objectType, [prefix, String(i).padStart(4, '0')]);
      await ctx.stub.putState(key, Buffer.from(String(i)));
    }
  }

  async countPartial(
    ctx: ProbeContext,
    objectType: string,
    attrsJson: string,
    marker: string,
  ): Promise<string> {
    const keys: string[] = [];
    for await (const kv of ctx.stub.getStateByPartialCompositeKey(
      objectType,
      JSON.parse(attrsJson) as string[],
    )) {
      keys.push(kv.key);
    }
    if (marker) await ctx.stub.putState(marker, Buffer.from(String(keys.length)));
    return JSON.stringify(keys.map((k) => ctx.stub.splitCompositeKey(k)));
  }

  async firstOfRange(ctx: ProbeContext, start: string, end: string): Promise<string> {
    const iterator = await ctx.stub.getStateByRange(start, end);
    const first = await iterator.next();
    await iterator.close();
    return first.done ? '' : first.value.key;
  }

  async page(ctx: ProbeContext, objectType: string, pageSize: string, bookmark: string): Promise<string> {
    const { iterator, metadata } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(
      objectType,
      [],
      Number(pageSize),
      bookmark,
    );
    const keys: string[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next())
      keys.push(ctx.stub.splitCompositeKey(r.value.key).attributes.join('/'));
    await iterator.close();
    return JSON.stringify({ keys, metadata });
  }

  async pageThenWrite(ctx: ProbeContext): Promise<void> {
    const { iterator } = await ctx.stub.getStateByRangeWithPagination('', '', 5, '');
    await iterator.close();
    await ctx.stub.putState('after-page', Buffer.from('x'));
  }

  async rich(ctx: ProbeContext): Promise<void> {
    const iterator = await ctx.stub.getQueryResult('{"selector":{}}');
    await iterator.close();
  }

  async history(ctx: ProbeContext, key: string): Promise<string> {
    const out: unknown[] = [];
    for await (const mod of ctx.stub.getHistoryForKey(key)) {
      out.push({
        txId: mod.txId,
        value: Buffer.from(mod.value).toString(),
        isDelete: mod.isDelete,
        seconds: Number(mod.timestamp.seconds),
      });
    }
    return JSON.stringify(out);
  }

  async twoEvents(ctx: ProbeContext): Promise<void> {
    ctx.stub.setEvent('first', Buffer.from('1'));
    ctx.stub.setEvent('second', Buffer.from('2'));
    await ctx.stub.putState('evented', Buffer.from('y'));
  }

  whoAmI(ctx: ProbeContext): Promise<string> {
    const ts = ctx.stub.getTxTimestamp();
    const creator = ctx.stub.getCreator();
    return Promise.resolve(
      JSON.stringify({
        mspId: ctx.clientIdentity.getMSPID(),
        id: ctx.clientIdentity.getID(),
        role: ctx.clientIdentity.getAttributeValue('ledger.role'),
        dept: ctx.clientIdentity.getAttributeValue('ledger.dept'),
        enrollmentId: ctx.clientIdentity.getAttributeValue('hf.EnrollmentID'),
        creatorMsp: creator.mspid,
        creatorPem: Buffer.from(creator.idBytes).toString().startsWith('-----BEGIN CERTIFICATE-----'),
        seconds: Number(ts.seconds),
        nanos: ts.nanos,
        fcn: ctx.stub.getFunctionAndParameters(),
        args: ctx.stub.getArgs(),
        transient: Buffer.from(ctx.stub.getTransient().get('secret') ?? []).toString(),
        txId: ctx.stub.getTxID(),
        channel: ctx.stub.getChannelID(),
      }),
    );
  }

  async guard(ctx: ProbeContext, key: string, orgsJson: string): Promise<void> {
    await ctx.stub.putState(key, Buffer.from('guarded'));
    const policy = new KeyEndorsementPolicy();
    policy.addOrgs('PEER', ...(JSON.parse(orgsJson) as string[]));
    await ctx.stub.setStateValidationParameter(key, policy.getPolicy());
  }

  async readThenGuard(ctx: ProbeContext, readKey: string, key: string, orgsJson: string): Promise<void> {
    await ctx.stub.getState(readKey);
    await this.guard(ctx, key, orgsJson);
  }

  async policyOf(ctx: ProbeContext, key: string): Promise<string> {
    const ep = await ctx.stub.getStateValidationParameter(key);
    return JSON.stringify(ep ? new KeyEndorsementPolicy(ep).listOrgs() : []);
  }

  /** The creator's signature as the chaincode sees it (`getSignedProposal().signature`), base64. */
  signature(ctx: ProbeContext): Promise<string> {
    const signed = ctx.stub.getSignedProposal() as unknown as { signature: Uint8Array };
    const first = Buffer.from(signed.signature);
    if (!first.equals(Buffer.from(signed.signature))) throw new Error('the signature changed between reads');
    return Promise.resolve(first.toString('base64'));
  }

  async fail(ctx: ProbeContext): Promise<void> {
    await ctx.stub.putState('never', Buffer.from('x'));
    ctx.stub.setEvent('never', Buffer.from('x'));
    throw new Error('PROBE_FAILED: on purpose');
  }
}

/** Routes `probe:<function>` to {@link Probe}: a string result is the payload, a thrown error a 500 response. */
function probeChaincode(): ChaincodeInterface {
  const probe = new Probe();
  return {
    Init: () => Promise.resolve(Shim.success()),
    async Invoke(stub: ShimChaincodeStub): Promise<ChaincodeResponse> {
      const { fcn, params } = stub.getFunctionAndParameters();
      const name = fcn.startsWith('probe:') ? fcn.slice('probe:'.length) : fcn;
      const fn = (probe as unknown as Record<string, unknown>)[name];
      if (typeof fn !== 'function' || name === 'constructor') return Shim.error(`no function ${fcn}`);
      try {
        const ctx: ProbeContext = { stub, clientIdentity: new ClientIdentity(stub) };
        const result = (await (fn as (...args: unknown[]) => Promise<unknown>).call(
          probe,
          ctx,
          ...params,
        )) as string | undefined;
        return Shim.success(result === undefined ? undefined : Buffer.from(result));
      } catch (error) {
        return Shim.error((error as Error).message);
      }
    },
  };
}

describe('fabric semantics (fabric-shim ChaincodeStub over an in-process peer)', () => {
  let beijing: CertificateAuthority;
  let tianjin: CertificateAuthority;
  let approver: X509Identity;
  let tjAuthority: X509Identity;
  let network: InMemoryNetwork;

  before(async () => {
    beijing = await CertificateAuthority.create({ mspId: 'BeijingMSP', domain: 'beijing.approval-ledger' });
    tianjin = await CertificateAuthority.create({ mspId: 'TianjinMSP', domain: 'tianjin.approval-ledger' });
    approver = await beijing.issue({
      enrollmentId: 'bj-hc-approver',
      role: 'client',
      attributes: { 'ledger.role': 'approver', 'ledger.dept': 'HC' },
    });
    tjAuthority = await tianjin.issue({
      enrollmentId: 'tj-authority',
      role: 'client',
      attributes: { 'ledger.role': 'authority' },
    });
  });

  beforeEach(() => {
    network = new InMemoryNetwork(probeChaincode());
  });

  const submit = (fcn: string, args: string[], minutes = 0, who?: X509Identity) =>
    network.submit(who ?? approver, `probe:${fcn}`, args, { timestamp: at(minutes) });
  const evaluate = (fcn: string, args: string[], who?: X509Identity) =>
    network.evaluate(who ?? approver, `probe:${fcn}`, args, { timestamp: at(0) });

  describe('identity and proposal', () => {
    it('lets fabric-shim ClientIdentity read MSP ID, DN and Fabric CA attributes from the certificate', async () => {
      const res = await network.evaluate(approver, 'probe:whoAmI', [], {
        timestamp: T0,
        transient: { secret: 'salt' },
      });
      expect(res.status).to.equal(200);
      const who = JSON.parse(res.payload) as Record<string, unknown>;
      expect(who).to.include({
        mspId: 'BeijingMSP',
        role: 'approver',
        dept: 'HC',
        enrollmentId: 'bj-hc-approver',
        creatorMsp: 'BeijingMSP',
        creatorPem: true,
      });
      expect(who.id).to.equal(
        'x509::/C=CN/O=beijing.approval-ledger/OU=client/CN=bj-hc-approver::/C=CN/O=beijing.approval-ledger/CN=ca.beijing.approval-ledger',
      );
      expect(who).to.include({
        seconds: T0.getTime() / 1000,
        nanos: 0,
        transient: 'salt',
        channel: 'approval',
        txId: res.txId,
      });
      expect(who.fcn).to.deep.equal({ fcn: 'probe:whoAmI', params: [] });
      expect(who.args).to.deep.equal(['probe:whoAmI']);
    });

    it('parses the same certificate with ClientIdentity constructed directly, as on a peer', () => {
      const stub = {
        getChannelID: () => 'approval',
        getTxID: () => 'abcdef0123',
        getCreator: () => ({ mspid: 'TianjinMSP', idBytes: Buffer.from(tjAuthority.certificate) }),
      };
      const cid = new ClientIdentity(stub as unknown as ShimChaincodeStub);
      expect(cid.getMSPID()).to.equal('TianjinMSP');
      expect(cid.getAttributeValue('ledger.role')).to.equal('authority');
      expect(cid.getAttributeValue('ledger.dept')).to.equal(null);
      expect(cid.getAttributeValue('hf.Type')).to.equal('client');
    });

    it('computes the transaction id as Fabric does and keeps sub-second timestamps', async () => {
      const res = await network.evaluate(approver, 'probe:whoAmI', [], {
        timestamp: { seconds: 1_700_000_000, nanos: 123_456_789 },
      });
      const who = JSON.parse(res.payload) as { seconds: number; nanos: number };
      expect(who).to.include({ seconds: 1_700_000_000, nanos: 123_456_789 });
      expect(res.txId).to.match(/^[0-9a-f]{64}$/);
    });

    it('issues certificates the CA verifies and signs with low-S ECDSA P-256', async () => {
      expect(await beijing.issued(approver.certificate)).to.equal(true);
      expect(await tianjin.issued(approver.certificate)).to.equal(false);
      const message = Buffer.from('block header');
      for (let i = 0; i < 20; i++) {
        const sig = signMessage(approver.privateKey, message);
        expect(isLowS(sig)).to.equal(true);
        expect(verifyMessage(approver.certificate, message, sig)).to.equal(true);
        expect(verifyMessage(tjAuthority.certificate, message, sig)).to.equal(false);
      }
      const reloaded = await CertificateAuthority.fromPem({
        mspId: 'BeijingMSP',
        domain: beijing.domain,
        certificate: beijing.certificate,
        privateKey: beijing.privateKey,
      });
      const member = await reloaded.issue({ enrollmentId: 'peer0', role: 'peer' });
      expect(await beijing.issued(member.certificate)).to.equal(true);
    });
  });

  describe('reads and writes', () => {
    it('does not show a transaction its own writes', async () => {
      const res = await submit('putThenGet', ['k1', 'v1']);
      expect(JSON.parse(res.payload)).to.deep.equal({ length: 0, value: '' });
      expect(res.validationCode).to.equal('VALID');
      const again = await submit('putThenGet', ['k1', 'v2'], 1);
      expect(JSON.parse(again.payload)).to.deep.equal({ length: 2, value: 'v1' });
    });

    it('records the version read, null for an absent key', async () => {
      const first = await submit('increment', ['counter']);
      expect(first.simulation.readWriteSet.reads).to.deep.equal([{ key: 'counter', version: null }]);
      const second = await submit('increment', ['counter'], 1);
      expect(second.simulation.readWriteSet.reads).to.deep.equal([
        { key: 'counter', version: { blockNum: 0, txNum: 0 } },
      ]);
    });

    it('treats an empty value as a delete, as a peer does', async () => {
      await submit('put', ['gone', 'x']);
      const res = await submit('putEmpty', ['gone'], 1);
      expect(res.simulation.readWriteSet.writes).to.deep.equal([
        { key: 'gone', isDelete: true, value: new Uint8Array(0) },
      ]);
      expect(network.ledger.state.get('gone')).to.equal(undefined);
    });

    it('keeps one chaincode event per transaction: the last one set', async () => {
      const res = await submit('twoEvents', []);
      expect(res.event?.eventName).to.equal('second');
      expect(Buffer.from(res.event!.payload).toString()).to.equal('2');
      expect(res.committed?.event?.eventName).to.equal('second');
    });

    it('returns an error response, and orders nothing, when the transaction throws', async () => {
      const res = await submit('fail', []);
      expect(res.status).to.equal(500);
      expect(res.message).to.equal('PROBE_FAILED: on purpose');
      expect(res.validationCode).to.equal(undefined);
      expect(network.ledger.height).to.equal(0);
    });

    it('refuses rich queries as LevelDB does', async () => {
      const res = await evaluate('rich', []);
      expect(res.status).to.equal(500);
      expect(res.message).to.contain('not supported for leveldb');
    });
  });

  describe('composite keys and ranges', () => {
    it('encodes composite keys byte for byte as fabric-shim does', async () => {
      const res = await submit('putComposite', [
        'milestone',
        JSON.stringify(['110105', 'HC', '2025-03-01']),
        'v',
      ]);
      const expected = '\u0000milestone\u0000110105\u0000HC\u00002025-03-01\u0000';
      expect(res.payload).to.equal(expected);
      const direct = ShimChaincodeStub.prototype.createCompositeKey.call({}, 'milestone', [
        '110105',
        'HC',
        '2025-03-01',
      ]);
      expect(Buffer.from(res.payload)).to.deep.equal(Buffer.from(direct));
      expect(network.ledger.state.get(expected)).to.not.equal(undefined);
    });

    it('validates composite key attributes as fabric-shim does', async () => {
      const res = await submit('putComposite', ['milestone', JSON.stringify(['110105', '']), 'v']);
      expect(res.status).to.equal(500);
      expect(res.message).to.equal('object type or attribute not a non-zero length string');
    });

    it('returns a partial composite key range in key order, across batches of 100, without other types', async () => {
      await submit('putMany', ['m', 'p1', '250']);
      await submit('putMany', ['m', 'p2', '3'], 1);
      await submit('putMany', ['n', 'p1', '2'], 2);
      const res = await submit('countPartial', ['m', JSON.stringify(['p1']), ''], 3);
      const keys = JSON.parse(res.payload) as { objectType: string; attributes: string[] }[];
      expect(keys).to.have.length(250);
      expect(keys[0]).to.deep.equal({ objectType: 'm', attributes: ['p1', '0000'] });
      expect(keys[249]).to.deep.equal({ objectType: 'm', attributes: ['p1', '0249'] });
      const [info] = res.simulation.readWriteSet.rangeQueries;
      expect(info).to.include({
        itrExhausted: true,
        startKey: '\u0000m\u0000p1\u0000',
        endKey: '\u0000m\u0000p1\u0000\u{10ffff}',
      });
      expect(info!.reads).to.have.length(250);
    });

    it('records a range closed early with the last key the peer fetched (batch of 100 plus look-ahead)', async () => {
      await submit('putSimpleMany', ['s', '150']);
      const res = await evaluate('firstOfRange', ['', '']);
      expect(res.payload).to.equal('s0000');
      const [info] = res.simulation.readWriteSet.rangeQueries;
      expect(info).to.include({ startKey: '\u0001', itrExhausted: false, endKey: 's0100' });
      expect(info!.reads).to.have.length(101);
    });

    it('marks a short range exhausted even when the chaincode reads one entry, as the peer prefetches', async () => {
      await submit('put', ['a', '1']);
      await submit('put', ['b', '2'], 1);
      const res = await evaluate('firstOfRange', ['', '']);
      expect(res.payload).to.equal('a');
      const [info] = res.simulation.readWriteSet.rangeQueries;
      expect(info).to.include({ startKey: '\u0001', itrExhausted: true, endKey: '' });
    });

    it('pages with LevelDB bookmarks and refuses writes in a paginated transaction', async () => {
      await submit('putMany', ['pg', 'x', '7']);
      const first = JSON.parse((await evaluate('page', ['pg', '3', ''])).payload) as {
        keys: string[];
        metadata: { bookmark: string; fetchedRecordsCount: number };
      };
      expect(first.keys).to.deep.equal(['x/0000', 'x/0001', 'x/0002']);
      expect(first.metadata.fetchedRecordsCount).to.equal(3);
      const second = JSON.parse(
        (await evaluate('page', ['pg', '3', first.metadata.bookmark])).payload,
      ) as typeof first;
      expect(second.keys).to.deep.equal(['x/0003', 'x/0004', 'x/0005']);
      const last = JSON.parse(
        (await evaluate('page', ['pg', '3', second.metadata.bookmark])).payload,
      ) as typeof first;
      expect(last.keys).to.deep.equal(['x/0006']);
      expect(last.metadata.bookmark).to.equal('');
      const write = await submit('pageThenWrite', [], 1);
      expect(write.status).to.equal(500);
      expect(write.message).to.contain('Writes are not allowed');
    });

    it('orders keys by UTF-8 bytes, as LevelDB does', () => {
      expect(compareKeys('\uFFFF', '\u{10000}')).to.be.below(0);
      expect('\uFFFF' < '\u{10000}').to.equal(false);
      expect(compareKeys('a\u0000', 'a\u0001')).to.be.below(0);
    });
  });

  describe('history', () => {
    it('returns a key history newest first, with deletes and transaction timestamps', async () => {
      const r1 = await submit('put', ['h', 'one'], 0);
      const r2 = await submit('put', ['h', 'two'], 5);
      const r3 = await submit('deleteKey', ['h'], 10);
      const res = await evaluate('history', ['h']);
      expect(JSON.parse(res.payload)).to.deep.equal([
        { txId: r3.txId, value: '', isDelete: true, seconds: at(10).getTime() / 1000 },
        { txId: r2.txId, value: 'two', isDelete: false, seconds: at(5).getTime() / 1000 },
        { txId: r1.txId, value: 'one', isDelete: false, seconds: at(0).getTime() / 1000 },
      ]);
    });
  });

  describe('commit-time validation', () => {
    it('invalidates the later of two conflicting transactions in one block (MVCC_READ_CONFLICT)', async () => {
      await submit('increment', ['c']);
      const a = await network.evaluate(approver, 'probe:increment', ['c'], { timestamp: at(1) });
      const b = await network.evaluate(approver, 'probe:increment', ['c'], { timestamp: at(1) });
      const results = await network.commitBlock([a.simulation, b.simulation]);
      expect(results.map((r) => r.validationCode)).to.deep.equal(['VALID', 'MVCC_READ_CONFLICT']);
      expect(Buffer.from(network.ledger.state.get('c')!.value).toString()).to.equal('2');
    });

    it('invalidates a transaction whose read changed in an earlier block', async () => {
      const stale = await network.evaluate(approver, 'probe:increment', ['c'], { timestamp: at(1) });
      await submit('increment', ['c'], 2);
      const [result] = await network.commitBlock([stale.simulation]);
      expect(result!.validationCode).to.equal('MVCC_READ_CONFLICT');
    });

    /**
     * Counts the `p1` range of index `m` (two keys) and, in the same block and ordered before that read, writes
     * `written` into the index: the codes the block gives the write and the read.
     */
    async function rangeReadAfterWriteOf(written: readonly string[]): Promise<string[]> {
      await submit('putMany', ['m', 'p1', '2']);
      const reader = await network.evaluate(
        approver,
        'probe:countPartial',
        ['m', JSON.stringify(['p1']), 'count'],
        { timestamp: at(1) },
      );
      const writer = await network.evaluate(
        approver,
        'probe:putComposite',
        ['m', JSON.stringify(written), 'new'],
        { timestamp: at(1) },
      );
      const results = await network.commitBlock([writer.simulation, reader.simulation]);
      return results.map((r) => r.validationCode);
    }

    it('detects a phantom: a key inserted into a range the transaction read', async () => {
      expect(await rangeReadAfterWriteOf(['p1', '0500'])).to.deep.equal(['VALID', 'PHANTOM_READ_CONFLICT']);
    });

    it('keeps a range read valid when nothing in the range changed', async () => {
      expect(await rangeReadAfterWriteOf(['p2', '0001'])).to.deep.equal(['VALID', 'VALID']);
    });

    it('validates a read set against committed state plus earlier writes of the block', async () => {
      const state = new MemoryWorldState();
      const pending = new PendingUpdates(state, 0);
      const rwset = {
        reads: [{ key: 'x', version: null }],
        rangeQueries: [],
        writes: [],
        metadataWrites: [],
      };
      expect((await validateReadSet(rwset, pending)).code).to.equal('VALID');
      await pending.apply({
        txId: 't0',
        txNum: 0,
        timestamp: { seconds: 0, nanos: 0 },
        readWriteSet: {
          ...rwset,
          reads: [],
          writes: [{ key: 'x', isDelete: false, value: Buffer.from('1') }],
        },
      });
      expect(await validateReadSet(rwset, pending)).to.deep.equal({ code: 'MVCC_READ_CONFLICT', key: 'x' });
    });

    it('rejects a duplicate transaction id', async () => {
      const res = await submit('put', ['d', '1']);
      const [again] = await network.commitBlock([res.simulation]);
      expect(again!.validationCode).to.equal('DUPLICATE_TXID');
    });
  });

  describe('key-level endorsement policies', () => {
    it('builds and decodes KeyEndorsementPolicy bytes and evaluates them as Fabric does', () => {
      const bytes = keyEndorsementPolicy(['TianjinMSP', 'BeijingMSP']);
      expect(policyOrganisations(bytes)).to.deep.equal(['BeijingMSP', 'TianjinMSP']);
      expect(new KeyEndorsementPolicy(bytes).listOrgs().sort()).to.deep.equal(['BeijingMSP', 'TianjinMSP']);
      const decoded = decodeEndorsementPolicy(bytes);
      expect(decoded.identities).to.deep.equal([
        { mspId: 'BeijingMSP', role: 'peer' },
        { mspId: 'TianjinMSP', role: 'peer' },
      ]);
      const bj = { mspId: 'BeijingMSP', role: 'peer' as const };
      const tj = { mspId: 'TianjinMSP', role: 'peer' as const };
      expect(evaluatePolicy(bytes, [bj, tj])).to.equal(true);
      expect(evaluatePolicy(bytes, [bj])).to.equal(false);
      expect(evaluatePolicy(bytes, [bj, bj])).to.equal(false);
      expect(evaluatePolicy(bytes, [bj, { mspId: 'TianjinMSP', role: 'client' }])).to.equal(false);
      expect(
        evaluatePolicy(keyEndorsementPolicy(['BeijingMSP'], 'MEMBER'), [
          { mspId: 'BeijingMSP', role: 'client' },
        ]),
      ).to.equal(true);
    });

    it('requires every organisation of a key policy to endorse later writes of that key', async () => {
      const set = await submit('guard', ['g', JSON.stringify(['BeijingMSP', 'TianjinMSP'])]);
      expect(set.validationCode).to.equal('VALID');
      expect(JSON.parse((await evaluate('policyOf', ['g'])).payload)).to.deep.equal([
        'BeijingMSP',
        'TianjinMSP',
      ]);
      const lone = await network.submit(approver, 'probe:put', ['g', 'changed'], {
        timestamp: at(1),
        endorsers: [{ mspId: 'BeijingMSP', role: 'peer' }],
      });
      expect(lone.validationCode).to.equal('ENDORSEMENT_POLICY_FAILURE');
      const both = await submit('put', ['g', 'changed'], 2);
      expect(both.validationCode).to.equal('VALID');
      expect(Buffer.from(network.ledger.state.get('g')!.value).toString()).to.equal('changed');
      expect(network.ledger.state.get('g')!.metadata).to.have.property('VALIDATION_PARAMETER');
    });
  });

  describe('validation parameters changed earlier in the block', () => {
    const BJ = JSON.stringify(['BeijingMSP']);
    const simulate = async (fcn: string, args: string[]) =>
      (await network.evaluate(approver, `probe:${fcn}`, args, { timestamp: at(1) })).simulation;
    const codes = async (simulations: Parameters<InMemoryNetwork['commitBlock']>[0]) =>
      (await network.commitBlock(simulations)).map((r) => r.validationCode);

    it('fails the second of two transactions setting the policy of one new key (as block 238 of the fixtures)', async () => {
      const block = [await simulate('guard', ['k', BJ]), await simulate('guard', ['k', BJ])];
      expect(await codes(block)).to.deep.equal(['VALID', 'ENDORSEMENT_POLICY_FAILURE']);
    });

    it('fails a later plain write of the key, however well endorsed, and leaves other keys alone', async () => {
      const block = [
        await simulate('guard', ['k', BJ]),
        await simulate('put', ['k', 'later']),
        await simulate('put', ['other', 'x']),
      ];
      expect(await codes(block)).to.deep.equal(['VALID', 'ENDORSEMENT_POLICY_FAILURE', 'VALID']);
      expect(Buffer.from(network.ledger.state.get('k')!.value).toString()).to.equal('guarded');
    });

    it('counts a change that passed endorsement validation even when MVCC invalidates it later', async () => {
      const block = [
        await simulate('put', ['read', 'changed']),
        await simulate('readThenGuard', ['read', 'k', BJ]),
        await simulate('put', ['k', 'later']),
      ];
      expect(await codes(block)).to.deep.equal(['VALID', 'MVCC_READ_CONFLICT', 'ENDORSEMENT_POLICY_FAILURE']);
    });

    it('ignores a change whose own endorsement policy failed', async () => {
      await submit('guard', ['g', JSON.stringify(['BeijingMSP', 'TianjinMSP'])]);
      const lone = await simulate('guard', ['g', BJ]);
      const both = await simulate('put', ['g', 'changed']);
      const bj = { mspId: 'BeijingMSP', role: 'peer' as const };
      const tj = { mspId: 'TianjinMSP', role: 'peer' as const };
      const results = await network.ledger.commitBlock([
        { simulation: lone, endorsers: [bj] },
        { simulation: both, endorsers: [bj, tj] },
      ]);
      expect(results.map((r) => r.validationCode)).to.deep.equal(['ENDORSEMENT_POLICY_FAILURE', 'VALID']);
    });
  });

  describe('direct simulation', () => {
    it('simulates directly over any versioned state reader', async () => {
      const state = new MemoryWorldState();
      const sim = await simulateTransaction(probeChaincode(), state, {
        channelId: 'c',
        chaincodeName: 'cc',
        creator: { mspId: approver.mspId, certificate: approver.certificate },
        args: ['probe:put', 'k', 'v'],
        timestamp: T0,
        sign: (bytes) => signMessage(approver.privateKey, bytes),
      });
      expect(sim.endorsable).to.equal(true);
      expect(sim.readWriteSet.writes).to.have.length(1);
    });

    it('remembers a serialised identity, and hands each caller a copy of its own', () => {
      const first = serializeIdentity(approver.mspId, approver.certificate);
      const expected = Buffer.from(first); // a copy, taken before the caller's change below
      first.fill(0);
      const again = serializeIdentity(approver.mspId, approver.certificate);
      expect(Buffer.from(again).equals(expected)).to.equal(true);
      expect(again).not.to.equal(first);
    });

    it("gives the chaincode the creator's signature of the proposal, made only when the chaincode reads it", async () => {
      const state = new MemoryWorldState();
      let signed = 0;
      const simulate = (fn: string) =>
        simulateTransaction(probeChaincode(), state, {
          channelId: 'c',
          chaincodeName: 'cc',
          creator: { mspId: approver.mspId, certificate: approver.certificate },
          args: [fn, 'k', 'v'],
          timestamp: T0,
          sign: (bytes) => {
            signed++;
            return signMessage(approver.privateKey, bytes);
          },
        });
      await simulate('probe:put');
      expect(signed).to.equal(0);
      const sim = await simulate('probe:signature');
      expect(signed).to.equal(1);
      const signature = Buffer.from(Buffer.from(sim.response.payload).toString(), 'base64');
      expect(signature.length).to.be.greaterThan(8);
      expect(verifyMessage(approver.certificate, sim.proposalBytes, signature)).to.equal(true);
      // over other bytes (another proposal's) the signature does not verify
      const other = await simulate('probe:put');
      expect(verifyMessage(approver.certificate, other.proposalBytes, signature)).to.equal(false);
    });
  });
});
